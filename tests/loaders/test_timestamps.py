"""Timestamps with a UTC offset or ``Z`` are converted to UTC (naive) by every text loader.
The expected instants are worked out by hand: 10:30+02:00 is 08:30 UTC, 23:30-05:00 on New
Year's Eve is 04:30 UTC the next day, 00:15+02:00 is 22:15 UTC the day before."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from loaders import load_path

CASES = [
    ("2024-07-04T10:30:00+02:00", "2024-07-04 08:30:00"),
    ("2024-07-04T03:30:00-05:00", "2024-07-04 08:30:00"),
    ("2024-07-04T08:30:00Z", "2024-07-04 08:30:00"),
    ("2024-12-31T23:30:00-05:00", "2025-01-01 04:30:00"),
    ("2024-07-04T00:15:00+02:00", "2024-07-03 22:15:00"),
    ("2024-07-04T08:30:00", "2024-07-04 08:30:00"),  # no offset: taken as written
]


def _rows() -> list[list[str]]:
    return [[stamp, "C1", "O1"] for stamp, _ in CASES]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_offsets_and_z_become_utc(tmp_path, fmt):
    nodes = [["id", "name", "type"], ["O1", "Orbit", "organization"], ["C1", "Alpha", "customer"]]
    edges = [["source", "target", "type", "last_contact"], ["C1", "O1", "BUYS_FROM", CASES[0][0]]]
    inter = [["date", "source", "target"], *_rows()]
    if fmt == "csv":
        for name, rows in (("nodes", nodes), ("edges", edges), ("interactions", inter)):
            (tmp_path / f"{name}.csv").write_text("".join(",".join(r) + "\n" for r in rows))
        path = tmp_path
    else:
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in (("nodes", nodes), ("edges", edges), ("interactions", inter)):
            ws = wb.create_sheet(name)
            for r in rows:
                ws.append(r)
        path = tmp_path / "stamps.xlsx"
        wb.save(path)
    net = load_path(path).network
    assert net.interactions["date"].tolist() == [pd.Timestamp(want) for _, want in CASES]
    assert net.edges["last_contact"].tolist() == [pd.Timestamp("2024-07-04 08:30:00")]
