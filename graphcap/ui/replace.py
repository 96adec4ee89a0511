"""The Import page's "replace the stored network": the checked files become the whole graph.

The same steps as ``graphcap import --replace``: an explicit confirmation (a checkbox naming
what is deleted; the button refuses without it and nothing is touched), a snapshot of the graph
that is replaced (:func:`graphcap.history.snapshot_before_replace`, its path shown), then the
ordinary all-or-nothing import with ``replace=True`` (:mod:`graphcap.store.replace`: what the
files do not hold is deleted, and a failure leaves the graph exactly as it was). File names and
paths are shown as text only (:func:`graphcap.ui.state.show_message`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError
from graphcap.history import snapshot_before_replace
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.ui import state
from graphcap.ui.lang import num, table

__all__ = ["render_replace"]


def _summary_rows(summary: Any) -> list[dict[str, Any]]:
    return [
        {"kind": kind, **counts} for kind, counts in summary.as_dict().items() if kind != "seconds"
    ]


def render_replace(conn: Any, net: Network, *, what: str) -> None:
    """The replace section for the checked network ``net`` (from the files named ``what``)."""
    st.subheader(_("Replace the stored network"))
    counts = conn.source.counts() if conn.has_neo4j else {}
    nodes = sum(counts.get("nodes", {}).values())
    edges = sum(counts.get("edges", {}).values())
    st.caption(
        _(
            "Instead of adding the files to the stored network, make them the whole network: "
            "stakeholders, relationships and interactions they do not hold are deleted. A "
            "snapshot of the stored network is taken first (Export page, Snapshots), and a "
            "failure changes nothing."
        )
    )
    confirmed = st.checkbox(
        _(
            "Yes, replace the stored network ({nodes} stakeholders, {edges} relationships) "
            "with these {new_nodes} stakeholders and {new_edges} relationships"
        ).format(
            nodes=num(nodes),
            edges=num(edges),
            new_nodes=num(len(net.nodes)),
            new_edges=num(len(net.edges)),
        ),
        key="imp_replace_ok",
        disabled=not conn.has_neo4j,
    )
    if not st.button(
        _("Replace the stored network"), key="imp_replace", disabled=not conn.has_neo4j
    ):
        return
    if not confirmed:
        st.error(_("Tick the confirmation above first; the stored network was not changed."))
        return
    bar = st.progress(0.0, text=_("Taking a snapshot of the stored network …"))
    try:
        info = snapshot_before_replace(conn.source, what=what)
        bar.progress(0.0, text=_("Replacing …"))

        def progress(done: int, total: int) -> None:
            bar.progress(
                min(done / total, 1.0) if total else 1.0,
                text=_("Replacing … {done} / {total}").format(done=num(done), total=num(total)),
            )

        summary = conn.source.import_network(net, progress=progress, replace=True)
    except GraphcapError as exc:
        bar.empty()
        state.show_message(exc)
        return
    bar.progress(1.0, text=_("Done"))
    removed = {kind: getattr(summary, kind).removed for kind in ("nodes", "edges", "interactions")}
    st.success(
        _(
            "The stored network was replaced: {nodes} stakeholders, {edges} relationships and "
            "{log} interactions removed."
        ).format(
            nodes=num(removed["nodes"]),
            edges=num(removed["edges"]),
            log=num(removed["interactions"]),
        )
    )
    state.show_message(
        _("Snapshot of the replaced network: {path}").format(path=info.path), kind="info"
    )
    table(pd.DataFrame(_summary_rows(summary)))
    st.session_state.pop("imp_result", None)
    st.caption(_("The other pages now show the new data (the data version changed)."))
