"""Sessions in real Chromium: a login survives a reload (its signed token in the cookie
``gc_session``); an expired, changed or logged-out token is refused and only the login form is
served."""

from __future__ import annotations

import time

import pytest

from graphcap.access import hash_password
from graphcap.session_token import issue_token, read_token
from graphcap.ui.login import COOKIE
from tests.ui.appserver import log_in as _log_in
from tests.ui.appserver import logged_in_as, running_app, snapshot_app_env
from tests.ui.appserver import settled as _settled
from tests.ui.netfactory import make_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "a session secret for the browser test"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("browser-sessions")
    net = make_network(30, seed=7)
    env = snapshot_app_env(
        tmp,
        net,
        f'[access]\nsession_secret = "{SECRET}"\nsession_ttl_s = 3600\n'
        '[access.users.ed]\nrole = "editor"\n'
        f'password_hash = "{hash_password("editor-pass-1")}"\n'
        '[access.users.vera]\nrole = "viewer"\n'
        f'password_hash = "{hash_password("viewer-pass-1")}"\n',
    )
    with running_app(env, log=tmp / "app.log") as url:
        yield url, net


def _cookie(page) -> str | None:  # type: ignore[no-untyped-def]
    for c in page.context.cookies():
        if c["name"] == COOKIE:
            return str(c["value"])
    return None


def _set_cookie(page, url: str, value: str) -> None:  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": COOKIE, "value": value, "url": url}])


def _logged_in_as(page, user: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("h1:has-text('Overview')", timeout=60_000)
    _settled(page)
    logged_in_as(page, user)


def _login_form_only(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("User name").wait_for(timeout=60_000)
    _settled(page)
    assert page.locator("h1").all_inner_texts() == ["graphcap"]
    assert page.locator("[data-testid='stSidebarNav']").count() == 0


def _no_data_received(page, net) -> None:  # type: ignore[no-untyped-def]
    received = b"".join(f if isinstance(f, bytes) else f.encode() for f in page.frames_in)
    html = page.content()
    for name in [str(n) for n in net.nodes["name"]]:
        assert name.encode() not in received and name not in html
    assert b"Overview" not in received


def _log_in_as_ed(page, url: str) -> str:  # type: ignore[no-untyped-def]
    """Log in through the form as ed; returns the session token the cookie got."""
    page.goto(url)
    page.get_by_label("User name").wait_for(timeout=60_000)
    _log_in(page, "ed", "editor-pass-1")
    _logged_in_as(page, "ed")
    page.wait_for_function(f"() => document.cookie.includes('{COOKIE}=v1.')", timeout=30_000)
    token = _cookie(page)
    assert token is not None
    return token


def test_a_login_survives_a_reload_and_logout_ends_it(app, browser_page) -> None:
    app_url, _ = app
    page = browser_page
    token = _log_in_as_ed(page, app_url)
    claims = read_token(token, secret=SECRET, now=time.time())
    assert claims.user == "ed" and 3500 < claims.expires - time.time() <= 3600
    page.reload()
    _logged_in_as(page, "ed")  # no login form: the cookie carried the session
    assert "Maintain" in page.locator("[data-testid='stSidebarNav']").inner_text()
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Log out").click()
    _login_form_only(page)
    page.wait_for_function(f"() => !document.cookie.includes('{COOKIE}=v1.')", timeout=30_000)
    _set_cookie(page, app_url, token)  # a copy of the logged-out token is refused
    page.reload()
    _login_form_only(page)
    page.get_by_text("Your saved login was not accepted").wait_for(timeout=30_000)


def test_an_expired_token_is_refused(app, browser_page) -> None:
    app_url, net = app
    page = browser_page
    expired = issue_token("ed", "password", secret=SECRET, ttl_s=60, now=time.time() - 61)
    _set_cookie(page, app_url, expired)
    page.goto(app_url)
    _login_form_only(page)
    page.get_by_text("Your session has expired").wait_for(timeout=30_000)
    _no_data_received(page, net)
    page.wait_for_function(f"() => !document.cookie.includes('{COOKIE}=v1.')", timeout=30_000)


def test_a_token_signed_with_the_secret_logs_in_a_changed_one_is_refused(app, browser_page) -> None:
    app_url, net = app
    page = browser_page
    good = issue_token("vera", "password", secret=SECRET, ttl_s=600, now=time.time())
    _set_cookie(page, app_url, good)
    page.goto(app_url)
    _logged_in_as(page, "vera")
    assert "Maintain" not in page.locator("[data-testid='stSidebarNav']").inner_text()
    # the same token with its user changed to the editor, signature kept: refused
    forged = issue_token(
        "ed", "password", secret="another secret entirely!", ttl_s=600, now=time.time()
    )
    version, _, signature = good.split(".")
    tampered = ".".join([version, forged.split(".")[1], signature])
    page.goto("about:blank")  # end vera's session before recording the new one
    page.context.clear_cookies()
    _set_cookie(page, app_url, tampered)
    page.frames_in = []
    page.goto(app_url)
    _login_form_only(page)
    page.get_by_text("Your saved login was not accepted").wait_for(timeout=30_000)
    assert "Logged in" not in page.content()
    _no_data_received(page, net)


def test_a_logged_out_token_stays_refused_after_the_app_restarts(tmp_path, browser_page) -> None:  # type: ignore[no-untyped-def]
    """Log out, stop the app, start a new app process on the same data folder and secret: the
    copied token is still refused there, while a token never logged out is accepted."""
    net = make_network(20, seed=11)
    env = snapshot_app_env(
        tmp_path,
        net,
        f'[access]\nsession_secret = "{SECRET}"\nsession_ttl_s = 3600\n'
        '[access.users.ed]\nrole = "editor"\n'
        f'password_hash = "{hash_password("editor-pass-1")}"\n',
    )
    page = browser_page
    with running_app(env, log=tmp_path / "app1.log") as url:
        token = _log_in_as_ed(page, url)
        page.locator("[data-testid='stSidebar']").get_by_role("button", name="Log out").click()
        _login_form_only(page)
        page.wait_for_function(f"() => !document.cookie.includes('{COOKIE}=v1.')", timeout=30_000)
    assert (tmp_path / "data" / "sessions" / "revoked.json").exists()
    with running_app(env, log=tmp_path / "app2.log") as url:  # a new process: nothing in memory
        page.context.clear_cookies()
        page.frames_in.clear()  # what the first app sent while ed was logged in
        _set_cookie(page, url, token)
        page.goto(url)
        _login_form_only(page)
        page.get_by_text("Your saved login was not accepted").wait_for(timeout=30_000)
        _no_data_received(page, net)
        fresh = issue_token("ed", "password", secret=SECRET, ttl_s=600, now=time.time())
        page.context.clear_cookies()
        _set_cookie(page, url, fresh)  # the restarted app accepts a token nobody logged out of
        page.goto(url)
        _logged_in_as(page, "ed")
