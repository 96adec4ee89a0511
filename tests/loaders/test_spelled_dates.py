"""Dates as real exports spell them (issue #11 item 6): German month names, spelled dates,
epoch seconds and milliseconds, with dateparser only as the last fallback. Every expected
date is written out by hand; 1720051200 is 2024-07-04 00:00:00 UTC (19,908 days after
1970-01-01 times 86,400 s)."""

from __future__ import annotations

import pandas as pd
import pytest

from graphcap.errors import ValidationError
from loaders import load_path
from loaders.cells import SPELLED_FALLBACK_TRIES, DateReader

JULY_4 = pd.Timestamp("2024-07-04")

READ = [
    # the fast paths
    ("4. Juli 2024", JULY_4),
    ("25 März 2015", pd.Timestamp("2015-03-25")),
    ("3. Mär. 2021", pd.Timestamp("2021-03-03")),
    ("1. Okt. 2024", pd.Timestamp("2024-10-01")),
    ("04.07.2024", JULY_4),
    ("1720051200", JULY_4),
    ("1720051200000", JULY_4),
    (1720051200, JULY_4),
    (1720051200000, JULY_4),
    # dateparser, last
    ("4.Juli 2024", JULY_4),
    ("Donnerstag, 4. Juli 2024", JULY_4),
    ("Juli 4, 2024", JULY_4),
    ("März 25, 2015", pd.Timestamp("2015-03-25")),
    ("4. Juli 2024 um 14:30 Uhr", pd.Timestamp("2024-07-04 14:30")),
    ("4 juillet 2024", JULY_4),
]


@pytest.mark.parametrize(("cell", "expected"), READ, ids=[str(c) for c, _ in READ])
def test_spelled_and_epoch_dates_are_read(cell, expected):
    assert DateReader([]).parse(cell) == expected


REFUSED = ["gestern", "vor 3 Tagen", "Mai 2024", "4. Julei 2024", "Müller GmbH 2", "Q3 2024",
           "31. Februar 2024", "4 Juli"]  # fmt: skip


@pytest.mark.parametrize("cell", REFUSED)
def test_garbage_and_partial_dates_stay_errors(cell):
    with pytest.raises(ValueError, match="not"):
        DateReader([]).parse(cell)


def test_the_column_decides_day_or_month_even_beside_spelled_dates():
    """13/01/2024 makes the column day-first: 02/03/2024 is 2 March, whatever dateparser would
    say (digit-only cells never reach it); a month-first column reads it as 3 February."""
    day_first = DateReader(["13/01/2024", "02/03/2024", "4. Juli 2024", "Donnerstag, 4. Juli 2024"])
    assert day_first.parse("02/03/2024") == pd.Timestamp("2024-03-02")
    assert day_first.parse("Donnerstag, 4. Juli 2024") == JULY_4
    month_first = DateReader(["01/13/2024", "02/03/2024", "Juli 4, 2024"])
    assert month_first.parse("02/03/2024") == pd.Timestamp("2024-02-03")
    with pytest.raises(ValueError, match="ambiguous"):
        DateReader(["02/03/2024", "4.Juli 2024"]).parse("02/03/2024")


def test_a_text_column_stops_trying_the_fallback():
    reader = DateReader([])
    for k in range(SPELLED_FALLBACK_TRIES):
        with pytest.raises(ValueError):
            reader.parse(f"Kunde Nummer {k}")
    import loaders.cells as cells

    calls: list[str] = []
    real = cells._dateparser_read
    cells._dateparser_read = lambda text: calls.append(text) or real(text)  # type: ignore[assignment]
    try:
        with pytest.raises(ValueError):
            reader.parse("4.Juli 2024")  # a date, but the column gave up on the fallback
    finally:
        cells._dateparser_read = real
    assert calls == []


def test_a_file_with_spelled_dates_imports_and_garbage_is_named_by_row_and_column(tmp_path):
    nodes = "id,name,type\nO1,Orbit,organization\nC1,Alpha,customer\n"
    edges = "source,target,type\nC1,O1,BUYS_FROM\n"
    cells = ["4.Juli 2024", "Donnerstag, 4. Juli 2024", "1720051200000", "25 März 2015",
             "3. Mär. 2021"]  # fmt: skip
    inter = "date,source,target\n" + "".join(f'"{c}",C1,O1\n' for c in cells)
    for name, text in (("nodes", nodes), ("edges", edges), ("interactions", inter)):
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    got = load_path(tmp_path).network.interactions["date"].tolist()
    assert got == [JULY_4, JULY_4, JULY_4, pd.Timestamp("2015-03-25"), pd.Timestamp("2021-03-03")]
    (tmp_path / "interactions.csv").write_text(inter + "gestern,C1,O1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_path(tmp_path)
    bad = [p for p in err.value.problems if p.severity == "error"]
    assert [(p.file, p.row, p.column, p.value) for p in bad] == [
        ("interactions.csv", 7, "date", "gestern")
    ]
