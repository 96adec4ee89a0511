"""The pages of a network too large to analyse in the app.

Above ``app_full_analysis_max_relationships`` relationships (a limit in ``graphcap.toml``
``[limits]`` or ``GRAPHCAP_APP_FULL_ANALYSIS_MAX_RELATIONSHIPS``; default 200,000), the Overview,
Network, Stakeholder list and Risks pages do not read the whole network nor analyse it (hours and
more than 10 GiB at a million stakeholders). They show what ``graphcap metrics --write`` stored
(``m_*`` properties; when, by which engine, for which data version), counts and distributions
that Neo4j aggregates (:mod:`graphcap.store.scale`), top-N tables, and a capped drawing: the
top stakeholders by stored PageRank (by number of relationships when none is stored), or one
stakeholder's neighbourhood found by a search. Below the limit the pages are unchanged.

Every result is cached per data version and language (:func:`graphcap.ui.state.memo`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _
from graphcap.picture.reduce import MAX_DRAWN_NODES
from graphcap.picture.render import network_payload, render_payload_html
from graphcap.store import scale as reads
from graphcap.ui import charts, datasource, page_start, plaintext, state, widgets
from graphcap.ui.labels import column_label
from graphcap.ui.lang import num, show_table, stamp, table_parts

__all__ = [
    "SIZE_METRIC",
    "at_scale",
    "engine_text",
    "network_page",
    "overview_page",
    "plain_metrics",
    "risks_page",
    "stakeholder_page",
    "stakeholders_page",
    "threshold",
]

#: The stored metric the capped views rank by (degree when it is not stored).
SIZE_METRIC = "pagerank"

#: Rows of a top-N table.
TOP = 10

#: Rows the Stakeholder list shows at scale.
LIST_ROWS = 1000

#: Contacts drawn around a searched stakeholder.
NEIGHBOURS = 500


def threshold() -> int:
    """``app_full_analysis_max_relationships`` (read on every page run: a changed setting counts
    at once)."""
    return int(load_project_config().limits.app_full_analysis_max_relationships)


def _counts(conn: datasource.Connection) -> dict[str, dict[str, int]]:
    return state.memo(conn, "scale|counts", conn.source.counts)


def at_scale(conn: datasource.Connection) -> bool:
    """Whether the pages take the scale path (:func:`graphcap.ui.state.at_scale`)."""
    return state.at_scale(conn)


def engine_text(parameters: dict[str, Any]) -> str:
    """Which engine computed the stored metrics, from the run's parameters (as
    :meth:`graphcap.analysis.Analysis.engine_summary`).

    >>> engine_text({"engines": {"pagerank": "gds", "closeness": "local"},
    ...              "engine_info": {"version": "2.13"}})
    'gds 2.13: pagerank; local: closeness'
    >>> engine_text({})
    'local (every measure)'
    """
    by: dict[str, list[str]] = {}
    for measure, engine in (parameters.get("engines") or {}).items():
        by.setdefault(str(engine), []).append(str(measure))
    if set(by) <= {"local"}:
        return "local (every measure)"
    version = (parameters.get("engine_info") or {}).get("version")
    return "; ".join(
        f"{engine}{' ' + str(version) if engine == 'gds' and version else ''}: "
        f"{', '.join(sorted(names))}"
        for engine, names in sorted(by.items(), key=lambda kv: kv[0] != "gds")
    )


def plain_metrics(frame: pd.DataFrame) -> pd.DataFrame:
    """Stored ``m_<metric>`` columns under their own names (``m_pagerank`` -> ``pagerank``)
    where the frame has no such column already.

    >>> plain_metrics(pd.DataFrame({"id": ["a"], "m_pagerank": [0.5]})).columns.tolist()
    ['id', 'pagerank']
    """
    names = {
        c: c[2:] for c in frame.columns if str(c).startswith("m_") and c[2:] not in frame.columns
    }
    return frame.rename(columns=names)


def _run(conn: datasource.Connection) -> dict[str, Any] | None:
    return state.memo(conn, "scale|run", conn.source.metrics_run)  # type: ignore[attr-defined]


def _stored(conn: datasource.Connection) -> set[str]:
    run = _run(conn)
    return set() if run is None else {str(m) for m in run.get("metrics") or []}


def _size_metric(conn: datasource.Connection) -> str | None:
    return SIZE_METRIC if SIZE_METRIC in _stored(conn) else None


def _banner(conn: datasource.Connection) -> None:
    """Why the page looks as it does, and what the stored metrics are."""
    relationships = sum(_counts(conn)["edges"].values())
    st.info(
        _(
            "Large network: {n} relationships, more than {limit} "
            "(app_full_analysis_max_relationships). The app does not analyse the whole network "
            "here: it shows the metrics stored by `graphcap metrics --write`, counts made by "
            "Neo4j and capped views."
        ).format(n=num(relationships), limit=num(threshold())),
        icon=":material/speed:",
    )
    run = _run(conn)
    if run is None:
        st.warning(
            _(
                "No metrics are stored yet, so there is no PageRank, risk or community to show. "
                "Run `graphcap metrics --write` (or `graphcap metrics --engine gds --write` with "
                "Graph Data Science) to compute and store them; the pages read them from then on."
            ),
            icon=":material/info:",
        )
        return
    when = run.get("computed_at")
    st.caption(
        _("Stored metrics: computed {when} by {engine} ({seconds} s).").format(
            when=stamp(when) if when is not None else "?",
            engine=plaintext.md_escape(engine_text(run.get("parameters") or {})),
            seconds=num(run.get("seconds"), 0),
        )
    )
    if run.get("data_version") and run.get("data_version") != conn.source.version():
        st.warning(
            _(
                "The data changed after the metrics were stored: they describe an earlier "
                "state. Run `graphcap metrics --write` again."
            ),
            icon=":material/history:",
        )


def _start(title: str) -> datasource.Connection:
    st.title(title)
    conn = datasource.connection()
    _banner(conn)
    return conn


def _top_table(frame: pd.DataFrame, metric: str | None) -> Any:
    shown = plain_metrics(frame)
    cols = ["name", "type", *([metric] if metric and metric in shown else []), "degree"]
    return table_parts(
        shown[[c for c in cols if c in shown.columns]].assign(type=lambda f: f["type"].astype(str)),
        decimals={"degree": 0},
    )


def overview_page() -> None:
    """The Overview at scale: counts by type, the top stakeholders, distributions."""
    conn = _start(_("Overview"))
    counts = _counts(conn)
    metric = _size_metric(conn)
    k1, k2, k3 = st.columns(3)
    k1.metric(_("Stakeholders"), num(sum(counts["nodes"].values())))
    k2.metric(_("Relationships"), num(sum(counts["edges"].values())))
    k3.metric(_("Stored metrics"), num(len(_stored(conn))))

    left, right = st.columns(2)
    with left:
        st.subheader(_("Stakeholders by type"))
        by_type = pd.DataFrame(
            [{"type": t, "stakeholders": n} for t, n in counts["nodes"].items() if n]
        )
        if not by_type.empty:
            st.altair_chart(
                state.memo(
                    conn,
                    "scale|type_bars",
                    lambda: charts.type_bars(
                        by_type, "stakeholders", title=column_label("stakeholders")
                    ),
                ),
                width="stretch",
            )
    with right:
        st.subheader(_("Relationships by type"))
        rel = pd.DataFrame(
            [{"type": t, "relationships": n} for t, n in counts["edges"].items() if n]
        )
        if not rel.empty:
            show_table(table_parts(rel, decimals={"relationships": 0}))

    if metric is None:
        st.subheader(_("Most connected stakeholders"))
    else:
        st.subheader(_("Most central stakeholders (stored PageRank)"))
    top = state.memo(
        conn, f"scale|top|{metric}", lambda: reads.top_stakeholders(conn.source, TOP, metric=metric)
    )
    show_table(_top_table(top, metric))
    if metric is not None:
        st.subheader(_("Distribution of PageRank"))
        hist = state.memo(
            conn, f"scale|hist|{metric}", lambda: reads.metric_histogram(conn.source, metric)
        )
        st.bar_chart(
            hist.assign(low=hist["low"].round(6)).set_index("low")["stakeholders"],
            x_label=column_label(metric),
            y_label=column_label("stakeholders"),
        )
    _search_box(conn, "ov_scale")


def _searched(conn: datasource.Connection, key: str, label: str) -> str | None:
    """A search box (name or id, answered by Neo4j) and a pick among the matches: the chosen
    stakeholder's id, ``None`` while nothing is searched or nothing matches."""
    needle = st.text_input(
        _("Search by name"), key=f"{key}_search", placeholder=_("part of a name or id")
    )
    if not needle.strip():
        return None
    found = state.memo(
        conn,
        f"scale|search|{needle.strip().casefold()}",
        lambda: reads.search_stakeholders(conn.source, needle),
    )
    if found.empty:
        st.caption(_("No stakeholder matches."))
        return None
    labels = widgets.stakeholder_labels(found)
    return st.selectbox(label, list(labels), format_func=lambda i: labels[i], key=f"{key}_pick")


