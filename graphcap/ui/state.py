"""What the app reads and what it keeps between reruns.

Source: Neo4j when it is configured and reachable (settings from the environment or
``st.secrets``, see :meth:`graphcap.config.connection.Neo4jSettings.from_env`), otherwise the embedded
snapshot store on the sample network (:func:`graphcap.snapshot.ensure_sample_snapshot`). The
choice is cached for :data:`SOURCE_TTL_S` seconds, so an unreachable Neo4j does not cost a
connection timeout on every click; the sidebar's "Reconnect" forgets it at once.

The network, its analysis and its layout are cached per ``source.version()``: a change in the data
(an import) changes the version and everything is recomputed; a rerun with the same data is free.
Every caller gets its own copy, so a page that changes a frame cannot change what another page
or another session sees: the network and analysis through ``st.cache_data`` (pickled), the
view and its filtered networks, which every rerun reads, as one shared object in
``st.cache_resource`` handed out through :meth:`graphcap.picture.view.View.copy` (copy-on-write
frames: no unpickling of ~10k stakeholders per rerun). What a page derives from them (drawn
HTML, formatted tables, rankings) is cached per data version and language with :func:`memo`, the
big tables with :func:`memo_table` (shared, with their cells' shown text worked out once).
``st.cache_resource`` otherwise holds only the connection (a driver is shared, never copied)
and, in :mod:`graphcap.ui.login`, the lockout counter every session must share.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from graphcap.analysis import analyze
from graphcap.compute import analyze_stored
from graphcap.config import load_project_config
from graphcap.config.connection import Neo4jSettings
from graphcap.errors import GraphcapError
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.i18n import current_language, use_language
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.picture.layout import compute_layout
from graphcap.picture.view import View, build_view, copy_network
from graphcap.snapshot import SnapshotSource, ensure_sample_snapshot
from graphcap.source import GraphSource
from graphcap.store import Neo4jStore, gds
from graphcap.ui import login
from graphcap.ui.labels import role_label
from graphcap.ui.lang import PreparedTable, TableParts, num
from graphcap.ui.plaintext import show_message, show_text

__all__ = [
    "Connection",
    "at_scale",
    "connection",
    "get_analysis",
    "get_layout",
    "filtered",
    "get_network",
    "get_view",
    "lay_out_when_done",
    "prepare_in_background",
    "md_escape",
    "neo4j_help",
    "neo4j_problem",
    "require_valid_settings",
    "show_message",
    "show_text",
    "memo",
    "memo_table",
    "open_page",
    "render_sidebar",
    "theme",
]

#: How long the choice of source is kept before Neo4j is tried again (seconds).
SOURCE_TTL_S = 60

_log = logging.getLogger(__name__)


def neo4j_help() -> str:
    """How to get Neo4j (for the pages that need it), in the current language."""
    return _(
        "Cypher console and Import need Neo4j: run `graphcap neo4j start` (Java 17+, Maven) or "
        "set NEO4J_URI / NEO4J_PASSWORD, then Reconnect."
    )


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: Any) -> str:
    """``text`` made inert for Streamlit markdown (messages, captions): every markdown/HTML
    special character backslash-escaped. It does **not** stop GFM from turning a bare URL or
    e-mail address into a link: names (data) are shown with :func:`show_text` instead.

    >>> md_escape("<img src=x onerror=alert(1)> [a](javascript:x)")
    '\\\\<img src=x onerror=alert\\\\(1\\\\)\\\\> \\\\[a\\\\]\\\\(javascript\\\\:x\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


@dataclass(frozen=True)
class Connection:
    """The source the app reads and why: ``neo4j_problem`` says why Neo4j is not used, in
    ``problem_language`` (the language of the session that connected first: the connection is
    shared, so :func:`neo4j_problem` words it again for a session in another language)."""

    source: GraphSource
    kind: str
    description: str
    neo4j_problem: str | None = None
    problem_language: str | None = None
    settings: Neo4jSettings | None = field(default=None, repr=False)
    key: str = ""

    @property
    def has_neo4j(self) -> bool:
        return self.kind == "neo4j"


#: Why Neo4j is not used when none is configured (cached in English, shown translated).
_NO_NEO4J = "no Neo4j is configured (NEO4J_URI unset and no local server set up)"


#: Why GDS is not used on the embedded snapshot (cached in English, shown translated).
_NO_GDS = "the embedded snapshot has no Graph Data Science"


def source_text(conn: Connection) -> str:
    """What the app reads, in the current language (``conn.description`` is English: it is
    cached for every session and is the ``source`` value of exports)."""
    describe_text = getattr(conn.source, "describe_text", None)
    return describe_text() if callable(describe_text) else conn.description


