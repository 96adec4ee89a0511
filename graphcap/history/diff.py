"""What changed between two snapshots of the network.

A strategy team compares "now" with "last quarter": which relationships were won and lost, which
got notably stronger or weaker, which stakeholders moved to another community or to another
power/interest quadrant, and how the Relational Capital Index moved and why.

How each part is computed:

* **Relationships gained / lost**: a relationship is its (source, type, target); gained = in the
  newer snapshot only, lost = in the older only. Stakeholders added and removed likewise by id.
* **Strength changes**: for relationships in both, ``after - before`` of the strength (the
  derived strength when the snapshot stored metrics, else the given ``strength`` column), listed
  when ``|change| >= threshold`` (default 0.1 on the 0-1 scale), largest first.
* **Community changes**: community numbers are arbitrary per run (Louvain labels), so the older
  communities are first matched to the newer ones by overlap (maximum-weight matching of the
  shared stakeholders, Hungarian method); a stakeholder "changed community" when its newer
  community is not the match of its older one. Unmatched new communities count as new.
* **Quadrant changes**: the power/interest quadrant before and after, where both are known.
* **RCI change and its drivers**: the score before and after; per dimension the points before and
  after (points add up to the score, so the changes add up to the score change) and per
  stakeholder type the type score before and after, largest moves first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphcap.i18n import current_language, format_number
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import dimension_label
from graphcap.model import Network

__all__ = ["DEFAULT_STRENGTH_THRESHOLD", "SnapshotContent", "SnapshotDiff", "diff_contents"]

DEFAULT_STRENGTH_THRESHOLD = 0.1
_KEY = ["source", "type", "target"]


@dataclass
class SnapshotContent:
    """What a diff compares: the network and the figures stored with it.

    ``node_metrics`` holds ``id`` and, where computed, ``community`` and ``quadrant``;
    ``edge_metrics`` ``source type target strength``; ``rci_dimensions`` ``dimension points``;
    ``rci_by_type`` ``type score``. Any of them may be missing (``None``): that part of the diff
    is then empty and ``notes`` says so.
    """

    name: str
    created: str
    network: Network
    node_metrics: pd.DataFrame | None = None
    edge_metrics: pd.DataFrame | None = None
    rci: float | None = None
    rci_dimensions: pd.DataFrame | None = None
    rci_by_type: pd.DataFrame | None = None
    meta: dict = field(default_factory=dict)
    #: every stored frame by name (``risks``, ``communities``, ``lorenz`` ...)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class SnapshotDiff:
    """The changes from ``before`` to ``after`` (see the module doc); every part is a frame."""

    before: str
    after: str
    threshold: float
    stakeholders_added: pd.DataFrame
    stakeholders_removed: pd.DataFrame
    gained: pd.DataFrame
    lost: pd.DataFrame
    strength_changes: pd.DataFrame
    community_changes: pd.DataFrame
    quadrant_changes: pd.DataFrame
    rci_before: float | None
    rci_after: float | None
    rci_drivers: pd.DataFrame
    rci_by_type: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def rci_change(self) -> float | None:
        if self.rci_before is None or self.rci_after is None:
            return None
        return self.rci_after - self.rci_before

    def summary(self) -> list[str]:
        """One line per kind of change, for the CLI, the app and the report, in the current
        language (worded when asked, so a cached diff speaks the reader's language)."""
        lines = []
        if self.rci_change is not None:
            line = _("RCI {before} -> {after} ({change})").format(
                before=format_number(self.rci_before, decimals=1),
                after=format_number(self.rci_after, decimals=1),
                change=_signed(self.rci_change),
            )
            if not self.rci_drivers.empty:
                top = self.rci_drivers.iloc[0]
                line += _("; biggest driver: {dimension} ({change} points)").format(
                    dimension=_dimension(str(top["dimension"])), change=_signed(top["change"])
                )
            lines.append(line)
        lines.append(
            _("{added} stakeholders added, {removed} removed").format(
                added=len(self.stakeholders_added), removed=len(self.stakeholders_removed)
            )
        )
        lines.append(
            _("{gained} relationships gained, {lost} lost").format(
                gained=len(self.gained), lost=len(self.lost)
            )
        )
        lines.append(
            _("{n} relationships changed strength by at least {threshold}").format(
                n=len(self.strength_changes), threshold=format_number(self.threshold)
            )
        )
        lines.append(_("{n} stakeholders changed community").format(n=len(self.community_changes)))
        lines.append(_("{n} stakeholders changed quadrant").format(n=len(self.quadrant_changes)))
        return lines + self.notes

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every part as a named frame (for CSV/XLSX export and the app's tables)."""
        return {
            "stakeholders_added": self.stakeholders_added,
            "stakeholders_removed": self.stakeholders_removed,
            "relationships_gained": self.gained,
            "relationships_lost": self.lost,
            "strength_changes": self.strength_changes,
            "community_changes": self.community_changes,
            "quadrant_changes": self.quadrant_changes,
            "rci_drivers": self.rci_drivers,
            "rci_by_type": self.rci_by_type,
        }


def _dimension(code: str) -> str:
    """An index dimension as the reader's language names it (English: its code)."""
    return code if current_language() == "en" else dimension_label(code)


def _signed(value: float) -> str:
    """``+1.5`` / ``-0,3``: a change with its sign, one decimal, in the current language."""
    text = format_number(value, decimals=1)
    return text if text.startswith("-") or float(value) == 0 else "+" + text


def _names(*contents: SnapshotContent) -> dict[str, str]:
    names: dict[str, str] = {}
    for content in contents:
        nodes = content.network.nodes
        names.update(zip(nodes["id"].astype(str), nodes["name"].astype(str), strict=True))
    return names


def _edge_strength(content: SnapshotContent) -> pd.DataFrame:
    edges = content.network.edges
    frame = content.edge_metrics
    if frame is None or "strength" not in getattr(frame, "columns", ()):
        frame = edges if "strength" in edges.columns else edges.assign(strength=np.nan)
    out = frame[[*_KEY, "strength"]].copy()
    for col in _KEY:
        out[col] = out[col].astype(str)
    out["strength"] = pd.to_numeric(out["strength"], errors="coerce")
    return out.drop_duplicates(_KEY)


def _with_names(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(0, "source_name", frame["source"].map(names))
    frame.insert(1, "target_name", frame["target"].map(names))
    return frame.reset_index(drop=True)


def _relationships(
    a: SnapshotContent, b: SnapshotContent, names: Mapping[str, str], threshold: float
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ea, eb = _edge_strength(a), _edge_strength(b)
    merged = ea.merge(eb, on=_KEY, how="outer", suffixes=("_before", "_after"), indicator=True)
    lost = merged[merged["_merge"] == "left_only"][[*_KEY, "strength_before"]]
    gained = merged[merged["_merge"] == "right_only"][[*_KEY, "strength_after"]]
    both = merged[merged["_merge"] == "both"][[*_KEY, "strength_before", "strength_after"]].copy()
    both["change"] = both["strength_after"] - both["strength_before"]
    moved = both[both["change"].abs() >= threshold - 1e-12]
    moved = moved.reindex(moved["change"].abs().sort_values(ascending=False, kind="stable").index)
    gained = gained.rename(columns={"strength_after": "strength"}).sort_values(_KEY)
    lost = lost.rename(columns={"strength_before": "strength"}).sort_values(_KEY)
    return _with_names(gained, names), _with_names(lost, names), _with_names(moved, names)


def _node_column(content: SnapshotContent, column: str) -> pd.Series | None:
    frame = content.node_metrics
    if frame is None or column not in frame.columns:
        if column in content.network.nodes.columns:
            frame = content.network.nodes
        else:
            return None
    ids = frame["id"].astype(str) if "id" in frame.columns else frame.index.astype(str)
    return pd.Series(frame[column].to_numpy(), index=ids).dropna()


def match_communities(before: pd.Series, after: pd.Series) -> dict[Any, Any]:
    """Map each newer community label to the older label it continues (maximum overlap).

    >>> match_communities(pd.Series({"a": 0, "b": 0, "c": 1}), pd.Series({"a": 5, "b": 5, "c": 7}))
    {5: 0, 7: 1}
    """
    from scipy.optimize import linear_sum_assignment

    common = before.index.intersection(after.index)
    if common.empty:
        return {}
    table = pd.crosstab(after[common], before[common])
    rows, cols = linear_sum_assignment(table.to_numpy(), maximize=True)
    return {
        _plain(table.index[r]): _plain(table.columns[c])
        for r, c in zip(rows, cols, strict=True)
        if table.iat[r, c] > 0
    }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _moves(
    a: SnapshotContent, b: SnapshotContent, column: str, names: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Stakeholders in both snapshots whose ``column`` (community or quadrant) changed."""
    cols = ["id", "name", f"{column}_before", f"{column}_after"]
    before, after = _node_column(a, column), _node_column(b, column)
    if before is None or after is None:
        return pd.DataFrame(columns=cols), [f"{column}: not stored in both snapshots"]
    if column == "community":  # labels are arbitrary per run: compare through the matching
        continues = match_communities(before, after)
        same = lambda old, new: continues.get(new, object()) == old  # noqa: E731
    else:
        same = lambda old, new: str(old) == str(new)  # noqa: E731
    common = before.index.intersection(after.index)
    pairs = [(i, _plain(before[i]), _plain(after[i])) for i in common]
    rows = [(i, names.get(i, i), old, new) for i, old, new in pairs if not same(old, new)]
    return pd.DataFrame(rows, columns=cols), []


def _compare(
    frame_a: pd.DataFrame | None, frame_b: pd.DataFrame | None, key: str, value: str
) -> pd.DataFrame:
    cols = [key, "before", "after", "change"]
    if frame_a is None or frame_b is None or value not in frame_a or value not in frame_b:
        return pd.DataFrame(columns=cols)
    a = frame_a.set_index(key)[value].astype(float)
    b = frame_b.set_index(key)[value].astype(float)
    out = pd.DataFrame({"before": a, "after": b}).rename_axis(key).reset_index()
    out["change"] = out["after"].fillna(0.0) - out["before"].fillna(0.0)
    order = out["change"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order, cols].reset_index(drop=True)


def _stakeholders(a: SnapshotContent, b: SnapshotContent) -> tuple[pd.DataFrame, pd.DataFrame]:
    na, nb = a.network.nodes, b.network.nodes
    ids_a, ids_b = set(na["id"].astype(str)), set(nb["id"].astype(str))
    added = nb[~nb["id"].astype(str).isin(ids_a)][["id", "name", "type"]]
    removed = na[~na["id"].astype(str).isin(ids_b)][["id", "name", "type"]]
    return added.reset_index(drop=True), removed.reset_index(drop=True)


def diff_contents(
    before: SnapshotContent,
    after: SnapshotContent,
    *,
    strength_threshold: float = DEFAULT_STRENGTH_THRESHOLD,
) -> SnapshotDiff:
    """Everything that changed from ``before`` to ``after`` (see the module doc)."""
    names = _names(before, after)
    gained, lost, moved = _relationships(before, after, names, strength_threshold)
    communities, notes_c = _moves(before, after, "community", names)
    quadrants, notes_q = _moves(before, after, "quadrant", names)
    added, removed = _stakeholders(before, after)
    drivers = _compare(before.rci_dimensions, after.rci_dimensions, "dimension", "points")
    by_type = _compare(before.rci_by_type, after.rci_by_type, "type", "score")
    notes = notes_c + notes_q
    if before.rci is None or after.rci is None:
        notes.append("RCI: not stored in both snapshots")
    return SnapshotDiff(
        before=before.name,
        after=after.name,
        threshold=strength_threshold,
        stakeholders_added=added,
        stakeholders_removed=removed,
        gained=gained,
        lost=lost,
        strength_changes=moved,
        community_changes=communities,
        quadrant_changes=quadrants,
        rci_before=before.rci,
        rci_after=after.rci,
        rci_drivers=drivers,
        rci_by_type=by_type,
        notes=notes,
    )
