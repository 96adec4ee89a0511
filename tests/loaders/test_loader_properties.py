"""Property tests: any Unicode name and any number survives write -> load unchanged.

Files are written by independent writers (the csv module, openpyxl, networkx), then loaded.
Names are compared byte for byte; numbers exactly (repr round trip, or cents formatted with
German or English grouping).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import networkx as nx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import load_path
from loaders.textcheck import bad_text

# Any text except what the loaders refuse on purpose (controls, lone surrogates) or XML cannot
# hold (noncharacters); carriage returns are excluded where XML normalises them to newlines.
_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
NAMES = st.text(_CHARS, min_size=1, max_size=30).filter(
    lambda s: s == s.strip() and s != "" and bad_text(s) is None
)
CENTS = st.integers(min_value=-(10**13), max_value=10**13)
FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _write_csv(
    folder: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8"
) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerows(rows)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.csv").write_bytes(buf.getvalue().encode(encoding))


@SETTINGS
@given(
    names=st.lists(NAMES, min_size=1, max_size=6, unique=True),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_csv_unicode_ids_and_names_round_trip(tmp_path_factory, names, encoding):
    folder = tmp_path_factory.mktemp("csv")
    # an extra column whose every cell is a number is stored as numbers (see
    # test_extra_columns_of_numbers_are_numbers); a note that starts with a letter stays text
    rows = [["id", "name", "type", "note"]] + [[n, n, "customer", "x" + n] for n in names]
    _write_csv(folder, rows, encoding=encoding)
    nodes = load_path(folder).network.nodes
    assert nodes["id"].tolist() == names
    assert nodes["name"].tolist() == names
    assert nodes["note"].tolist() == ["x" + n for n in names]


@SETTINGS
@given(names=st.lists(NAMES.filter(lambda s: "\r" not in s), min_size=1, max_size=6, unique=True))
def test_xlsx_and_graphml_unicode_names_round_trip(tmp_path_factory, names):
    folder = tmp_path_factory.mktemp("x")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "nodes"
    ws.append(["id", "name", "type"])
    for i, name in enumerate(names):
        ws.append([f"n{i}", name, "partner"])
        ws.cell(row=i + 2, column=2).data_type = "s"  # a name starting with "=" is still a name
    wb.save(folder / "net.xlsx")
    assert load_path(folder / "net.xlsx").network.nodes["name"].tolist() == names
    G = nx.DiGraph()
    for i, name in enumerate(names):
        G.add_node(f"n{i}", name=name, type="partner")
    nx.write_graphml(G, folder / "net.graphml")
    assert load_path(folder / "net.graphml").network.nodes["name"].tolist() == names


@SETTINGS
@given(values=st.lists(FLOATS, min_size=1, max_size=8), german=st.booleans())
def test_csv_numbers_round_trip_exactly(tmp_path_factory, values, german):
    folder = tmp_path_factory.mktemp("num")
    shown = [repr(v).replace(".", ",") if german else repr(v) for v in values]
    rows = [["id", "name", "type", "revenue"]] + [
        [str(i), f"N{i}", "customer", s] for i, s in enumerate(shown)
    ]
    _write_csv(folder, rows, sep=";" if german else ",")
    assert load_path(folder).network.nodes["revenue"].tolist() == [float(v) for v in values]


@SETTINGS
@given(cents=st.lists(CENTS, min_size=1, max_size=8), german=st.booleans())
def test_grouped_amounts_round_trip_exactly(tmp_path_factory, cents, german):
    folder = tmp_path_factory.mktemp("grp")
    amounts = [Decimal(c) / 100 for c in cents]
    english = [f"{a:,.2f}" for a in amounts]
    shown = [e.translate(str.maketrans(",.", ".,")) for e in english] if german else english
    rows = [["id", "name", "type", "revenue"]] + [
        [str(i), f"N{i}", "customer", s] for i, s in enumerate(shown)
    ]
    _write_csv(folder, rows, sep=";" if german else ",", encoding="cp1252")
    assert load_path(folder).network.nodes["revenue"].tolist() == [float(a) for a in amounts]


@SETTINGS
@given(values=st.lists(st.floats(min_value=-1e300, max_value=1e300), min_size=1, max_size=6))
def test_xlsx_and_graphml_numbers_round_trip(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("xn")
    values = [float(f"{v:.15g}") for v in values]  # Excel keeps 15 significant digits
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "nodes"
    ws.append(["id", "name", "type", "clv"])
    for i, v in enumerate(values):
        ws.append([f"n{i}", f"N{i}", "customer", v])
    wb.save(folder / "net.xlsx")
    assert load_path(folder / "net.xlsx").network.nodes["clv"].tolist() == values
    G = nx.DiGraph()
    for i, v in enumerate(values):
        G.add_node(f"n{i}", name=f"N{i}", type="customer", clv=v)
    nx.write_graphml(G, folder / "net.graphml")
    assert load_path(folder / "net.graphml").network.nodes["clv"].tolist() == values
