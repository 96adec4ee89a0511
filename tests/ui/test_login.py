"""Login and roles in AppTest: nothing before login, each role its pages, lockout, expiry, and the
open app without configuration."""

from __future__ import annotations

import re
import time

import pytest
import streamlit as st

from graphcap.access import (
    AccessConfig,
    Limiter,
    LoginRefused,
    Role,
    User,
    hash_password,
    load_access,
)
from graphcap.errors import ConfigError
from graphcap.ui.login import open_note
from tests.ui.conftest import APP, PAGES

PASSWORDS = {
    "vera": "viewer-pass-1",
    "anna": "analyst-pass-1",
    "ed": "editor-pass-1",
    "ada": "admin-pass-1",
}
ROLES = {"vera": "viewer", "anna": "analyst", "ed": "editor", "ada": "admin"}


@pytest.fixture(scope="module")
def access() -> dict:
    return {
        "users": {
            n: {"role": ROLES[n], "password_hash": hash_password(p)} for n, p in PASSWORDS.items()
        },
        "max_failures": 3,
        "lockout_s": 60,
    }


def _app(access: dict | None = None):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    if access is not None:
        at.secrets["access"] = access
    at.run()
    return at


def _login(at, user: str, password: str):  # type: ignore[no-untyped-def]
    at.text_input(key="gc_login_user").input(user)
    at.text_input(key="gc_login_password").input(password)
    at.button[0].click().run()
    return at


def _sidebar(at) -> list[str]:  # type: ignore[no-untyped-def]
    """The sidebar's captions and text-only elements (graphcap.ui.state.show_text), unescaped."""
    import html

    texts = [c.value for c in at.sidebar.caption]
    for element in at.sidebar.get("html"):
        texts += [html.unescape(t) for t in re.findall(r">([^<>]+)<", element.proto.body)]
    return texts


def _texts(at) -> str:  # type: ignore[no-untyped-def]
    parts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "error",
            "info",
            "success",
            "warning",
        )
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(autouse=True)
def _fresh(snapshot_env):  # type: ignore[no-untyped-def]
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_nothing_but_the_login_form_before_login(access, snapshot_env):
    at = _app(access)
    assert not at.exception
    assert [t.value for t in at.title] == ["graphcap"]
    assert [w.label for w in at.text_input] == ["User name", "Password"]
    assert not at.dataframe and not at.metric and not at.sidebar.caption
    names = set(snapshot_env.nodes["name"].astype(str))
    assert not any(n in _texts(at) for n in names)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"{PAGES}/import.py")  # no page is registered before login


def _page_ran(at, page: str):  # type: ignore[no-untyped-def]
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    return [t.value for t in at.title]


@pytest.mark.parametrize(
    ("user", "allowed", "refused"),
    [
        ("vera", ["overview", "export"], ["console", "import", "maintain"]),
        ("anna", ["console", "export"], ["import", "maintain"]),
        ("ed", ["maintain", "console"], ["import"]),
        ("ada", ["import", "maintain", "console", "export"], []),
    ],
)
def test_each_role_reaches_exactly_its_pages(access, user, allowed, refused):
    at = _login(_app(access), user, PASSWORDS[user])
    assert not at.exception and not at.error
    assert f"Logged in as {user} ({ROLES[user]})" in _sidebar(at)
    titles = {
        "overview": "Overview",
        "export": "Export and snapshots",
        "console": "Cypher console",
        "import": "Import",
        "maintain": "Maintain",
    }
    for page in allowed:
        assert titles[page] in _page_ran(at, page), page
    for page in refused:  # not even registered in st.navigation
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"{PAGES}/{page}.py")


def test_wrong_passwords_lock_the_name_for_a_while(access):
    at = _app(access)
    for _ in range(3):
        _login(at, "ada", "wrong")
        assert [e.value for e in at.error] == ["wrong user name or password"]
    _login(at, "ada", PASSWORDS["ada"])  # the right password no longer helps
    assert "too many wrong passwords" in at.error[0].value
    assert not at.sidebar.caption


def test_a_session_expires(access):
    short = {**access, "session_ttl_s": 1}
    at = _login(_app(short), "vera", PASSWORDS["vera"])
    assert "Logged in as vera (viewer)" in _sidebar(at)
    time.sleep(1.2)
    at.run()
    assert [w.label for w in at.text_input] == ["User name", "Password"]


def test_logout(access):
    at = _login(_app(access), "ed", PASSWORDS["ed"])
    at.sidebar.button(key="gc_logout").click().run()
    assert [w.label for w in at.text_input] == ["User name", "Password"]


def test_without_configuration_the_local_app_is_open_and_says_so():
    at = _app()
    assert not at.exception
    assert open_note() in _sidebar(at)
    assert "Import" in _page_ran(at, "import")


def test_login_required_without_users_refuses_to_serve(monkeypatch):
    monkeypatch.setenv("GRAPHCAP_LOGIN", "required")
    at = _app()
    assert "needs a login but no users are configured" in at.error[0].value
    assert not at.sidebar.caption and not at.text_input


def test_admin_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRAPHCAP_ADMIN_PASSWORD", "container-secret")
    at = _login(_app(), "admin", "container-secret")
    assert "Logged in as admin (admin)" in _sidebar(at)


# -- the checks without the UI -------------------------------------------------------------------


