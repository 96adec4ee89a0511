"""A strategy team's path in real Chromium against the real Neo4j: log in as an editor, edit a
stakeholder, assess its relationship, see the change in its history -- and in Neo4j, under the
editor's name."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from graphcap.access import hash_password
from graphcap.model import Network
from graphcap.store.edits import Editor, Target
from tests.ui.appserver import CHROMIUM_ARGS, running_app

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def _network() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1"],
            "name": ["Wir AG", "Kunde Eins"],
            "type": ["organization", "customer"],
            "revenue": [None, 1000.0],
        }
    )
    edges = pd.DataFrame(
        {"source": ["c1"], "target": ["org"], "type": ["BUYS_FROM"], "trust": [0.5]}
    )
    return Network(nodes=nodes, edges=edges)


def _settled(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(500)


def test_editor_edits_assesses_and_sees_the_history(store, neo4j_settings, chromium, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    store.import_network(_network())
    config = tmp_path / "graphcap.toml"
    config.write_text(
        '[access]\n[access.users.ed]\nrole = "editor"\n'
        f'password_hash = "{hash_password("editor-pass")}"\n',
        encoding="utf-8",
    )
    env = {
        "GRAPHCAP_CONFIG": str(config),
        "GRAPHCAP_DATA_DIR": str(tmp_path / "data"),
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    with running_app(env, log=tmp_path / "app.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1300, "height": 1400}).new_page()
        try:
            page.goto(url)
            page.get_by_label("User name").fill("ed")
            page.locator("input[type=password]").fill("editor-pass")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_selector("h1:has-text('Overview')", timeout=90_000)
            _settled(page)
            # the Stakeholder page within the same session (no reload)
            page.evaluate(
                "p => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
                "/stakeholder",
            )
            page.get_by_text("Kunde Eins").first.wait_for(timeout=90_000)
            page.get_by_role("tab", name="Edit stakeholder").wait_for(timeout=90_000)
            _settled(page)

            page.get_by_label("segment", exact=True).fill("Key account")
            page.get_by_role("button", name="Save changes").click()
            page.get_by_text("Saved: segment.").wait_for(timeout=60_000)
            _settled(page)

            page.get_by_role("tab", name="Assess").click()
            page.locator("[data-testid='stSelectbox']").filter(has_text="What to assess").click()
            page.get_by_role("option").filter(has_text="relationship with").first.click()
            _settled(page)
            # the success message above the tabs went away in this rerun, so the tabs were
            # drawn anew (showing the first one): open Assess again, the drawn one
            page.get_by_role("tab", name="Assess").last.click()
            _settled(page)
            trust = page.locator(
                "input[aria-label='trust (0 to 1, or 80 %; empty: not rated)']:visible"
            )
            trust.wait_for(timeout=60_000)
            trust.fill("0.9")
            page.get_by_role("button", name="Save assessment").click()
            page.get_by_text("Assessment saved; now trust 0.90").wait_for(timeout=60_000)
            _settled(page)

            page.get_by_role("tab", name="Timeline").last.click()
            # the history: the undo choice names the assessment by its author
            undo = page.get_by_role("combobox", name="Undo a change")
            expect(undo).to_have_value(
                re.compile(r"ed: assess assess trust 0\.5 -> 0\.9$"), timeout=60_000
            )
            # and the strength shown on the page moved with the assessment (weight of trust 1)
            page.get_by_text("strength 0.90 = sum of contributions").wait_for(timeout=60_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "failed.png"), full_page=True)
            raise
        finally:
            browser.close()

    net = store.read_network()
    assert net.nodes.set_index("id").loc["c1", "segment"] == "Key account"
    assert net.edges.iloc[0]["trust"] == pytest.approx(0.9)
    editor = Editor(store, user="check")
    assert sorted((e["action"], e["who"]) for e in editor.involving("c1")) == [
        ("assess", "ed"),
        ("change", "ed"),
        ("import", "import"),  # the import that brought c1 in (kept in the history)
    ]
    relationship = Target.relationship("c1", "BUYS_FROM", "org", store.schema)
    assert [e["action"] for e in editor.history(relationship)] == ["import", "assess"]
