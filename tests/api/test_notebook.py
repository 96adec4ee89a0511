"""docs/analyst.ipynb runs top to bottom on the sample: its code cells are executed in order in one
namespace (as a kernel would), and the objects it shows are what the text says they are."""

from __future__ import annotations

import json
from pathlib import Path

import graphcap as gc

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "analyst.ipynb"


def _code_cells() -> list[str]:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_notebook_runs_top_to_bottom(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    cells = _code_cells()
    assert len(cells) >= 6
    ns: dict[str, object] = {"__name__": "__main__"}
    for i, source in enumerate(cells):
        exec(compile(source, f"{NOTEBOOK.name}[cell {i}]", "exec"), ns)  # noqa: S102
    net, a, again = ns["net"], ns["a"], ns["again"]
    assert isinstance(net, gc.Network) and isinstance(a, gc.Analysis)
    assert again.counts["nodes"] == net.counts["nodes"]
    assert again.counts["edges"] == net.counts["edges"]
    assert "<svg" in a._repr_html_()
    out = capsys.readouterr().out
    assert "Relational Capital Index" in out
    assert "column 'trust'" in out  # the broken frame's problems were printed


def test_notebook_has_no_stored_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def test_notebook_runs_in_a_jupyter_kernel(tmp_path) -> None:
    """The notebook as a user runs it: nbclient starts a real IPython kernel (ipykernel, this
    interpreter) and executes every cell in order; any error in a cell fails the test. The
    outputs are what Jupyter would show: the summary text and the analysis' HTML picture."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "Relational Capital Index" in text and "column 'trust'" in text
    html = [
        o["data"]["text/html"]
        for o in outputs
        if o.output_type in ("execute_result", "display_data") and "text/html" in o.get("data", {})
    ]
    assert any("<svg" in h for h in html)  # `a` rendered as summary + network picture
