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
