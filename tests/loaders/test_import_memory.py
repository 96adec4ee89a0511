"""``max_import_memory_mb``: the memory one import may take, measured in child processes.

The file below passes every other limit (no zip, short cells, rows well under
``max_table_rows``); only its size makes reading it expensive. Measured with the child's own
peak RSS (VmHWM): read with the default budget it takes far more than 100 MB, and with a budget
of 100 MB it is refused before that memory is spent, through the Python API, the app's upload
path and the CLI alike.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graphcap.config.limits import Limits
from graphcap.errors import ConfigError, LoaderError
from loaders import load_path
from loaders.limits import READ_COST, MemoryBudget
from tests.support import run_in_child

BUDGET_MB = 100
ROWS = 300_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """A folder with a nodes.csv of ~17 MB: 300,000 customers with short names."""
    folder = tmp_path_factory.mktemp("bigcsv")
    with open(folder / "nodes.csv", "w", encoding="utf-8") as out:
        out.write("id,name,type\nO1,Orbit,organization\n")
        for start in range(0, ROWS, 10_000):
            out.write("".join(f"C{i},Customer number {i} GmbH,customer\n"
                              for i in range(start, start + 10_000)))  # fmt: skip
    return folder


def _child(how: str, folder: Path) -> str:
    """Code for run_in_child: read ``folder`` one way; ``out`` gets the error (None when it was
    read), the stakeholders read and the child's resident memory before reading."""
    head = """
        def rss_mb():
            with open("/proc/self/status") as status:
                line = next(x for x in status if x.startswith("VmRSS:"))
            return int(line.split()[1]) / 1024
        from graphcap.errors import LoaderError
        from loaders import load_bytes, load_path
        from graphcap.cli import main
        """
    body = {
        "load_path": f"""
            out["before_mb"] = rss_mb()
            try:
                out["nodes"] = len(load_path({str(folder)!r}).network.nodes)
                out["error"] = None
            except LoaderError as exc:
                out["error"] = str(exc)
            """,
        "load_bytes": f"""
            from pathlib import Path
            data = Path({str(folder / "nodes.csv")!r}).read_bytes()
            out["before_mb"] = rss_mb()
            try:
                out["nodes"] = len(load_bytes(data, "nodes.csv").network.nodes)
                out["error"] = None
            except LoaderError as exc:
                out["error"] = str(exc)
            """,
        "cli": f"""
            import contextlib, io
            out["before_mb"] = rss_mb()
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                out["code"] = main(["import", "--dry-run", {str(folder)!r}])
            out["error"] = err.getvalue() if out["code"] else None
            """,
    }[how]
    return textwrap.dedent(head) + textwrap.dedent(body)


def test_reading_the_file_unbounded_takes_more_than_the_budget(big_csv):
    """The baseline the limit is measured against: the default budget (2 GiB) reads it all,
    and the child grows by more than BUDGET_MB doing so."""
    out = run_in_child(_child("load_path", big_csv))
    assert out["error"] is None and out["nodes"] == ROWS + 1
    assert out["peak_rss_mb"] - out["before_mb"] > BUDGET_MB, out


@pytest.mark.parametrize("how", ["load_path", "load_bytes", "cli"])
def test_an_import_beyond_max_import_memory_mb_is_refused_before_the_memory_is_spent(big_csv, how):
    env = {"GRAPHCAP_MAX_IMPORT_MEMORY_MB": str(BUDGET_MB)}
    out = run_in_child(_child(how, big_csv), env=env)
    size = (big_csv / "nodes.csv").stat().st_size
    need = size * READ_COST["text"]
    assert out["error"], "the file was read"
    assert f"needs about {need / 1024 / 1024:,.1f} MiB ({need:,} bytes) of memory" in out["error"]
    assert "more than the limit of 100.0 MiB" in out["error"]
    assert "max_import_memory_mb / GRAPHCAP_MAX_IMPORT_MEMORY_MB" in out["error"]
    assert out.get("code", 3) == 3  # unreadable input (graphcap.cli.exits)
    assert out["peak_rss_mb"] - out["before_mb"] < BUDGET_MB, out


def test_the_budget_stops_reading_when_the_process_grows_past_it():
    """What the size estimate cannot foresee: the process's growth is checked while reading."""
    out = run_in_child(
        """
        from graphcap.config.limits import Limits
        from graphcap.errors import LoaderError
        from loaders.limits import MemoryBudget
        budget = MemoryBudget(Limits(max_import_memory_mb=64))
        budget.check(file="a.xlsx")  # nothing spent yet
        block = bytearray(96 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])  # touch every page: resident
        try:
            budget.check(file="a.xlsx")
            out["error"] = None
        except LoaderError as exc:
            out["error"] = str(exc)
        """
    )
    assert out["error"].startswith("a.xlsx: reading it took ")
    assert "more than the limit of 64.0 MiB" in out["error"]


def test_the_budget_adds_up_the_files_of_one_import(tmp_path):
    budget = MemoryBudget(Limits(max_import_memory_mb=64))
    budget.plan(2 * 1024 * 1024, file="nodes.csv")  # 40 MiB of 64
    with pytest.raises(LoaderError, match=r"^edges\.csv: .*\(with the files read before it\)"):
        budget.plan(2 * 1024 * 1024, file="edges.csv")  # 80 MiB


def test_a_small_file_reads_within_a_small_budget(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,name,type\nO1,Orbit,organization\nC1,Kunde,customer\n")
    result = load_path(tmp_path, limits=Limits(max_import_memory_mb=64))
    assert sorted(result.network.nodes["id"]) == ["C1", "O1"]


@pytest.mark.parametrize("raw", ["true", "inf", "63", "1.5", "lots"])
def test_the_setting_is_checked_by_type_and_range(raw):
    with pytest.raises(ConfigError, match=r"^max_import_memory_mb must be a whole number from 64"):
        Limits.from_env({"GRAPHCAP_MAX_IMPORT_MEMORY_MB": raw})


def test_a_recipe_runs_within_the_budget_in_duckdb(tmp_path):
    """DuckDB gets the same budget: a recipe query that needs more fails with the setting's
    name instead of exhausting the machine."""
    (tmp_path / "accounts.csv").write_text("id,name\nA1,Acme\n", encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(
        "recipe: 1\n"
        "organisation: {id: ORG, name: Orbit}\n"
        "sources:\n  accounts: {file: accounts.csv}\n"
        "tables:\n"
        "  nodes:\n"
        "    sql: SELECT id, name, 'customer' AS type FROM accounts\n"
        "  edges:\n"
        "    sql: |\n"
        "      SELECT id AS source, 'ORG' AS target, 'BUYS_FROM' AS type FROM accounts\n"
        "      WHERE (SELECT length(string_agg(repeat('y', 1000), ''))\n"
        "             FROM range(200000)) > 0\n",
        encoding="utf-8",
    )
    recipe = tmp_path / "recipe.yaml"
    with pytest.raises(
        LoaderError, match=r"needs more than 64 MiB of memory .*max_import_memory_mb"
    ):
        load_path(recipe, limits=Limits(max_import_memory_mb=64))
    # the same recipe within the default budget: the query's ~200 MB string fits
    assert len(load_path(recipe, limits=Limits(max_import_memory_mb=2048)).network.edges) == 1
