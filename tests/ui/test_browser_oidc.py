"""OIDC login in real Chromium through Streamlit's ``st.login``: a local OpenID provider
(oidc-provider-mock, started by the test on a free loopback port) signs users in; the app
(`streamlit run` on 127.0.0.1, provider in secrets.toml ``[auth]``) maps their groups to
graphcap roles. An editor sees the editor's pages and stays logged in over a reload; a user the
table does not map is refused and served no page or data."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.ui.appserver import (
    free_port,
    logged_in_as,
    running_app,
    settled,
    snapshot_app_env,
    wait_until_up,
)
from tests.ui.netfactory import make_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EDITOR = "alice@example.com"
VIEWER = "vic@example.com"
NOBODY = "bob@example.com"  # signed in by the provider, in no mapped group


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """oidc-provider-mock in its own process (its libraries warn in ways pytest makes errors)."""
    port = free_port()
    users = [
        {"sub": EDITOR, "email": EDITOR, "groups": ["gc-editors"]},
        {"sub": VIEWER, "email": VIEWER, "groups": ["gc-viewers"]},
        {"sub": NOBODY, "email": NOBODY, "groups": ["sales"]},
    ]
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for user in users:
        cmd += ["--user-claims", json.dumps(user)]
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(proc, url + "/.well-known/openid-configuration", log=log)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def app(provider: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("browser-oidc")
    net = make_network(30, seed=11)
    port = free_port()
    secrets = tmp / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a cookie secret for the OIDC browser test"\n'
        'client_id = "graphcap-test"\n'
        'client_secret = "graphcap-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "[access.oidc.groups]\n"
        'gc-editors = "editor"\n'
        'gc-viewers = "viewer"\n',
        encoding="utf-8",
    )
    env = snapshot_app_env(tmp, net, "")
    args = ["--secrets.files", str(secrets)]
    with running_app(env, log=tmp / "app.log", args=args, port=port) as url:
        yield url, net


def _sign_in(page, url: str, who: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    button = page.get_by_role("button", name="Log in with your organisation's account")
    button.wait_for(timeout=60_000)
    settled(page)
    button.click()
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)  # the provider's own page
    page.get_by_role("button", name=who).click()
    page.wait_for_url(url + "/**", timeout=60_000)  # back at the app


def _nav(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator("[data-testid='stSidebarNav']").inner_text())


def test_before_login_only_the_provider_button_is_served(app, browser_page) -> None:
    url, net = app
    page = browser_page
    page.goto(url + "/import")
    page.get_by_role("button", name="Log in with your organisation's account").wait_for(
        timeout=60_000
    )
    settled(page)
    html = page.content()
    assert page.locator("h1").all_inner_texts() == ["graphcap"]
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    received = b"".join(f if isinstance(f, bytes) else f.encode() for f in page.frames_in)
    for name in [str(n) for n in net.nodes["name"]]:
        assert name not in html and name.encode() not in received
    for word in (b"Overview", b"Stakeholders", b"Import"):
        assert word not in received


def test_a_mapped_user_logs_in_through_the_provider_and_stays_over_a_reload(
    app, browser_page
) -> None:
    url, _ = app
    page = browser_page
    _sign_in(page, url, EDITOR)
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    settled(page)
    logged_in_as(page, f"{EDITOR} (editor)")
    assert "Maintain" in _nav(page) and "Import" not in _nav(page)
    assert page.locator("[data-testid='stSidebar'] a[href^='mailto:']").count() == 0  # text only
    page.reload()
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    settled(page)
    logged_in_as(page, f"{EDITOR} (editor)")
    # logging out clears Streamlit's identity cookie and goes to the provider's logout page
    _log_out_through_the_provider(page)
    page.goto(url)
    page.get_by_role("button", name="Log in with your organisation's account").wait_for(
        timeout=60_000
    )
    assert page.locator("[data-testid='stSidebarNav']").count() == 0


def _log_out_through_the_provider(page) -> None:  # type: ignore[no-untyped-def]
    """Click Log out until the browser has asked the provider's end-session page. Every request
    is recorded from before the click: the provider sends the browser straight back to the app,
    so looking at the address afterwards can miss it. A click that lands while the page is still
    re-rendering after the reload can be lost (seen once in CI): then it is clicked again."""
    from playwright.sync_api import Error as PlaywrightError

    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    button = page.locator("[data-testid='stSidebar']").get_by_role("button", name="Log out")

    def went() -> bool:
        return any("/oauth2/end_session" in url for url in asked)

    for _attempt in range(4):
        if not went():
            try:
                button.click(timeout=15_000)
            except PlaywrightError:
                pass  # gone: the first click is already on its way
        for _ in range(40):  # up to 20 s for the browser to get there
            if went():
                return
            page.wait_for_timeout(500)
    raise AssertionError(f"Log out never reached the provider; requests: {asked[-10:]}")


def test_a_viewer_sees_the_viewers_pages(app, browser_page) -> None:
    url, _ = app
    page = browser_page
    _sign_in(page, url, VIEWER)
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    settled(page)
    logged_in_as(page, f"{VIEWER} (viewer)")
    nav = _nav(page)
    assert "Export" in nav and "Maintain" not in nav and "Cypher console" not in nav


def test_an_unmapped_user_is_refused(app, browser_page) -> None:
    url, net = app
    page = browser_page
    _sign_in(page, url, NOBODY)
    page.get_by_text("has no role in graphcap").wait_for(timeout=60_000)
    settled(page)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    html = page.content()
    assert NOBODY in html and "Logged in as" not in html
    received = b"".join(f if isinstance(f, bytes) else f.encode() for f in page.frames_in)
    for name in [str(n) for n in net.nodes["name"]]:
        assert name not in html and name.encode() not in received
    page.get_by_role("button", name="Log out").click()  # Streamlit's logout: back to the start
    page.wait_for_load_state()
