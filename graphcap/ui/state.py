"""What the app keeps between reruns: the network, its analysis, its layout and what pages derive
from them, cached per data version.

They are cached per ``source.version()`` (the source: :mod:`graphcap.ui.datasource`): a change in
the data (an import) changes the version and everything is recomputed; a rerun with the same data
is free. Every caller gets its own copy, so a page that changes a frame cannot change what another
page or another session sees: the network and analysis through ``st.cache_data`` (pickled), the
view and its filtered networks, which every rerun reads, as one shared object in
``st.cache_resource`` handed out through :meth:`graphcap.picture.view.View.copy` (copy-on-write
frames: no unpickling of ~10k stakeholders per rerun). What a page derives from them (drawn
HTML, formatted tables, rankings) is cached per data version and language with :func:`memo`, the
big tables with :func:`memo_table` (shared, with their cells' shown text worked out once).
``st.cache_resource`` otherwise holds only the connection (:mod:`graphcap.ui.datasource`) and, in
:mod:`graphcap.ui.login`, the lockout counter every session must share.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from graphcap.analysis import analyze
from graphcap.compute import analyze_stored
from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.i18n import current_language
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.picture.layout import compute_layout
from graphcap.picture.view import View, build_view, copy_network
from graphcap.store import Neo4jStore
from graphcap.ui.datasource import Connection, _connect, _settings
from graphcap.ui.lang import PreparedTable, TableParts
from graphcap.ui.plaintext import show_message, show_text

__all__ = [
    "at_scale",
    "filtered",
    "forget",
    "get_analysis",
    "get_layout",
    "get_network",
    "get_view",
    "lay_out_when_done",
    "layout_of",
    "memo",
    "memo_table",
    "prepare_in_background",
    "show_message",
    "show_text",
    "view_time",
]

_log = logging.getLogger(__name__)


#: Why GDS is not used on the embedded snapshot (cached in English, shown translated).
_NO_GDS = "the embedded snapshot has no Graph Data Science"


_PREPARING = threading.Lock()


def prepare_in_background() -> None:
    """Read, analyse and lay out the current data into the shared caches in a background
    thread, one at a time (the login page calls it: the data is the same for every user, so a
    cold server prepares it while the first user logs in, and ``graphcap app``'s warm-up,
    :mod:`graphcap.ui.warmup`, which never logs in, fills the caches). Cheap once done: every
    step is a cache hit. A failure is only logged: the first page meets it itself."""
    if not _PREPARING.acquire(blocking=False):
        return
    try:
        settings, key = _settings()
    except Exception:
        _PREPARING.release()
        raise

    def prepare() -> None:
        try:
            conn = _connect(settings, key)
            if at_scale(conn):  # the pages read stored metrics there: nothing to prepare
                return
            version = _version_key(conn)
            _view(conn, version, None)
            _lay_out_soon(conn, version)
        except Exception:  # noqa: BLE001 - the first page shows the error
            _log.warning("preparing the data in the background failed", exc_info=True)
        finally:
            _PREPARING.release()

    threading.Thread(target=prepare, name="graphcap-prepare", daemon=True).start()


def _version_key(conn: Connection) -> str:
    return f"{conn.kind}:{conn.description}:{conn.source.version()}"


@st.cache_data(max_entries=4, show_spinner=False)
def _network(_conn: Connection, key: str) -> Network:
    return _conn.source.read_network()


def get_network(conn: Connection) -> Network:
    """The whole network of the source (cached per data version)."""
    with st.spinner(_("Reading the network …")):
        return _network(conn, _version_key(conn))


@st.cache_data(max_entries=4, show_spinner=False)
def _analysis(_network: Network, key: str, _conn: Connection | None = None) -> Any:
    """The analysis on the configured metrics engine (``metrics.engine``). ``gds`` needs Neo4j
    with Graph Data Science; without it the local engine computes everything and
    ``params["engine_problem"]`` says why (the sidebar shows it)."""

    config = load_project_config()
    if config.metrics_engine == "gds":
        problem = _NO_GDS
        if _conn is not None and _conn.has_neo4j:
            try:
                return analyze_stored(_conn.source, _network, engine="gds", config=config)
            except GraphcapError as exc:
                problem = str(exc)
        local = analyze(_network, config=config)
        params = {**local.params, "engine_problem": problem}
        params["engine_problem_language"] = current_language()
        return replace(local, params=params)
    return analyze(_network, config=config)


def get_analysis(conn: Connection) -> Any:
    """The :class:`graphcap.analysis.Analysis` of the whole network (cached per data version)."""
    key = _version_key(conn)
    if get_script_run_ctx(suppress_warning=True) is None:  # prepare_in_background: no page
        return _analysis(_network(conn, key), key, conn)
    with st.spinner(_("Computing metrics …")):
        return _analysis(_network(conn, key), key, conn)


@st.cache_data(max_entries=4, show_spinner=False)
def _layout(_network: Network, key: str) -> dict[str, tuple[float, float]]:
    return compute_layout(_network.nodes["id"].astype(str), _network.edges)


def get_layout(conn: Connection) -> dict[str, tuple[float, float]]:
    """Positions of every stakeholder, computed once per data version (so filters never move a
    stakeholder)."""
    key = _version_key(conn)
    with st.spinner(_("Laying out the network …")):
        return _layout(_network(conn, key), key)


@st.cache_resource(max_entries=4, show_spinner=False)
def _view(_conn: Connection, key: str, at: str | None = None) -> View:
    """One view per data version (and past time) for all sessions, never handed out itself:
    :func:`get_view` gives each caller a :meth:`~graphcap.picture.view.View.copy` (copy-on-write
    frames), where ``st.cache_data`` would unpickle the whole network and analysis on every
    rerun (about half a second for ~10k stakeholders)."""
    if at is None:
        return build_view(_network(_conn, key), get_analysis(_conn), {})
    # a past state (graphcap.store.asof): its own network and metrics computed locally (the
    # stored GDS metrics are today's)
    source = _conn.source
    if not isinstance(source, Neo4jStore):
        raise GraphcapError(
            _("A past state needs Neo4j (the embedded snapshot has no audit trail).")
        )
    net = source.read_network_at(datetime.fromisoformat(at))
    return build_view(net, _analysis(net, f"{key}@{at}"), {})


def get_view(conn: Connection, at: datetime | None = None) -> View:
    """Stakeholders with metrics and relationships with strength (per data version); ``at``: as
    they were at that past time, rebuilt from the audit trail (Neo4j only). Its ``positions``
    are empty: laying out ~10k stakeholders takes seconds, and only the pages that draw the
    network need it (:func:`layout_of`), so the Overview never waits for it; the layout of the
    current data is started in the background when the page run ends (:func:`lay_out_when_done`)."""
    key = _version_key(conn)
    with st.spinner(_("Reading the network …")):
        view = _view(conn, key, None if at is None else at.isoformat()).copy()
    if at is None:
        _PENDING.layout = (conn, key)
    return view


#: The layout a page run asked for (:func:`get_view`), started when the run ends.
_PENDING = threading.local()


def lay_out_when_done() -> None:
    """Start the background layout (:func:`_lay_out_soon`) of the data version this page run
    read, now that the run has ended (``graphcap.ui.app.main`` calls it after every page): a
    layout started while the page is still being made would slow that page down on a cold
    server (one Python interpreter: the threads take turns)."""
    pending = getattr(_PENDING, "layout", None)
    _PENDING.layout = None
    if pending is not None:
        _lay_out_soon(*pending)


#: Data versions whose layout has been started in the background (a few kept).
_LAID_OUT: set[str] = set()
_LAID_OUT_LOCK = threading.Lock()


def _lay_out_soon(conn: Connection, key: str) -> None:
    """Lay the network of data version ``key`` out in a background thread, once per version,
    into the shared cache :func:`get_layout` reads: the first Network page opened after the
    first page of a new version (a fresh server, an import) then finds it done, or waits only
    for the rest of it (Streamlit computes a cached value once; a caller arriving meanwhile
    waits for it). A failure is only logged here: the Network page then meets it itself."""
    with _LAID_OUT_LOCK:
        if key in _LAID_OUT:
            return
        if len(_LAID_OUT) >= 16:
            _LAID_OUT.clear()
        _LAID_OUT.add(key)

    def lay_out() -> None:
        try:
            _layout(_network(conn, key), key)
        except Exception:  # noqa: BLE001 - the page that needs the layout shows the error
            _log.warning("laying out the network in the background failed", exc_info=True)

    threading.Thread(target=lay_out, name="graphcap-layout", daemon=True).start()


def view_time(view: View) -> datetime | None:
    """The past time a view shows (``None``: the current data)."""
    at = view.network.meta.get("as_of_time")
    return at if isinstance(at, datetime) else None


def layout_of(conn: Connection, view: View) -> dict[str, tuple[float, float]]:
    """Positions for ``view``: the data version's (:func:`get_layout`), or for a past state its
    own (computed once per past time)."""
    at = view_time(view)
    if at is None:
        return get_layout(conn)
    with st.spinner(_("Laying out the network …")):
        return _layout(view.network, f"{_version_key(conn)}@{at.isoformat()}")


@st.cache_resource(max_entries=32, show_spinner=False)
def _filtered(_conn: Connection, key: str, _flt: NetworkFilter, at: str | None = None) -> Network:
    view = _view(_conn, key.split("|", 1)[0], at)
    return apply_filter(view.copy().network_of_view(), _flt, communities=view.community_map())


def filtered(conn: Connection, flt: NetworkFilter, at: datetime | None = None) -> Network:
    """The view (at ``at``, see :func:`get_view`) narrowed by ``flt`` (metrics and strength
    columns kept; computed once per data version, past time and filter for all sessions, each
    caller gets its own copy)."""
    key = f"{_version_key(conn)}|{flt!r}"
    return copy_network(_filtered(conn, key, flt, None if at is None else at.isoformat()))


@st.cache_data(max_entries=64, show_spinner=False)
def _memo(key: str, _build: Callable[[], Any]) -> Any:
    return _build()


def memo(conn: Connection, key: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per data version, language and ``key`` (the drawn HTML of a filter, a
    formatted table, a ranking), shared by every session: a rerun caused by an unrelated widget,
    or another session opening the same page, does not rebuild it. ``key`` must name everything
    else the result depends on (filters, options); the language is added here because formatted
    numbers, dates and labels depend on it."""
    return _memo(f"{_version_key(conn)}|{current_language()}|{key}", build)


