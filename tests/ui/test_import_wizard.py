"""The Import page's recipe wizard in AppTest: upload the raw ERP export, make the choices, see
the resulting network, import it into the real Neo4j, find it on the Overview page; the saved
recipe re-imports the same through the CLI (nothing created, nothing updated)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.sample import sample_small
from graphcap.sample.raw import write_raw
from tests.ui.apphelpers import metric, shown_table

ERP_FILES = ["T001.csv", "KNA1.csv", "LFA1.csv", "VBAK.csv"]


def _upload(at, folder: Path) -> None:  # type: ignore[no-untyped-def]
    uploads = [(n, (folder / n).read_bytes(), "text/csv") for n in ERP_FILES]
    wizard = [u for u in at.get("file_uploader") if u.proto.id and "wiz_files" in u.proto.id]
    wizard[0].set_value(uploads)
    at.run()


def _choose(at) -> None:  # type: ignore[no-untyped-def]
    # T001 units, KNA1 customers, LFA1 suppliers, VBAK orders (cp1252, ';', decimal comma)
    for k in (1, 3):
        at.selectbox(key=f"wiz_delim_{k}").set_value("; (semicolon)")
        at.checkbox(key=f"wiz_comma_{k}").check()
    at.run()
    assert [at.selectbox(key=f"wiz_role_{k}").value for k in range(4)] == [
        "master",
        "master",
        "master",
        "transactions",
    ]  # proposed from the files
    for k, (id_col, name_col, kind) in enumerate(
        [
            ("BUKRS", "BUTXT", "organization"),
            ("KUNNR", "NAME1", "customer"),
            ("LIFNR", "NAME1", "supplier"),
        ]
    ):
        at.selectbox(key=f"wiz_id_{k}").set_value(id_col)
        at.selectbox(key=f"wiz_name_{k}").set_value(name_col)
        at.selectbox(key=f"wiz_type_{k}").set_value(kind)
    at.selectbox(key="wiz_partner_3").set_value("PARTNER")
    at.selectbox(key="wiz_other_3").set_value("BUKRS")
    at.selectbox(key="wiz_date_3").set_value("AUDAT")
    at.selectbox(key="wiz_value_3").set_value("NETWR")
    at.text_input(key="wiz_org_name").input("Brenner Antriebstechnik GmbH – Industrieantriebe")
    at.text_input(key="wiz_org_id").input("ORG-1")
    at.run()


def test_wizard_previews_the_network_without_neo4j(tmp_path, open_page):
    write_raw(sample_small(), "erp", tmp_path)
    at = open_page("import")
    _upload(at, tmp_path)
    _choose(at)
    at.button(key="wiz_preview").click().run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [s.value for s in at.main.success]
    assert any(
        "Ready: 56 stakeholders, 66 relationships, 3,535 interactions" in s for s in shown
    ), shown + [e.value for e in at.main.error]
    assert any("SELECT" in c.value for c in at.code)  # the recipe is shown


@pytest.mark.integration
def test_wizard_imports_and_the_saved_recipe_reimports_the_same(
    tmp_path, store, neo4j_env, open_page
):
    st.cache_resource.clear()
    st.cache_data.clear()
    write_raw(sample_small(), "erp", tmp_path)
    at = open_page("import")
    _upload(at, tmp_path)
    _choose(at)
    at.button(key="wiz_preview").click().run()
    recipe = next(c.value for c in at.code if "SELECT" in c.value)
    at.button(key="imp_go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[-1]
    summary = table.value.set_index("kind")  # counts as numbers, written the language's way
    assert summary.loc["nodes", "created"] == 56
    assert shown_table(table).set_index(table.value["kind"]).loc["interactions", "created"] == (
        "3,535"
    )
    overview = open_page("overview")
    assert metric(overview, "Stakeholders") == "56"
    assert metric(overview, "Relationships") == "66"
    (tmp_path / "recipe.yaml").write_text(recipe, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "recipe.yaml")])
    assert result.exit_code == 0, result.output
    for kind in ("nodes", "edges", "interactions"):
        found = re.search(rf"^\s+{kind}\s+(\d+) created\s+(\d+) updated", result.stdout, re.M)
        assert found and found.groups() == ("0", "0"), result.stdout
    st.cache_resource.clear()
    st.cache_data.clear()
