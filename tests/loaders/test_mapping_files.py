"""Mapping files: the two shipped examples, the mapping steps, and mistakes in mapping files."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from graphcap.errors import LoaderError, ValidationError
from loaders import MAPPINGS_DIR, load_mapping, load_path
from tests.loaders.files import problem_lines

SAP = MAPPINGS_DIR / "sap_business_partner.yaml"
SAP_DIR = MAPPINGS_DIR / "examples" / "sap_business_partner"
SF = MAPPINGS_DIR / "salesforce.toml"
SF_DIR = MAPPINGS_DIR / "examples" / "salesforce"


def test_sap_example_maps_to_the_canonical_form():
    result = load_path(SAP_DIR, mapping=SAP)
    assert result.problems == []
    nodes = result.network.nodes.set_index("id")
    assert len(nodes) == 9
    row = nodes.loc["0000100023"]  # leading zeros kept
    assert (row["name"], row["type"], row["revenue"], row["satisfaction"]) == (
        "Müller & Söhne GmbH",
        "customer",
        1234567.89,
        0.8,
    )
    assert row["since"] == pd.Timestamp(2019, 7, 4)
    assert nodes.loc["0000100025", "satisfaction"] == 0.75  # "75 %"
    assert nodes.loc["0000000001", "type"] == "organization"  # value map ZORG
    assert nodes.loc["0000300001", "type"] == "agency"  # built-in alias Behörde
    assert nodes.loc["0000500001", "type"] == "partner"  # Verband
    assert nodes.loc["0000200001", "country"] == "DE"  # default fills the empty Land
    assert set(nodes["source_system"]) == {"SAP BP"}  # constant, kept as an extra column
    edges = result.network.edges
    assert len(edges) == 9
    first = edges.iloc[0]
    assert (first["source"], first["target"], first["type"], first["volume"], first["trust"]) == (
        "0000100023",
        "0000000001",
        "BUYS_FROM",
        1234567.89,
        0.9,
    )
    assert pd.isna(first["contract_until"])  # 31.12.9999 = no end
    assert edges.iloc[1]["contract_until"] == pd.Timestamp(2025, 12, 31)
    assert sorted(edges["type"].unique()) == [
        "BUYS_FROM",
        "COMPETES_WITH",
        "MEMBER_OF",
        "REGULATES",
        "SUPPLIES",
    ]


def test_salesforce_example_derives_ids_and_maps_values():
    result = load_path(SF_DIR, mapping=SF)
    nodes = result.network.nodes.set_index("id")
    assert nodes.index.tolist()[:2] == ["SF-0015g00000OWNCO", "SF-0015g00000AbCd1"]
    assert nodes.loc["SF-0015g00000AbCd1", "original_id"] == "0015g00000AbCd1"
    assert nodes.loc["SF-0015g00000AbCd1", "revenue"] == 1_250_000.0
    assert nodes.loc["SF-0015g00000AbCd2", "name"] == "Ōsaka Robotics 株式会社"
    assert nodes["power"].tolist()[:4] == pytest.approx([float("nan"), 0.9, 0.5, 0.2], nan_ok=True)
    assert nodes.loc["SF-0015g00000AbCd1", "since"] == pd.Timestamp(2015, 3, 25, 10, 15)
    edges = result.network.edges
    assert edges[["source", "target", "type"]].values.tolist()[0] == [
        "SF-0015g00000AbCd1",
        "SF-0015g00000OWNCO",
        "BUYS_FROM",
    ]
    assert edges["since"].iloc[0] == pd.Timestamp(2015, 3, 25)
    inter = result.network.interactions
    assert inter["date"].tolist()[2] == pd.Timestamp(2024, 11, 2)  # 11/2/2024, month first
    assert inter["value"].sum() == 120_000 + 95_500 + 310_000 + 15_000
    assert set(inter["target"]) == {"SF-0015g00000OWNCO"} and set(inter["channel"]) == {
        "opportunity"
    }


def test_without_the_mapping_the_export_is_refused_with_suggestions():
    with pytest.raises(LoaderError, match="no nodes file"):
        load_path(SAP_DIR)


def test_problems_name_the_exports_own_headers(tmp_path):
    folder = tmp_path / "sap"
    shutil.copytree(SAP_DIR, folder)
    path = folder / "Geschaeftspartner.csv"
    text = path.read_bytes().decode("cp1252").replace("FLVN01", "FLXX99").replace("0,65", "1,65")
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ValidationError) as info:
        load_path(folder, mapping=SAP)
    lines = problem_lines(info.value)
    assert lines[0] == (
        "Geschaeftspartner.csv, row 4, column 'Zufriedenheit': must be between "
        "0 and 1 (for a percentage write 80 %) (value '1,65')"
    )
    assert lines[1].startswith(
        "Geschaeftspartner.csv, row 6, column 'Rolle': unknown stakeholder type"
    )


def test_mapping_applies_to_workbook_sheets(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "nodes:\n  sheet: Partner\n  columns: {Nr: id, Bezeichnung: name, Art: type}\n"
        "  derive: {segment: '{Art}/{Nr}'}\n"
    )
    wb = openpyxl.Workbook()
    wb.active.title = "Partner"
    wb.active.append(["Nr", "Bezeichnung", "Art"])
    wb.active.append([7, "Amt für Zölle", "Behörde"])
    wb.save(tmp_path / "x.xlsx")
    nodes = load_path(tmp_path / "x.xlsx", mapping=mapping).network.nodes
    assert nodes[["id", "name", "type", "segment"]].values.tolist() == [
        ["7", "Amt für Zölle", "agency", "Behörde/7"]
    ]


def test_defaults_fill_empty_excel_cells_of_a_column_with_a_values_map(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "nodes:\n  sheet: Partner\n  columns: {Nr: id, Bezeichnung: name, Art: type}\n"
        "  values: {type: {K: customer, L: supplier}}\n"
        "  defaults: {type: partner}\n"
    )
    wb = openpyxl.Workbook()
    wb.active.title = "Partner"
    wb.active.append(["Nr", "Bezeichnung", "Art"])
    wb.active.append([1, "Kunde AG", "K"])
    wb.active.append([2, "Lieferant GmbH", None])  # an empty cell: the default fills it
    wb.active.append([3, "Dritte KG", "L"])
    wb.save(tmp_path / "x.xlsx")
    nodes = load_path(tmp_path / "x.xlsx", mapping=mapping).network.nodes
    assert nodes["type"].tolist() == ["customer", "partner", "supplier"]


def test_mistakes_in_mapping_files_are_named(tmp_path):
    bad_key = tmp_path / "k.yaml"
    bad_key.write_text("nodes:\n  colums: {a: id}\n")
    with pytest.raises(LoaderError) as info:
        load_mapping(bad_key)
    assert str(info.value) == (
        f"mapping file {bad_key}: unknown key 'colums' in 'nodes' (did you mean 'columns'?); "
        "known: columns, constants, defaults, derive, file, sheet, values"
    )
    broken = tmp_path / "b.toml"
    broken.write_text("[nodes\n")
    with pytest.raises(LoaderError, match=r"mapping file .*b.toml is not valid TOML"):
        load_mapping(broken)
    missing = tmp_path / "m.yaml"
    missing.write_text(
        "nodes:\n  file: Geschaeftspartner.csv\n  columns: {Partnr: id, 'Name 1': name, "
        "Rolle: type}\n  derive: {segment: '{Branch}'}\nencoding: cp1252\n"
    )
    with pytest.raises(ValidationError) as err:
        load_path(SAP_DIR, mapping=missing)
    assert problem_lines(err.value)[:2] == [
        f"Geschaeftspartner.csv, row 1: mapping file {missing} derives from column 'Branch', which "
        "this file lacks (did you mean 'Branche'?)",
        f"Geschaeftspartner.csv, row 1: mapping file {missing} renames column 'Partnr', which this "
        "file lacks (did you mean 'Partner'?)",
    ]
