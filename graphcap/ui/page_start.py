"""What every page does around its content: its title, the source and the view it reads
(:func:`open_page`, with the "as of" picker and the notice of a past state), the settings check,
and the active theme.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _
from graphcap.picture.view import View
from graphcap.ui.datasource import Connection, connection
from graphcap.ui.lang import num
from graphcap.ui.plaintext import md_escape, show_message
from graphcap.ui.state import at_scale, get_view, memo, view_time

__all__ = ["as_of_picker", "open_page", "past_notice", "require_valid_settings", "theme"]


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