def neo4j_problem(conn: Connection) -> str | None:
    """Why Neo4j is not used (markdown-escaped), in the current language where it is our text."""
    if conn.neo4j_problem == _NO_NEO4J:
        return _("no Neo4j is configured (NEO4J_URI unset and no local server set up)")
    if conn.neo4j_problem is None:
        return None
    text = conn.neo4j_problem
    if conn.settings is not None and conn.problem_language not in (None, current_language()):
        text = _problem_in(conn.settings, conn.key, current_language()) or text
    return md_escape(text)


@st.cache_resource(ttl=SOURCE_TTL_S, show_spinner=False)
def _problem_in(_settings: Neo4jSettings, key: str, lang: str) -> str | None:
    """Why Neo4j cannot be used, worded in ``lang``: the cached connection's reason is in the
    language of the session that tried first, so a session in another language tries once more
    (at most once per :data:`SOURCE_TTL_S` and language) and words the failure itself. ``None``
    when Neo4j answers now (the cached connection is then out of date until "Reconnect")."""
    with use_language(lang):
        try:
            store = Neo4jStore(_settings)
            try:
                store.verify()
            finally:
                store.close()
        except GraphcapError as exc:
            return str(exc)
    return None


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:  # no secrets.toml anywhere: that is fine
        return {}


def _release(conn: Connection) -> None:
    """Close a Neo4j driver when its cache entry goes (TTL, Reconnect, cache clear)."""
    close = getattr(conn.source, "close", None)
    if callable(close):
        close()


@st.cache_resource(ttl=SOURCE_TTL_S, show_spinner=False, on_release=_release)
def _connect(_settings: Neo4jSettings, key: str) -> Connection:
    problem = None
    if not _settings.explicit and not _settings.password:
        problem = _NO_NEO4J
    else:
        try:
            store = Neo4jStore(_settings)
            store.verify()
            return Connection(store, "neo4j", store.describe())
        except GraphcapError as exc:
            problem = str(exc)

    snap = SnapshotSource(ensure_sample_snapshot())
    return Connection(
        snap, "snapshot", snap.describe(), problem, current_language(), _settings, key
    )


def _settings() -> tuple[Neo4jSettings, str]:
    settings = Neo4jSettings.from_env(secrets=_secrets())
    key = hashlib.sha256(
        "\0".join((settings.uri, settings.user, settings.database, settings.password)).encode()
    ).hexdigest()
    return settings, key


def connection() -> Connection:
    """The current source (cached; see the module doc)."""
    settings, key = _settings()
    with st.spinner(_("Connecting …")):
        return _connect(settings, key)


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


def as_of_picker(conn: Connection, key: str) -> datetime | None:
    """The "as of" date picker of a page (default: today, the current data). A past day means
    the end of that day (UTC), rebuilt from the audit trail; ``None`` for today. Without Neo4j
    (the embedded snapshot has no audit trail) the picker is shown disabled, saying why."""
    today = datetime.now(UTC).date()
    chosen = st.date_input(
        _("As of"),
        value=today,
        max_value=today,
        key=key,
        format=_("YYYY-MM-DD"),
        disabled=not conn.has_neo4j,
        help=_(
            "Show the network as it was at the end of a past day (UTC), rebuilt from the audit "
            "trail of edits and imports. Today: the current data."
        )
        if conn.has_neo4j
        else _("A past state needs Neo4j (the embedded snapshot has no audit trail)."),
    )
    if not conn.has_neo4j or not isinstance(chosen, date) or chosen >= today:
        return None
    return datetime.combine(chosen + timedelta(days=1), time.min, tzinfo=UTC) - timedelta(
        microseconds=1
    )


def past_notice(view: View) -> None:
    """Say clearly that the page shows a past state (nothing when it shows the current data)."""
    at = view_time(view)
    if at is not None:
        st.warning(
            _(
                "Past state: the network as it was at the end of {day} (UTC), rebuilt from the "
                "audit trail. Metrics are computed for that state; nothing can be edited here."
            ).format(day=at.date().isoformat()),
            icon=":material/history:",
        )


def theme() -> str:
    """The active variant of the app's theme: "light" or "dark" (light when unknown)."""
    kind = getattr(getattr(st.context, "theme", None), "type", None)
    return kind if kind in ("light", "dark") else "light"


