"""In Debian's Chromium: a stakeholder picker over more than ``PICKER_SHORTLIST`` stakeholders
sends only the shortlist and still reaches any stakeholder typed in (#14)."""

from __future__ import annotations

import pytest

from graphcap.snapshot import write_snapshot
from graphcap.ui.widgets import PICKER_SHORTLIST
from tests.ui.appserver import CHROMIUM_ARGS, running_app
from tests.ui.netfactory import make_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZE = PICKER_SHORTLIST + 50


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("browser-picker")
    snap = tmp / "big.gcap"
    write_snapshot(make_network(SIZE, seed=7), snap)
    env = {"GRAPHCAP_SNAPSHOT": str(snap), "GRAPHCAP_DATA_DIR": str(tmp / "data")}
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER"):
        env[name] = ""
    with running_app(env, log=tmp / "app.log") as url:
        yield url


def test_an_id_typed_into_the_picker_opens_that_stakeholder(chromium: str, app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    last = make_network(SIZE, seed=7).nodes.iloc[-1]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        try:
            page.goto(app_url + "/stakeholder")
            box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Stakeholder")
            box.locator("input").first.wait_for(timeout=60_000)
            first = page.locator("h2").first.inner_text(timeout=60_000)
            assert first != str(last["name"])

            box.locator("input").first.click()
            page.keyboard.type(str(last["id"]).upper())  # no listed label fits: a new value
            page.keyboard.press("Enter")
            page.wait_for_function(
                "name => [...document.querySelectorAll('h2')].some(h => h.innerText === name)",
                arg=str(last["name"]),
                timeout=60_000,
            )
            assert page.url.endswith(f"id={last['id']}")
        finally:
            browser.close()
