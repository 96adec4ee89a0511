"""The login gate of the app: nothing is served before it, and each role sees only its pages.

:func:`gate` runs first in ``app.py``, before any page is declared. With users configured
(:mod:`graphcap.access`) it shows only the login form until a user logs in -- no page is
registered in ``st.navigation``, no data is read -- and afterwards returns the :class:`Session`;
a session expires after ``session_ttl_s``. Wrong passwords are counted per user name across all
sessions of the process; after ``max_failures`` in a row the name is locked for ``lockout_s``.

Without users the app is open (everyone is ``admin``, changes are recorded as ``local``) --
but only when Streamlit listens on a loopback address (``make run``) and ``GRAPHCAP_LOGIN`` is
not ``required``; otherwise the gate refuses to serve and says how to configure users.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import streamlit as st

from graphcap.access import AccessConfig, Limiter, LoginRefused, Role, load_access
from graphcap.errors import ConfigError
from graphcap.i18n import gettext as _

__all__ = ["Session", "current", "gate", "may", "open_note"]


def open_note() -> str:
    """What the sidebar says when the app is open (no users configured)."""
    return _("Open access: no login is configured (local use only; see docs/TEAM.md).")


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_KEY = "gc_session"


@dataclass(frozen=True)
class Session:
    user: str
    role: Role
    expires: float | None  # monotonic time; None for the open app

    @property
    def open(self) -> bool:
        return self.expires is None


@st.cache_resource
def _limiter() -> Limiter:
    return Limiter()


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def _config() -> AccessConfig:
    return load_access(_secrets())


def current() -> Session | None:
    """The session of this browser tab, if logged in and not expired."""
    session = st.session_state.get(_KEY)
    if session is None:
        return None
    if session.expires is not None and time.monotonic() > session.expires:
        del st.session_state[_KEY]
        return None
    return session


def may(role: Role) -> bool:
    """Whether the current user has ``role`` (or a higher one)."""
    session = current()
    return session is not None and session.role >= role


def _loopback() -> bool:
    address = st.get_option("server.address")
    return address is None or str(address) in _LOOPBACK


def gate() -> Session:
    """The logged-in session; otherwise shows the login form (or why the app cannot open) and
    stops the script run."""
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
        local = Session("local", Role.admin, None)
        st.session_state[_KEY] = local
        return local
    session = current()
    if session is not None and not session.open:
        return session
    st.session_state.pop(_KEY, None)
    _login_form(config)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _login_form(config: AccessConfig) -> None:
    st.title("graphcap")
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
    st.session_state[_KEY] = Session(user.name, user.role, time.monotonic() + config.session_ttl_s)
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
    st.session_state.pop(_KEY, None)
    st.rerun()