def open_page(title: str, *, as_of: str | None = None) -> tuple[Connection, View]:
    """Start a page: its title, the current source and its view (what every page needs).
    ``as_of``: the widget key of an "as of" date picker (:func:`as_of_picker`); a past date
    gives the view of that time, with a notice saying so (a time the audit trail cannot
    rebuild shows why and stops the page)."""
    st.title(title)
    conn = connection()
    if at_scale(conn):
        st.warning(
            _(
                "This page analyses the whole network, which is too large for the app here "
                "({n} relationships, more than {limit}: app_full_analysis_max_relationships). "
                "The Overview, Network, Stakeholder, Stakeholder list and Risks pages read the metrics "
                "stored by `graphcap metrics --write`; `graphcap export csv` writes everything."
            ).format(
                n=num(sum(memo(conn, "scale|counts", conn.source.counts)["edges"].values())),
                limit=num(load_project_config().limits.app_full_analysis_max_relationships),
            ),
            icon=":material/speed:",
        )
        st.stop()
    if as_of is None:
        return conn, get_view(conn)
    at = as_of_picker(conn, as_of)
    try:
        view = get_view(conn, at)
    except GraphcapError as exc:
        show_message(exc)
        st.stop()
    past_notice(view)
    past = view_time(view)
    if past is not None and view.network.nodes.empty:  # e.g. before the first import
        st.info(
            _(
                "There were no stakeholders at the end of {day} (UTC): nothing had been imported "
                "or created yet."
            ).format(day=past.date().isoformat()),
            icon=":material/history:",
        )
        st.stop()
    return conn, view


def require_valid_settings() -> None:
    """Show one clear message and stop the page when a setting is wrong (a limit that is not a
    number in range, a bad ``graphcap.toml``): every page reads them."""
    try:
        load_project_config()
    except GraphcapError as exc:
        st.error(
            _("A setting is wrong: {problem}").format(problem=md_escape(exc)),
            icon=":material/settings:",
        )
        st.stop()


@st.cache_resource(ttl=SOURCE_TTL_S, show_spinner=False)
def _gds_problem_in(_conn: Connection, key: str, lang: str) -> str | None:
    """Why GDS cannot be used, worded in ``lang`` (the cached analysis holds the wording of the
    session that computed it); ``None`` when GDS answers (then that wording stays)."""
    with use_language(lang):
        try:
            gds.gds_version(_conn.source)
        except GraphcapError as exc:
            return str(exc)
    return None


def _engine_caption(conn: Connection) -> None:
    """Which metrics engine computed what (``metrics.engine``), and why not GDS when asked."""
    try:
        engine = load_project_config().metrics_engine
    except GraphcapError as exc:
        st.sidebar.error(str(exc))
        return
    if engine == "local":
        st.sidebar.caption(_("Metrics engine: local"))
        return
    if at_scale(conn):  # no analysis in the app (graphcap.ui.scale shows the stored one)
        st.sidebar.caption(_("Metrics engine: {engine}").format(engine=engine))
        return
    try:
        analysis = get_analysis(conn)
    except GraphcapError as exc:
        st.sidebar.error(str(exc))
        return
    st.sidebar.caption(
        _("Metrics engine: {engine}").format(engine=md_escape(analysis.engine_summary()))
    )
    problem = analysis.params.get("engine_problem")
    if problem == _NO_GDS:
        problem = _("the embedded snapshot has no Graph Data Science")
    elif problem and analysis.params.get("engine_problem_language") != current_language():
        # worded for the session that computed the shared analysis: word it for this one
        problem = _gds_problem_in(conn, _version_key(conn), current_language()) or problem
    if problem:
        st.sidebar.warning(
            _("Metrics engine gds is not available, computed locally: {problem}").format(
                problem=md_escape(problem)
            ),
            icon=":material/info:",
        )


def render_sidebar(conn: Connection, session: Any = None) -> None:
    """The shared sidebar: who is logged in, which source is connected, its counts, and how to
    get Neo4j."""
    side = st.sidebar
    if session is not None:
        if session.open:
            side.caption(login.open_note())
        else:
            show_text(  # a user name from an identity provider is an e-mail: no mailto link
                _("Logged in as {user} ({role})").format(
                    user=session.user, role=role_label(session.role.name)
                ),
                into=side,
                caption=True,
            )
            if side.button(_("Log out"), key="gc_logout"):
                login.logout()
    if conn.has_neo4j:
        side.success(_("Connected to Neo4j"), icon=":material/database:")
    else:
        side.info(_("Embedded snapshot (no Neo4j)"), icon=":material/inventory_2:")
    side.caption(md_escape(source_text(conn)))
    try:
        counts = conn.source.counts()
        nodes, edges = sum(counts["nodes"].values()), sum(counts["edges"].values())
        side.caption(
            _("{nodes} stakeholders · {edges} relationships").format(
                nodes=num(nodes), edges=num(edges)
            )
        )
    except GraphcapError as exc:
        side.error(str(exc))
    if not conn.has_neo4j:
        side.warning(neo4j_help(), icon=":material/info:")
        if conn.neo4j_problem:
            side.caption(_("Why not Neo4j: {problem}").format(problem=neo4j_problem(conn)))
    _engine_caption(conn)
    if side.button(
        _("Reconnect"),
        key="gc_reconnect",
        help=_("Forget the cached connection and the cached data"),
    ):
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
        st.rerun()