def _search_box(conn: datasource.Connection, key: str) -> None:
    """Search a stakeholder by name or id and open its neighbourhood or its page."""
    st.subheader(_("Find a stakeholder"))
    pick = _searched(conn, key, _("Stakeholder"))
    a, b = st.columns(2)
    if pick and a.button(_("Network"), key=f"{key}_net"):
        widgets.open_network_focused(pick)
    if pick and b.button(_("Detail"), key=f"{key}_det"):
        widgets.open_stakeholder(pick)


def _drawing(
    conn: datasource.Connection,
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    size_by: str | None,
    focus: str | None,
    key: str,
) -> str:
    theme = page_start.theme()

    def html() -> str:
        drawn = plain_metrics(nodes)
        lines = plain_metrics(edges)
        payload = network_payload(
            (drawn, lines),
            size_by=size_by if size_by in drawn.columns else "degree",
            height=640,
            focus=focus,
            highlight=[focus] if focus else [],
            select_hint=_("Double-click to open its page"),
        )
        payload["select_page"] = "stakeholder"
        payload["select_param"] = "id"
        return render_payload_html(payload, page_title=_("Stakeholder network"), theme=theme)

    return state.memo(conn, f"scale|drawing|{key}|{size_by}|{theme}", html)


def _neighbourhood(
    conn: datasource.Connection, sid: str, metric: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``sid`` and its top contacts (:func:`graphcap.store.scale.neighbourhood`); stops the page
    with a warning when there is no such stakeholder."""
    nodes, edges = state.memo(
        conn,
        f"scale|ego|{sid}|{metric}",
        lambda: reads.neighbourhood(conn.source, sid, limit=NEIGHBOURS, metric=metric),
    )
    if nodes.empty:
        st.warning(_("The stakeholder asked for is not in this network."))
        st.stop()
    return nodes, edges


def network_page() -> None:
    """The Network page at scale: the top stakeholders by stored PageRank (or by number of
    relationships), or the neighbourhood of a searched stakeholder."""
    conn = _start(_("Network"))
    metric = _size_metric(conn)
    total = sum(_counts(conn)["nodes"].values())
    focus = _searched(conn, "net_scale", _("Neighbourhood of")) or widgets.requested_stakeholder(
        "focus"
    )
    try:
        if focus:
            nodes, edges = _neighbourhood(conn, focus, metric)
            degree = int(nodes.loc[nodes["id"].astype(str) == focus, "degree"].iloc[0])
            st.info(
                _(
                    "The neighbourhood of one stakeholder: {drawn} of its {n} contacts "
                    "(at most {cap}, {by} first)."
                ).format(
                    drawn=num(len(nodes) - 1),
                    n=num(degree),
                    cap=num(NEIGHBOURS),
                    by=column_label(metric) if metric else _("number of relationships"),
                )
            )
        else:
            nodes, edges = state.memo(
                conn,
                f"scale|capped|{metric}",
                lambda: reads.capped_network(conn.source, MAX_DRAWN_NODES, metric=metric),
            )
            st.info(
                _(
                    "Showing the top {kept} of {total} stakeholders by {measure} and the "
                    "relationships among them. Search a stakeholder to see its neighbourhood."
                ).format(
                    kept=num(len(nodes)),
                    total=num(total),
                    measure=column_label(metric) if metric else _("number of relationships"),
                )
            )
    except GraphcapError as exc:
        state.show_message(exc)
        st.stop()
    m1, m2 = st.columns(2)
    m1.metric(_("Drawn"), num(len(nodes)), help=_("of {n}").format(n=num(total)))
    m2.metric(_("Relationships in view"), num(len(edges)))
    if nodes.empty:
        st.warning(_("No stakeholder matches these filters."))
        st.stop()
    st.iframe(_drawing(conn, nodes, edges, metric, focus, f"{focus}|{metric}"), height=700)


def stakeholders_page() -> None:
    """The Stakeholder list at scale: a page of stakeholders sorted by a stored metric, found
    by type and name in Neo4j."""
    conn = _start(_("Stakeholder list"))
    counts = _counts(conn)
    all_types = sorted(t for t, n in counts["nodes"].items() if n)
    stored = sorted(_stored(conn))
    c1, c2, c3 = st.columns([2, 2, 1])
    types = widgets.type_filter(c1, _("Types"), all_types, key="tbl_types")
    needle = c2.text_input(_("Name contains"), key="tbl_search")
    options = [None, *stored]
    default = options.index(SIZE_METRIC) if SIZE_METRIC in stored else 0
    sort_by = c3.selectbox(
        _("Sort by"),
        options,
        index=default,
        format_func=lambda c: _("number of relationships") if c is None else column_label(c),
        key="tbl_sort",
    )
    if needle.strip():
        shown = state.memo(
            conn,
            f"scale|search|{needle.strip().casefold()}|{LIST_ROWS}",
            lambda: reads.search_stakeholders(conn.source, needle, limit=LIST_ROWS),
        )
        shown = shown[shown["type"].astype(str).isin(types)] if len(shown) else shown
    else:
        shown = state.memo(
            conn,
            f"scale|list|{sorted(types)!r}|{sort_by}",
            lambda: reads.top_stakeholders(conn.source, LIST_ROWS, metric=sort_by, types=types),
        )
    total = sum(counts["nodes"].get(t, 0) for t in types)
    st.caption(
        _(
            "{shown} of {total} stakeholders (at most {cap} are listed; "
            "`graphcap export csv` writes all of them)"
        ).format(shown=num(len(shown)), total=num(total), cap=num(LIST_ROWS))
    )
    frame = plain_metrics(shown)
    show_table(table_parts(frame), height=min(38 + 35 * len(frame), 640))
    if len(shown):
        pick = widgets.pick_stakeholder(
            _("Open a stakeholder"), shown, key="tbl_open", order_by=None
        )
        if pick and st.button(_("Open its page"), key="tbl_open_btn"):
            widgets.open_stakeholder(pick)


def risks_page() -> None:
    """The Risks page at scale: the stored single points of failure; the radar, what-if and
    sweep need the whole analysis and say how to get it."""
    conn = _start(_("Risks"))
    stored = _stored(conn)
    st.caption(
        _(
            "The at-risk radar, the what-if simulator, the risk sweep and the backtest analyse "
            "the whole network and are not run at this size. `graphcap metrics --write` stores "
            "the metrics shown here; `graphcap export csv` writes them all."
        )
    )
    st.subheader(_("Single points of failure"))
    if "is_articulation" not in stored:
        st.caption(_("Not stored: run `graphcap metrics --write`."))
    else:
        order = "betweenness" if "betweenness" in stored else None
        aps = state.memo(
            conn,
            f"scale|aps|{order}",
            lambda: reads.top_stakeholders(
                conn.source, LIST_ROWS, metric=order, flag="is_articulation"
            ),
        )
        n_aps = state.memo(
            conn, "scale|aps_count", lambda: reads.count_flagged(conn.source, "is_articulation")
        )
        st.caption(
            _(
                "{n} stakeholders whose loss splits the network; the first {shown}, highest {by} "
                "first"
            ).format(
                n=num(n_aps),
                shown=num(len(aps)),
                by=column_label(order) if order else _("number of relationships"),
            )
        )
        show_table(_top_table(aps, order))
    st.subheader(_("Stakeholders by type"))
    summary = state.memo(
        conn,
        "scale|type_summary",
        lambda: reads.type_summary(conn.source, SIZE_METRIC if SIZE_METRIC in stored else None),
    )
    show_table(
        table_parts(
            summary,
            decimals={"stakeholders": 0, "with_metric": 0},
        )
    )


def stakeholder_page() -> None:
    """One stakeholder at scale: found by a search (or the link's ``id``), its properties and
    stored metrics, and its neighbourhood."""
    conn = _start(_("Stakeholder"))
    sid = _searched(conn, "sh_scale", _("Stakeholder")) or widgets.requested_stakeholder("id")
    if not sid:
        st.stop()
    nodes, _edges = _neighbourhood(conn, sid, _size_metric(conn))
    st.query_params["id"] = sid
    me = plain_metrics(nodes[nodes["id"].astype(str) == sid]).iloc[0]
    state.show_text(me["name"], tag="h2")
    facts = pd.DataFrame(
        [
            {"property": column_label(k), "value": v if isinstance(v, str) else num(v)}
            for k, v in me.items()
            if k not in ("name",) and v is not None and not (isinstance(v, float) and v != v)
        ]
    )
    show_table(table_parts(facts))
    if st.button(_("Show its neighbourhood in the network"), key="sh_net"):
        widgets.open_network_focused(sid)