@st.cache_resource(max_entries=32, show_spinner=False)
def _memo_table(key: str, _build: Callable[[], TableParts]) -> PreparedTable:
    return PreparedTable(_build())


def memo_table(conn: Connection, key: str, build: Callable[[], TableParts]) -> PreparedTable:
    """A table (``build`` returns :func:`graphcap.ui.lang.table_parts`) made once per data
    version, language and ``key`` (as :func:`memo`) and shown by
    :func:`graphcap.ui.lang.show_table` without working out its cells' text again: one shared,
    read-only object, not a copy per session (the text of ~10k rows is megabytes)."""
    return _memo_table(f"{_version_key(conn)}|{current_language()}|{key}", build)


def at_scale(conn: Connection) -> bool:
    """Whether Neo4j holds more relationships than ``app_full_analysis_max_relationships``:
    then the pages neither read the whole network nor analyse it (:mod:`graphcap.ui.scale`).
    The embedded snapshot (the small sample) never is. The limit is read on every call."""
    if not conn.has_neo4j:
        return False
    limit = load_project_config().limits.app_full_analysis_max_relationships
    counts = memo(conn, "scale|counts", conn.source.counts)
    return sum(counts["edges"].values()) > limit


def forget() -> None:
    """Forget the cached connection and the cached data (the sidebar's "Reconnect")."""
    _connect.clear()
    _network.clear()
    _analysis.clear()
    _layout.clear()
    _view.clear()
    _filtered.clear()
    _memo.clear()
    _memo_table.clear()
    with _LAID_OUT_LOCK:
        _LAID_OUT.clear()
