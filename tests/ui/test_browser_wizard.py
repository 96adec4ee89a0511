"""The recipe wizard in real Chromium: upload the raw ERP export, make the choices, preview,
import into the real Neo4j. The app finds that Neo4j the way a user's app does after one
``graphcap neo4j start --data-dir D --port P``: from the remembered server (no NEO4J_* set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphcap.config.connection import REMEMBERED_SERVER
from graphcap.sample import sample_small
from graphcap.sample.raw import write_raw
from tests.ui.appserver import CHROMIUM_ARGS, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.integration]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ERP_FILES = ["T001.csv", "KNA1.csv", "LFA1.csv", "VBAK.csv"]


def _idle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )


def _choose(page, key: str, option: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(f".st-key-{key} input[role='combobox']")
    if box.input_value() == option:
        return
    box.click()
    box.fill(option)  # the list narrows to what is typed
    page.get_by_role("option", name=option, exact=True).click()
    _idle(page)


def _remember(server, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """What ``graphcap neo4j start`` leaves behind: the server's folder (with its password
    file) and port, remembered in the data dir."""
    password = server.home / "password"
    if not password.exists():
        password.write_text(server.password + "\n")
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / REMEMBERED_SERVER).write_text(
        json.dumps({"home": str(server.home), "port": server.port})
    )


def test_wizard_builds_previews_and_imports_in_chromium(tmp_path, chromium, neo4j_server, store):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    raw = tmp_path / "erp"
    write_raw(sample_small(), "erp", raw)
    _remember(neo4j_server, tmp_path / "data")
    env = {"GRAPHCAP_DATA_DIR": str(tmp_path / "data"), "GRAPHCAP_SNAPSHOT": ""}
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER", "GRAPHCAP_NEO4J_PORT"):
        env[name] = ""
    with running_app(env, log=tmp_path / "app.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        try:
            page.goto(url + "/import")
            page.wait_for_selector("h1", timeout=60_000)
            _idle(page)
            assert page.get_by_text("Importing needs Neo4j").count() == 0  # found it
            page.get_by_role("tab", name="Raw exports (build a recipe)").click()
            page.locator(".st-key-wiz_files input[type=file]").set_input_files(
                [str(raw / n) for n in ERP_FILES]
            )
            page.wait_for_selector(".st-key-wiz_role_3", timeout=60_000)
            _idle(page)
            for k in (1, 3):  # KNA1 and VBAK: ';' and decimal comma
                _choose(page, f"wiz_delim_{k}", "; (semicolon)")
                page.locator(f".st-key-wiz_comma_{k} label").click()
                _idle(page)
            for k, (id_col, name_col, kind) in enumerate(
                [
                    ("BUKRS", "BUTXT", "organization"),
                    ("KUNNR", "NAME1", "customer"),
                    ("LIFNR", "NAME1", "supplier"),
                ]
            ):
                _choose(page, f"wiz_id_{k}", id_col)
                _choose(page, f"wiz_name_{k}", name_col)
                _choose(page, f"wiz_type_{k}", kind)
            _choose(page, "wiz_partner_3", "PARTNER")
            _choose(page, "wiz_other_3", "BUKRS")
            _choose(page, "wiz_date_3", "AUDAT")
            _choose(page, "wiz_value_3", "NETWR")
            for key, text in (
                ("wiz_org_name", "Brenner Antriebstechnik GmbH – Industrieantriebe"),
                ("wiz_org_id", "ORG-1"),
            ):
                page.locator(f".st-key-{key} input").fill(text)
                page.locator(f".st-key-{key} input").press("Enter")
                _idle(page)
            page.locator(".st-key-wiz_preview button").click()
            page.get_by_text(
                "Ready: 56 stakeholders, 66 relationships, 3,535 interactions"
            ).wait_for(timeout=120_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "page-import-wizard.png"), full_page=True)
            page.locator(".st-key-imp_go button").click()
            page.get_by_text("Imported in").wait_for(timeout=300_000)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()
    counts = store.counts()
    assert sum(counts["nodes"].values()) == 56
    assert sum(counts["edges"].values()) == 66
    assert counts["interactions"]["total"] == 3535
