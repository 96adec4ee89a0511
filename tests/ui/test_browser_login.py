"""Login in real Chromium: before login the page and its websocket carry only the login form;
a viewer cannot reach the Import page by URL; an admin can."""

from __future__ import annotations

import pytest

from graphcap.access import hash_password
from tests.ui.appserver import log_in as _log_in
from tests.ui.appserver import running_app, snapshot_app_env
from tests.ui.appserver import settled as _settled
from tests.ui.netfactory import make_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("browser-login")
    net = make_network(40, seed=5)
    env = snapshot_app_env(
        tmp,
        net,
        '[access]\n[access.users.vera]\nrole = "viewer"\n'
        f'password_hash = "{hash_password("viewer-pass")}"\n',
        GRAPHCAP_ADMIN_PASSWORD="admin-pass-1",
    )
    with running_app(env, log=tmp / "app.log") as url:
        yield url, net


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
    """Ask for a page by URL within the logged-in session (without reloading the page)."""
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
    page.goto(url)  # a new session keeps the login (its cookie) ...
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    _settled(page)
    assert "Import" not in page.locator("[data-testid='stSidebarNav']").inner_text()
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Log out").click()
    page.get_by_label("User name").wait_for(timeout=60_000)  # ... until logging out
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
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
