"""How a recipe reads its files: UTF-8 in place, anything else decoded first, lines kept."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.recipe import load_recipe
from loaders.recipe_run import run_tables

RECIPE = """recipe: 1
organisation: {id: ORG, name: Acme AG}
sources:
  kunden: {file: kunden.csv, delimiter: ";"}
tables:
  nodes: |
    SELECT id, name, 'customer' AS type, _file, _line FROM kunden
  edges: |
    SELECT id AS source, 'ORG' AS target, 'BUYS_FROM' AS type FROM kunden
"""
ROWS = "id;name\nK1;Müller GmbH\nK2;Dupont – SA\n"


@pytest.mark.parametrize(
    "data",
    [
        ROWS.encode("utf-8"),
        b"\xef\xbb\xbf" + ROWS.encode("utf-8"),  # BOM
        ROWS.encode("cp1252"),  # no encoding given: DuckDB refuses it, the guess reads it
        ROWS.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "cp1252", "utf-16"],
)
def test_any_encoding_reads_the_same_names_and_lines(tmp_path, data):
    (tmp_path / "kunden.csv").write_bytes(data)
    (tmp_path / "r.yaml").write_text(RECIPE, encoding="utf-8")
    nodes = run_tables(load_recipe(tmp_path / "r.yaml"))["nodes"]
    assert nodes["name"].tolist() == ["Müller GmbH", "Dupont – SA"]
    assert nodes["_line"].tolist() == [2, 3]  # the header is line 1
    assert nodes["_file"].tolist() == ["kunden.csv", "kunden.csv"]


def test_a_declared_encoding_is_used(tmp_path):
    (tmp_path / "kunden.csv").write_bytes(ROWS.encode("cp1252"))
    recipe = RECIPE.replace('delimiter: ";"', 'delimiter: ";", encoding: cp1252')
    (tmp_path / "r.yaml").write_text(recipe, encoding="utf-8")
    nodes = run_tables(load_recipe(tmp_path / "r.yaml"))["nodes"]
    assert nodes["name"].tolist() == ["Müller GmbH", "Dupont – SA"]


def test_raw_cells_are_python_values_with_none_for_missing(tmp_path):
    from loaders.recipe_run import _raw_table

    frame = pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "x": [1.5, float("nan")],
            "d": pd.to_datetime(["2024-01-02", None]),
            "s": ["a", None],
            "_line": [7, None],
        }
    )
    table = _raw_table("nodes", frame, load_recipe(_recipe(tmp_path)))
    cells = table.frame.to_dict("list")
    assert cells == {"n": [1, None], "x": [1.5, None], "d": [pd.Timestamp("2024-01-02"), None],
                     "s": ["a", None]}  # fmt: skip
    assert [type(v) for v in cells["n"]] == [int, type(None)]
    assert table.rows == [7, 2]  # a row without a line: its position


def _recipe(tmp_path):
    (tmp_path / "kunden.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(RECIPE, encoding="utf-8")
    return tmp_path / "r.yaml"


def test_typed_cells_are_read_as_the_careful_readers_read_them():
    """Timestamps and numbers that arrive typed (SQL, workbooks) skip the text readers; the
    result is what DateReader/parse_number give cell by cell (microseconds, 9999 = open end,
    zones to UTC, yes/no is not a number)."""
    import warnings

    import numpy as np

    from loaders.cells import DateReader, parse_number
    from loaders.columns import read_dates, read_numbers

    dates = [
        pd.Timestamp("2024-07-04 10:11:12.123456789"),
        None,
        pd.Timestamp("9999-12-31"),
        pd.Timestamp("2024-07-04 12:00", tz="Europe/Berlin"),
        "04.07.2024",
    ]
    got = read_dates(dates, required=False, error=lambda *a: None)
    reader = DateReader(dates)
    with warnings.catch_warnings():  # the reader drops nanoseconds with a warning
        warnings.simplefilter("ignore", UserWarning)
        want = [None if c is None else reader.parse(c) for c in dates]
    assert [None if pd.isna(g) else pd.Timestamp(g) for g in got] == want
    assert pd.Timestamp(got[0]) == pd.Timestamp("2024-07-04 10:11:12.123456")
    errors: list = []
    numbers = [3, 2.5, True, float("inf"), None, "1,5"]
    values = read_numbers(numbers, "number", ",", error=lambda i, v, why: errors.append(i))
    assert values[:2].tolist() == [parse_number(3)[0], parse_number(2.5)[0]]
    assert np.isnan(values[2:5]).all() and values[5] == 1.5
    assert errors == [2, 3]  # the yes/no value and the infinity are reported


def _many_rows(n: int, last: str) -> str:
    return "id;name\n" + "".join(f"K{i};Kunde {i}\n" for i in range(1, n)) + f"K{n};{last}\n"


def test_a_large_file_read_in_place_keeps_its_lines(tmp_path):
    """A UTF-8 file is read in place (no copy); _line is still the record's line, also for a
    filtered query that only sees a few rows far into the file."""
    (tmp_path / "kunden.csv").write_text(_many_rows(60_000, "Zuletzt AG"), encoding="utf-8")
    recipe = RECIPE.replace(
        "FROM kunden\n  edges", "FROM kunden WHERE id IN ('K7', 'K59999', 'K60000')\n  edges"
    )
    (tmp_path / "r.yaml").write_text(recipe, encoding="utf-8")
    frames = run_tables(load_recipe(tmp_path / "r.yaml"))
    nodes = frames["nodes"]
    assert nodes["id"].tolist() == ["K7", "K59999", "K60000"]
    assert nodes["_line"].tolist() == [8, 60_000, 60_001]
    assert nodes["name"].tolist()[-1] == "Zuletzt AG"
    assert len(frames["edges"]) == 60_000


def test_a_non_utf8_byte_far_into_the_file_is_read_through_the_copy(tmp_path):
    """The sniffer reads the start only: the cp1252 names in the last rows make the in-place
    read fail during the query, and the recipe runs again with the decoded copy -- the same
    text the decoder gives for the whole file, line numbers kept."""
    from loaders.textcheck import decode_bytes

    german = "Müller & Söhne Bäckerei, Große Straße – Köln"
    head = "id;name\n" + "".join(f"K{i};Kunde {i}\n" for i in range(1, 59_801))
    tail = "".join(f"K{i};{german} {i}\n" for i in range(59_801, 60_001))
    data = (head + tail).encode("cp1252")
    (tmp_path / "kunden.csv").write_bytes(data)
    (tmp_path / "r.yaml").write_text(RECIPE, encoding="utf-8")
    nodes = run_tables(load_recipe(tmp_path / "r.yaml"))["nodes"]
    expected = decode_bytes(data, file="kunden.csv").splitlines()[-1].split(";")[1]
    assert nodes["name"].iloc[-1] == expected
    assert nodes["_line"].iloc[-1] == 60_001
    assert nodes["name"].iloc[0] == "Kunde 1"


def test_a_bad_cell_far_into_the_file_gives_the_message_of_a_copied_file(tmp_path):
    """A number column with text in its last row: the in-place read fails during the query;
    the second run (file copied in) names the source, file and row as before."""
    from graphcap.errors import LoaderError

    rows = "id;name;n\n" + "".join(f"K{i};Kunde {i};{i}\n" for i in range(1, 60_000))
    (tmp_path / "kunden.csv").write_text(rows + "K60000;Letzte;zwölf\n", encoding="utf-8")
    recipe = RECIPE.replace("SELECT id, name, 'customer'", "SELECT id, name || n, 'customer'")
    (tmp_path / "r.yaml").write_text(recipe, encoding="utf-8")
    with pytest.raises(LoaderError) as err:
        run_tables(load_recipe(tmp_path / "r.yaml"))
    assert "source 'kunden', file kunden.csv" in str(err.value)
    assert "zwölf" in str(err.value)


def test_the_locked_query_reads_the_sources_but_no_other_file(tmp_path):
    """Reading in place allows exactly the source files (absolute paths); any other file in
    the folder stays out of reach."""
    from graphcap.errors import LoaderError

    (tmp_path / "kunden.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "other.csv").write_text("id\nX\n", encoding="utf-8")
    other = str(tmp_path / "other.csv").replace("'", "''")
    recipe = RECIPE.replace(
        "FROM kunden\n  edges",
        f"FROM kunden UNION ALL SELECT id, id, 'customer', 'x', 0 FROM read_csv('{other}')\n  edges",  # noqa: S608 (the test's own query)
    )
    (tmp_path / "r.yaml").write_text(recipe, encoding="utf-8")
    with pytest.raises(LoaderError, match="disabled by configuration"):
        run_tables(load_recipe(tmp_path / "r.yaml"))


def test_a_join_that_multiplies_rows_is_caught_on_a_file_read_in_place(tmp_path):
    """The grain check counts a file read in place only as far as it needs: here it must read
    it all (the query gives one row more than the file has)."""
    from graphcap.errors import LoaderError

    (tmp_path / "kunden.csv").write_text(_many_rows(30_000, "Letzte AG"), encoding="utf-8")
    recipe = RECIPE.replace(
        "FROM kunden\n  edges: |",
        "FROM kunden\n  edges:\n    grain: kunden\n    sql: |",
    ).replace(
        "    SELECT id AS source, 'ORG' AS target, 'BUYS_FROM' AS type FROM kunden\n",
        "      SELECT id AS source, 'ORG' AS target, 'BUYS_FROM' AS type FROM kunden\n"
        "      UNION ALL SELECT 'K1', 'ORG', 'SUPPLIES'\n",
    )
    (tmp_path / "r.yaml").write_text(recipe, encoding="utf-8")
    with pytest.raises(LoaderError, match="gives 30001 rows but source 'kunden' has 30000"):
        run_tables(load_recipe(tmp_path / "r.yaml"))
