"""An edit is checked with the importers' checks and gets the importers' words."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from graphcap.errors import ValidationError
from loaders import load_bytes
from loaders.edit_input import EditInvalid, check_interaction, check_relationship, check_stakeholder

BAD_NODE_CELLS = [
    ("name", "a\x00b"),
    ("name", "bad \ud800 surrogate"),
    ("type", "Kundee"),
    ("type", "customer` DETACH DELETE n //"),
    ("satisfaction", "1.7"),
    ("satisfaction", "sehr gut"),
    ("loyalty", "-0.1"),
    ("since", "31.02.2024"),
    ("since", "gestern"),
    ("revenue", "1e999"),
    ("power", "120 %"),
    ("name", "MÃ¼ller"),
]


def _import_whys(header: list[str], row: list[str], kind: str = "nodes") -> list[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerow(row)
    data = buf.getvalue().encode("utf-8", "surrogatepass")
    with pytest.raises(ValidationError) as err:
        load_bytes(data, f"{kind}.csv")
    return [p.why for p in err.value.problems if p.severity == "error"]


@pytest.mark.parametrize(("column", "value"), BAD_NODE_CELLS)
def test_a_bad_stakeholder_value_gets_the_importers_words(column, value):
    cells = {"id": "c1", "name": "Kunde", "type": "customer", column: value}
    with pytest.raises(EditInvalid) as err:
        check_stakeholder({column: value})
    edit_whys = [p.why for p in err.value.problems]
    if "\ud800" in value:  # a lone surrogate cannot even be written to a file
        assert edit_whys and "nothing was changed" in str(err.value)
        return
    assert edit_whys == _import_whys(list(cells), list(cells.values()))
    assert str(err.value).startswith("1 problem(s) in the stakeholder edit; nothing was changed.")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("trust", "2"),
        ("sentiment", "-3"),
        ("interactions", "2.5"),
        ("contract_until", "2024-13-01"),
        ("type", "SUPPLYS"),
    ],
)
def test_a_bad_relationship_value_gets_the_importers_words(column, value):
    cells = {"source": "a", "target": "b", "type": "SUPPLIES", column: value}
    with pytest.raises(EditInvalid) as err:
        check_relationship(
            cells["source"],
            cells["type"],
            cells["target"],
            {k: v for k, v in cells.items() if k not in ("source", "target", "type")},
        )
    nodes = "id,name,type\na,A,customer\nb,B,organization\n"
    buf = io.StringIO()
    csv.writer(buf).writerows([list(cells), list(cells.values())])
    with pytest.raises(ValidationError) as imp:
        load_bytes(_zip({"nodes.csv": nodes, "edges.csv": buf.getvalue()}), "net.zip")
    assert [p.why for p in err.value.problems] == [
        p.why for p in imp.value.problems if p.severity == "error"
    ]


def _zip(files: dict[str, str]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


def test_good_values_come_back_typed():
    assert check_stakeholder(
        {
            "id": "k",
            "name": " Kunde ",
            "type": "Lieferant",
            "since": "4.7.24",
            "satisfaction": "80 %",
            "tags": "a;b",
        },
        new=True,
    ) == {
        "id": "k",
        "name": "Kunde",
        "type": "supplier",
        "since": date(2024, 7, 4),
        "satisfaction": 0.8,
        "tags": "a;b",
    }
    assert check_relationship(" a ", "liefert an", "b", {"trust": 0.25, "owner": "Zoë"}) == (
        "a",
        "SUPPLIES",
        "b",
        {"trust": 0.25, "owner": "Zoë"},
    )
    got = check_interaction(
        {
            "date": "2024-03-01",
            "source": "a",
            "target": "b",
            "channel": "call",
            "sentiment": "-0,5",
            "text": "rang about the delivery",
        }
    )
    assert got == {
        "date": date(2024, 3, 1),
        "source": "a",
        "target": "b",
        "channel": "call",
        "sentiment": -0.5,
        "text": "rang about the delivery",
    }
    assert check_stakeholder({"segment": "NULL"}) == {"segment": None}  # removes it, as an import


@pytest.mark.parametrize(
    "fields",
    [
        {"__gc_version": 1},
        {"m_pagerank": 0.1},
        {"": "x"},
        {"id": "other"},
        {f"f{i}": i for i in range(201)},
        {"note": "x" * 100_001},
    ],
)
def test_reserved_names_and_oversized_edits_are_refused(fields):
    with pytest.raises(EditInvalid, match="nothing was changed"):
        check_stakeholder(fields)


def test_new_stakeholder_needs_id_name_type():
    with pytest.raises(EditInvalid, match="empty name"):
        check_stakeholder({"id": "x", "type": "customer"}, new=True)