def test_check_counts_failures_per_name_and_unlocks_after_the_lockout():
    config = AccessConfig(
        users={"a": User("a", Role.editor, hash_password("password-a"))},
        max_failures=2,
        lockout_s=10,
    )
    limiter = Limiter()
    for _ in range(2):
        with pytest.raises(LoginRefused, match="wrong"):
            config.check("a", "nope", limiter, now=100.0)
    with pytest.raises(LoginRefused, match="try again in 10 s"):
        config.check("a", "password-a", limiter, now=100.5)
    assert config.check("a", "password-a", limiter, now=110.5).role is Role.editor
    with pytest.raises(LoginRefused, match="wrong"):  # an unknown name is refused the same way
        config.check("nobody", "password-a", limiter, now=111.0)


@pytest.mark.parametrize(
    ("users", "why"),
    [
        ({"x": {"role": "owner", "password_hash": "$argon2id$x"}}, "not one of viewer"),
        ({"x": {"role": "admin", "password_hash": "plain-text"}}, "plain passwords are refused"),
        ({"x": "admin"}, "must be a table"),
    ],
)
def test_bad_access_settings_are_refused(users, why, tmp_path):
    with pytest.raises(ConfigError, match=why):
        load_access({"access": {"users": users}}, toml_path=tmp_path / "none.toml", env={})


def test_access_from_graphcap_toml(tmp_path):
    path = tmp_path / "graphcap.toml"
    hashed = hash_password("toml-pass-1")
    path.write_text(
        f'[access]\nsession_ttl_s = 60\n[access.users."zoë"]\nrole = "analyst"\n'
        f'password_hash = "{hashed}"\n',
        encoding="utf-8",
    )
    config = load_access({}, toml_path=path, env={})
    assert (
        config.session_ttl_s == 60
        and config.check("zoë", "toml-pass-1", Limiter()).role is Role.analyst
    )


# -- OIDC: the mapping of identities to roles ---------------------------------------------------

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a cookie secret of some length",
    "client_id": "graphcap",
    "client_secret": "client-secret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}


def _oidc(spec: dict, auth: dict | None = None):  # type: ignore[no-untyped-def]
    secrets = {"auth": AUTH if auth is None else auth, "access": {"oidc": spec}}
    return load_access(secrets, toml_path=None, env={})


def test_oidc_maps_users_and_groups_to_the_highest_role():
    config = _oidc(
        {
            "users": {"Alice@Example.com": "viewer"},
            "groups": {"graphcap-editors": "editor", "graphcap-admins": "admin"},
        }
    )
    assert not config.open and config.oidc is not None and not config.users
    oidc = config.oidc
    assert oidc.identify({"email": "alice@example.com"}) == ("alice@example.com", Role.viewer)
    assert oidc.identify({"email": "alice@example.com", "groups": ["graphcap-editors"]})[1] == (
        Role.editor
    )
    assert oidc.identify({"email": "bob@example.com", "groups": "graphcap-admins"})[1] == (
        Role.admin
    )
    assert oidc.identify({"email": "eve@example.com", "groups": ["other"]}) == (
        "eve@example.com",
        None,
    )
    assert oidc.identify({"email": "alice@example.com", "email_verified": False})[1] is None
    assert oidc.identify({"sub": "x"}) == ("", None)
    assert config.session_secret == AUTH["cookie_secret"]


def test_an_oidc_sign_in_ends_session_ttl_s_after_the_provider_issued_it():
    config = _oidc({"default_role": "viewer"})
    assert config.session_ttl_s == 8 * 3600
    assert config.oidc_expires({"iat": 1_000}, now=5_000.0) == 1_000 + 8 * 3600
    assert config.oidc_expires({}, now=5_000.0) == 5_000 + 8 * 3600


def test_oidc_default_role_and_another_claim():
    oidc = _oidc({"claim": "preferred_username", "default_role": "viewer"}).oidc
    assert oidc is not None
    assert oidc.identify({"preferred_username": "ann", "email": "x@y"}) == ("ann", Role.viewer)


@pytest.mark.parametrize(
    ("spec", "auth", "why"),
    [
        ({}, None, "maps nobody"),
        ({"users": {"a@b": "owner"}}, None, "not one of viewer"),
        ({"default_role": "viewer"}, {**AUTH, "client_secret": ""}, r"\[auth\] lacks client_secret"),
        ({"default_role": "viewer"}, {k: v for k, v in AUTH.items() if k != "cookie_secret"}, "lacks cookie_secret"),
        ({"default_role": "viewer", "provider": "corp"}, None, r"no \[auth.corp\] table"),
        ({"default_role": "viewer"}, {**AUTH, "redirect_uri": "http://x/"}, "oauth2callback"),
    ],
)  # fmt: skip
def test_bad_oidc_settings_are_refused(spec, auth, why):
    with pytest.raises(ConfigError, match=why):
        _oidc(spec, auth)


def test_auth_without_a_role_mapping_and_a_mapping_without_auth_are_refused():
    with pytest.raises(ConfigError, match="maps nobody to a role"):
        load_access({"auth": AUTH}, toml_path=None, env={})
    with pytest.raises(ConfigError, match=r"needs the identity provider in secrets.toml \[auth\]"):
        load_access({"access": {"oidc": {"default_role": "viewer"}}}, toml_path=None, env={})


def test_oidc_app_shows_the_provider_button_and_no_pages():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.secrets["access"] = {"oidc": {"default_role": "viewer"}}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in with your organisation's account"]
    assert not at.text_input and not at.sidebar.caption


def test_a_hostile_user_name_is_shown_as_text_in_the_sidebar(snapshot_env):
    name = "<b>x</b> [y](http://e.org) z@e.org"
    at = _app({"users": {name: {"role": "viewer", "password_hash": hash_password("pass-word-1")}}})
    at = _login(at, name, "pass-word-1")
    assert f"Logged in as {name} (viewer)" in _sidebar(at)
    body = " ".join(h.proto.body for h in at.sidebar.get("html"))
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body
