"""Login in real Chromium: before login the page and its websocket carry only the login form;
a viewer cannot reach the Import page by URL; an admin can."""

from __future__ import annotations

import pytest

from graphcap.access import hash_password
from graphcap.snapshot import write_snapshot
from tests.ui.appserver import CHROMIUM_ARGS, running_app
from tests.ui.netfactory import make_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("browser-login")
    net = make_network(40, seed=5)
    snap = tmp / "net.gcap"
    write_snapshot(net, snap)
    config = tmp / "graphcap.toml"
    config.write_text(
        '[access]\n[access.users.vera]\nrole = "viewer"\n'
        f'password_hash = "{hash_password("viewer-pass")}"\n',
        encoding="utf-8",
    )
    env = {
        "GRAPHCAP_SNAPSHOT": str(snap),
        "GRAPHCAP_DATA_DIR": str(tmp / "data"),
        "GRAPHCAP_CONFIG": str(config),
        "GRAPHCAP_ADMIN_PASSWORD": "admin-pass-1",
        "NEO4J_URI": "",
        "NEO4J_PASSWORD": "",
        "NEO4J_USER": "",
    }
    with running_app(env, log=tmp / "app.log") as url:
        yield url, net


@pytest.fixture
def browser_page(chromium: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
        page.frames_in = []  # type: ignore[attr-defined]
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: page.frames_in.append(f)))  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            browser.close()


def _log_in(page, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("User name").fill(user)
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="Log in").click()


def _settled(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(1000)


def test_before_login_only_the_login_form_is_served(secured, browser_page) -> None:
    url, net = secured
    page = browser_page
    page.goto(url + "/import")
    page.get_by_label("User name").wait_for(timeout=60_000)
    _settled(page)
    html = page.content()
    assert page.locator("h1").all_inner_texts() == ["graphcap"]
    assert page.locator("input[type=password]").count() == 1
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.locator("[data-testid='stFileUploader'], [data-testid='stDataFrame']").count() == 0
    received = b"".join(f if isinstance(f, bytes) else f.encode() for f in page.frames_in)
    for name in [str(n) for n in net.nodes["name"]][:40]:
        assert name not in html
        assert name.encode() not in received
    for word in (b"Overview", b"Stakeholders", b"Import", b"stakeholders \xc2\xb7"):
        assert word not in received


def _go(page, path: str) -> None:  # type: ignore[no-untyped-def]
    """Ask for a page by URL within the logged-in session (a reload would start a new session)."""
    page.evaluate(
        "p => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }", path
    )
    page.wait_for_timeout(1500)
    _settled(page)


def test_a_viewer_cannot_reach_import_by_url_an_admin_can(secured, browser_page) -> None:
    url, _ = secured
    page = browser_page
    page.goto(url)
    _log_in(page, "vera", "viewer-pass")
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    _settled(page)
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Overview" in nav and "Import" not in nav and "Cypher console" not in nav
    _go(page, "/import")
    assert "Import" not in page.locator("h1").all_inner_texts()
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.goto(url)  # a new session: log in again, as admin
    page.get_by_label("User name").wait_for(timeout=60_000)
    _log_in(page, "admin", "admin-pass-1")
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    _settled(page)
    assert "Import" in page.locator("[data-testid='stSidebarNav']").inner_text()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Import").click()
    page.wait_for_selector("h1:has-text('Import')", timeout=60_000)


def test_wrong_passwords_lock_in_the_browser(secured, browser_page) -> None:
    url, _ = secured
    page = browser_page
    page.goto(url)
    page.get_by_label("User name").wait_for(timeout=60_000)
    for _ in range(5):
        _log_in(page, "nobody-here", "wrong")
        page.wait_for_timeout(500)
        _settled(page)
        page.get_by_text("wrong user name or password").wait_for(timeout=30_000)
    _log_in(page, "nobody-here", "wrong")
    page.get_by_text("too many wrong passwords").wait_for(timeout=30_000)
