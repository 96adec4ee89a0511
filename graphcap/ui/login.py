"""The login gate of the app: nothing is served before it, and each role sees only its pages.

:func:`gate` runs first in ``app.py``, before any page is declared. With users or an identity
provider configured (:mod:`graphcap.access`) it shows only the login form until a user logs in --
no page is registered in ``st.navigation``, no data is read -- and afterwards returns the
:class:`Session`. Wrong passwords are counted per user name across all sessions of the process;
after ``max_failures`` in a row the name is locked for ``lockout_s``.

A session lasts ``session_ttl_s`` from the login and survives a reload of the tab:

- a built-in user gets a signed, expiring token (:mod:`graphcap.session_token`) in the cookie
  ``gc_session``; a reload reads it back from ``st.context.cookies``; a changed, expired or
  logged-out token is refused and the login form comes back (logouts are kept in a file in the
  data folder, :mod:`graphcap.revocations`, so a restart of the app does not forget them);
- an OIDC user (``st.login``) is remembered by Streamlit's own signed cookie; graphcap lets the
  session end ``session_ttl_s`` after the provider issued the identity (its ``iat`` claim) and
  maps the identity to a role through ``[access.oidc]``; an identity without a role is refused.

Without users the app is open (everyone is ``admin``, changes are recorded as ``local``) --
but only when Streamlit listens on a loopback address (``make run``) and ``GRAPHCAP_LOGIN`` is
not ``required``; otherwise the gate refuses to serve and says how to configure users.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from graphcap.access import AccessConfig, Limiter, LoginRefused, Role, load_access
from graphcap.errors import ConfigError, GraphcapError
from graphcap.i18n import gettext as _
from graphcap.revocations import RevocationFile, default_path
from graphcap.session_token import (
    Claims,
    TokenRefused,
    issue_token,
    new_secret,
    read_token,
)
from graphcap.ui.plaintext import show_message

__all__ = ["COOKIE", "Session", "current", "gate", "may", "open_note"]


def open_note() -> str:
    """What the sidebar says when the app is open (no users configured)."""
    return _("Open access: no login is configured (local use only; see docs/TEAM.md).")


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_KEY = "gc_session"
COOKIE = "gc_session"  # the cookie that carries a built-in user's session token
_SET_COOKIE = "gc_set_cookie"
_CLEAR_COOKIE = "gc_clear_cookie"
_LOGGED_OUT = "gc_logged_out"
_NOTE = "gc_login_note"


@dataclass(frozen=True)
class Session:
    user: str
    role: Role
    expires: float | None  # seconds since the epoch; None for the open app
    method: str = "password"  # "password", "oidc" or "local"
    token: Claims | None = None

    @property
    def open(self) -> bool:
        return self.expires is None


@st.cache_resource
def _limiter() -> Limiter:
    return Limiter()


@st.cache_resource
def _revoked_in(path: str) -> RevocationFile:
    return RevocationFile(Path(path))


def _revoked() -> RevocationFile:
    """The logged-out tokens, kept in the app's data folder so a restart keeps them
    (:mod:`graphcap.revocations`); one object per file and server."""
    return _revoked_in(str(default_path()))


@st.cache_resource
def _process_secret() -> str:
    """The signing secret when none is configured: a restart logs everybody out."""
    return new_secret()


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def _config() -> AccessConfig:
    return load_access(_secrets())


def _secret(config: AccessConfig) -> str:
    return config.session_secret or _process_secret()


def current() -> Session | None:
    """The session of this browser tab, if logged in and not expired."""
    session = st.session_state.get(_KEY)
    if session is None:
        return None
    if session.expires is not None and time.time() >= session.expires:
        del st.session_state[_KEY]
        st.session_state[_NOTE] = "expired"
        return None
    return session


def may(role: Role) -> bool:
    """Whether the current user has ``role`` (or a higher one)."""
    session = current()
    return session is not None and session.role >= role


def _loopback() -> bool:
    address = st.get_option("server.address")
    return address is None or str(address) in _LOOPBACK


def gate(while_logging_in: Callable[[], None] | None = None) -> Session:
    """The logged-in session; otherwise shows the login form (or why the app cannot open) and
    stops the script run, calling ``while_logging_in`` first (the app starts preparing the
    shared data there: :func:`graphcap.ui.state.prepare_in_background`)."""
    try:
        config = _config()
    except ConfigError as exc:
        st.error(_("The app's access settings are wrong: {problem}").format(problem=exc))
        st.stop()
    if config.open:
        if config.required or not _loopback():
            st.error(
                _(
                    "This app needs a login but no users are configured: set "
                    "GRAPHCAP_ADMIN_PASSWORD or [access.users.NAME] in secrets.toml / "
                    "graphcap.toml (docs/TEAM.md)."
                )
            )
            st.stop()
        local = Session("local", Role.admin, None, "local")
        st.session_state[_KEY] = local
        return local
    session = current()
    if session is not None and session.method == "oidc" and not _oidc_signed_in():
        session = None  # logged out of the provider's cookie in another tab
    if session is None:
        st.session_state.pop(_KEY, None)
        session = _from_oidc(config) or _from_cookie(config)
    if session is not None and not session.open:
        st.session_state[_KEY] = session
        token = st.session_state.pop(_SET_COOKIE, None)
        if token:
            _write_cookie(token, session.expires)
        return session
    _login_page(config)
    _no_pages()
    if while_logging_in is not None:
        while_logging_in()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _login_only() -> None:
    """The only page before login; never run (the gate stops first)."""


def _no_pages() -> None:
    """Replace the pages a browser may still list from before a logout by none at all."""
    st.navigation([st.Page(_login_only, title="graphcap", default=True)], position="hidden")


# -- OIDC (st.login) ----------------------------------------------------------------------------


def _oidc_signed_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - no auth configured: st.user has no login state
        return False


def _from_oidc(config: AccessConfig) -> Session | None:
    """The session of a user the identity provider signed in, if mapped to a role and not
    expired; an unmapped identity is refused (and told so)."""
    if config.oidc is None or not _oidc_signed_in():
        return None
    claims = st.user.to_dict()
    who, role = config.oidc.identify(claims)
    if role is None:
        st.session_state[_NOTE] = "no-role"
        st.session_state["gc_oidc_who"] = who
        return None
    now = time.time()
    expires = config.oidc_expires(claims, now)
    if expires <= now:
        st.session_state[_NOTE] = "expired"
        return None
    return Session(who, role, expires, "oidc")


# -- built-in users: the signed token in a cookie -----------------------------------------------


def _from_cookie(config: AccessConfig) -> Session | None:
    """The session a token cookie carries (after a reload), or None (with why in _NOTE)."""
    if not config.users or st.session_state.get(_LOGGED_OUT):
        return None
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser connection (AppTest): no cookies
        return None
    if not token:
        return None
    now = time.time()
    try:
        claims = read_token(token, secret=_secret(config), now=now)
        _revoked().check(claims, now)
        user = config.users.get(claims.user)
        if user is None or claims.method != "password":
            raise TokenRefused(_("the user no longer exists"))
    except TokenRefused as exc:
        st.session_state[_NOTE] = "expired" if exc.expired else "refused"
        st.session_state[_CLEAR_COOKIE] = True
        st.session_state[_LOGGED_OUT] = True  # read the refused cookie once per session only
        return None
    return Session(user.name, user.role, claims.expires, "password", claims)


def _write_cookie(token: str, expires: float | None) -> None:
    max_age = 0 if expires is None else max(0, int(expires - time.time()))
    value = "" if not token else token
    script = (
        "<script>(function(){var s=location.protocol==='https:'?'; Secure':'';"
        f"document.cookie={json.dumps(f'{COOKIE}={value}; Path=/; Max-Age={max_age}')}"
        "+'; SameSite=Strict'+s;})();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


# -- the login page -----------------------------------------------------------------------------


def _login_page(config: AccessConfig) -> None:
    st.title("graphcap")
    if st.session_state.pop(_CLEAR_COOKIE, False):
        _write_cookie("", None)
    note = st.session_state.pop(_NOTE, None)
    if note == "expired":
        st.info(_("Your session has expired: please log in again."))
    elif note == "refused":
        st.warning(_("Your saved login was not accepted: please log in again."))
    elif note == "no-role":
        who = st.session_state.get("gc_oidc_who") or "?"
        show_message(  # the name comes from the provider: shown as text, never as markdown
            _(
                "{user} is signed in with the identity provider but has no role in graphcap: "
                "ask an administrator."
            ).format(user=who),
        )
        if st.button(_("Log out"), key="gc_oidc_refused_logout"):
            st.logout()
        return
    if config.oidc is not None:
        label = (
            _("Log in with {provider}").format(provider=config.oidc.provider)
            if config.oidc.provider
            else _("Log in with your organisation's account")
        )
        if st.button(label, key="gc_oidc_login"):
            st.login(config.oidc.provider)
    if config.users:
        _login_form(config)


def _login_form(config: AccessConfig) -> None:
    with st.form("gc_login"):
        name = st.text_input(_("User name"), key="gc_login_user")
        password = st.text_input(_("Password"), type="password", key="gc_login_password")
        submitted = st.form_submit_button(_("Log in"))
    if not submitted:
        return
    try:
        user = config.check(name, password, _limiter())
    except LoginRefused as exc:
        st.error(_refusal(exc))
        return
    now = time.time()
    token = issue_token(
        user.name, "password", secret=_secret(config), ttl_s=config.session_ttl_s, now=now
    )
    claims = read_token(token, secret=_secret(config), now=now)
    st.session_state[_KEY] = Session(user.name, user.role, claims.expires, "password", claims)
    st.session_state[_SET_COOKIE] = token
    st.session_state.pop(_LOGGED_OUT, None)
    st.rerun()


def _refusal(exc: LoginRefused) -> str:
    """Why the login was refused, in the current language."""
    text = str(exc)
    if text == "wrong user name or password":
        return _("wrong user name or password")
    wait = re.fullmatch(r"too many wrong passwords: try again in (\d+) s", text)
    if wait:
        return _("too many wrong passwords: try again in {seconds} s").format(seconds=wait[1])
    return text


def logout() -> None:
    """End the session: revoke its token and delete the cookie (built-in users), or log out of
    Streamlit's identity cookie (OIDC)."""
    session = st.session_state.pop(_KEY, None)
    if session is not None and session.token is not None:
        try:
            _revoked().revoke(session.token, time.time())
        except (OSError, GraphcapError) as exc:  # kept in memory: refused until a restart
            logging.getLogger(__name__).warning("logout not saved to the file: %s", exc)
    st.session_state[_LOGGED_OUT] = True
    st.session_state[_CLEAR_COOKIE] = True
    if session is not None and session.method == "oidc":
        st.logout()  # queues the browser's redirect to the provider's logout
        # stop, not rerun: a new script run starts by clearing the messages still queued for
        # the browser, and could drop that redirect before it was sent (seen on a busy server)
        st.stop()
    st.rerun()
