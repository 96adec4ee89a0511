"""Keeping a drawn network within what a browser draws fluidly.

vis-network draws a few thousand stakeholders with fixed positions in about a second here (see
the "Rendering" section of docs/PERFORMANCE.md); beyond :data:`MAX_DRAWN_NODES` the view either
shows the top stakeholders by the chosen metric (:func:`top_n`) or one node per group
(:func:`aggregate`: per stakeholder type or community), and the page says which.
"""

from __future__ import annotations

from enum import Enum

import pandas as pd

__all__ = ["MAX_DRAWN_NODES", "LargeView", "aggregate", "top_n"]


class LargeView(Enum):
    """How a view too large to draw one node per stakeholder is reduced (the value is the label
    the Network page shows).

    >>> LargeView("One node per community").group_by
    'community'
    >>> LargeView.TOP.group_by is None
    True
    """

    TOP = "Top stakeholders by the size metric"
    BY_TYPE = "One node per stakeholder type"
    BY_COMMUNITY = "One node per community"

    @property
    def group_by(self) -> str | None:
        """The node column one group node stands for, ``None`` for the top-n view."""
        return {LargeView.BY_TYPE: "type", LargeView.BY_COMMUNITY: "community"}.get(self)


#: Most stakeholders drawn one by one; measured in bench/bench_render.py.
MAX_DRAWN_NODES = 2500


def _degree(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.Series:
    ends = pd.concat([edges["source"], edges["target"]]).astype(str).value_counts()
    return nodes["id"].astype(str).map(ends).fillna(0)


def top_n(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    by: str | None,
    limit: int = MAX_DRAWN_NODES,
    keep: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """The ``limit`` stakeholders ranked highest by column ``by`` (number of relationships when
    ``by`` is missing), always including the ids in ``keep`` (e.g. the focal organisation), and
    the edges among them. The third value says what was left out, or None if nothing was.

    >>> n = pd.DataFrame({"id": list("abcd"), "name": list("ABCD"), "type": ["customer"] * 4,
    ...                   "revenue": [4.0, 3.0, 2.0, 1.0]})
    >>> e = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"], "type": ["REFERS"] * 3})
    >>> kept, kept_edges, note = top_n(n, e, by="revenue", limit=2)
    >>> list(kept["id"]), len(kept_edges), note
    (['a', 'b'], 1, 'Showing the top 2 of 4 stakeholders by revenue (2 left out to keep the view fluid).')
    """
    if len(nodes) <= limit:
        return nodes, edges, None
    score = (
        pd.to_numeric(nodes[by], errors="coerce").fillna(float("-inf"))
        if by and by in nodes.columns
        else _degree(nodes, edges)
    )
    ranked = nodes.assign(_score=score.values, _keep=nodes["id"].astype(str).isin(keep).values)
    ranked = ranked.sort_values(["_keep", "_score"], ascending=[False, False], kind="stable")
    kept = ranked.head(limit).drop(columns=["_score", "_keep"])
    kept = kept.loc[nodes.index.intersection(kept.index)]  # original order
    ids = set(kept["id"].astype(str))
    kept_edges = edges[
        edges["source"].astype(str).isin(ids) & edges["target"].astype(str).isin(ids)
    ]
    label = by if by and by in nodes.columns else "number of relationships"
    note = (
        f"Showing the top {len(kept):,} of {len(nodes):,} stakeholders by {label} "
        f"({len(nodes) - len(kept):,} left out to keep the view fluid)."
    )
    return kept, kept_edges, note


def aggregate(
    nodes: pd.DataFrame, edges: pd.DataFrame, *, by: str = "type"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One node per value of ``by`` (``type`` or ``community``), sized by its stakeholders, and
    one edge per pair of groups and relationship type, as wide as the mean strength.

    >>> n = pd.DataFrame({"id": list("abc"), "name": list("ABC"), "type": ["customer", "customer", "supplier"]})
    >>> e = pd.DataFrame({"source": ["a", "c"], "target": ["b", "a"], "type": ["REFERS", "SUPPLIES"]})
    >>> groups, links = aggregate(n, e)
    >>> groups[["id", "stakeholders"]].values.tolist()
    [['group:customer', 2], ['group:supplier', 1]]
    >>> links[["source", "target", "type", "relationships"]].values.tolist()
    [['group:customer', 'group:customer', 'REFERS', 1], ['group:supplier', 'group:customer', 'SUPPLIES', 1]]
    """
    key = nodes[by].astype("string").fillna("none").astype(str)
    group_of = dict(zip(nodes["id"].astype(str), key, strict=True))
    sizes = key.value_counts().sort_index()
    majority = nodes.assign(_g=key.values).groupby("_g")["type"].agg(lambda s: s.mode().iloc[0])
    groups = pd.DataFrame(
        {
            "id": [f"group:{g}" for g in sizes.index],
            "name": [
                f"{by} {g} ({n:,} stakeholders)" if by != "type" else f"{g} ({n:,})"
                for g, n in sizes.items()
            ],
            "type": [str(majority[g]) for g in sizes.index],
            "group": [str(g) for g in sizes.index],
            "stakeholders": sizes.values.astype(int),
        }
    )
    if edges.empty:
        return groups, pd.DataFrame(
            columns=["source", "target", "type", "strength", "relationships"]
        )
    frame = pd.DataFrame(
        {
            "source": "group:" + edges["source"].astype(str).map(group_of),
            "target": "group:" + edges["target"].astype(str).map(group_of),
            "type": edges["type"].astype(str),
            "strength": pd.to_numeric(edges["strength"], errors="coerce")
            if "strength" in edges.columns
            else float("nan"),
        }
    ).dropna(subset=["source", "target"])
    links = (
        frame.groupby(["source", "target", "type"], as_index=False)
        .agg(strength=("strength", "mean"), relationships=("type", "size"))
        .sort_values(["source", "target", "type"], kind="stable")
        .reset_index(drop=True)
    )
    return groups, links


#: Stakeholders drawn one by one when the Network page opens; more on request, up to the cap.
#: Each browser lays out and draws every node it gets, so a first view of the few hundred most
#: telling stakeholders opens in a fraction of the time of the cap (docs/PERFORMANCE.md,
#: "Concurrent sessions"), as Bloom and Kumu open large graphs.
FIRST_DRAWN_NODES = 500


def drawing_limits(cap: int | None = None, first: int | None = None) -> list[int]:
    """The choices of how many stakeholders to draw one by one: half, once and twice ``first``
    (default :data:`FIRST_DRAWN_NODES`) where below ``cap`` (default :data:`MAX_DRAWN_NODES`),
    and the cap itself, always the last.

    >>> drawing_limits(2500, 500), drawing_limits(800, 500), drawing_limits(20, 500)
    ([250, 500, 1000, 2500], [250, 500, 800], [20])
    """
    cap = MAX_DRAWN_NODES if cap is None else cap
    first = FIRST_DRAWN_NODES if first is None else first
    return [n for n in dict.fromkeys((max(1, first // 2), first, 2 * first)) if n < cap] + [cap]
