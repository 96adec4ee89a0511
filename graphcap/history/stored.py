"""What a snapshot keeps of an analysis, and the analysis it gives back.

:func:`metric_frames` turns a :class:`graphcap.analysis.Analysis` into the named frames a
snapshot file stores (``node_metrics``, ``edge_metrics``, ``risks``, ``rci_dimensions``,
``rci_by_type``, ``communities``, ``lorenz``, ``value_by_type``) and the RCI score;
:func:`stored_analysis` gives them back under the Analysis' own attribute names, so a report or a
page draws a stored snapshot exactly like a live analysis. :func:`filter_description` and
:func:`plain_mapping` turn filters and settings into plain data a snapshot's meta can hold.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graphcap.history.diff import SnapshotContent

__all__ = [
    "METRIC_FRAMES",
    "StoredAnalysis",
    "filter_description",
    "metric_frames",
    "metric_settings",
    "plain_mapping",
    "stored_analysis",
]

METRIC_FRAMES = (
    "node_metrics",
    "edge_metrics",
    "risks",
    "rci_dimensions",
    "rci_by_type",
    "communities",
    "lorenz",
    "value_by_type",
)


def plain_mapping(value: Any) -> dict[str, Any]:
    """A mapping with only JSON-like values (numbers, text, dates, lists, dicts) kept."""
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, Any] = {}
    for k, v in value.items():
        if isinstance(v, Mapping):
            out[str(k)] = plain_mapping(v)
        elif isinstance(v, bool | int | float | str) or v is None:
            out[str(k)] = v
        elif isinstance(v, list | tuple) and all(isinstance(x, int | float | str) for x in v):
            out[str(k)] = list(v)
        elif hasattr(v, "isoformat"):
            out[str(k)] = v.isoformat()
    return out


def filter_description(flt: Any) -> dict[str, Any]:
    """A :class:`graphcap.graph.projection.NetworkFilter` (or mapping) as plain data: only the parts
    that restrict something, sets as sorted lists, dates as ISO text."""
    if dataclasses.is_dataclass(flt) and not isinstance(flt, type):
        items = {f.name: getattr(flt, f.name) for f in dataclasses.fields(flt)}
        defaults = {f.name: f.default for f in dataclasses.fields(flt)}
        items = {
            k: v
            for k, v in items.items()
            if v is not None
            and v != defaults.get(k)
            or (k == "radius" and items.get("ego") is not None)
        }
    elif isinstance(flt, Mapping):
        items = dict(flt)
    else:
        return {}
    out: dict[str, Any] = {}
    for k, v in items.items():
        if isinstance(v, set | frozenset | list | tuple):
            out[str(k)] = sorted(str(x) for x in v)
        elif hasattr(v, "isoformat"):
            out[str(k)] = v.isoformat()
        elif isinstance(v, bool | int | float | str):
            out[str(k)] = v
        elif v is not None:
            out[str(k)] = str(v)
    return out


def metric_settings(analysis: Any, config: Any) -> dict[str, Any]:
    """The parameters that determined the metrics (the analysis' ``params``; else the config)."""
    params = getattr(analysis, "params", None)
    if isinstance(params, Mapping) and params:
        return plain_mapping(params)
    value = getattr(config, "strength", None)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"strength": plain_mapping(dataclasses.asdict(value))}
    return {}


def metric_frames(analysis: Any) -> tuple[dict[str, pd.DataFrame], float | None]:
    """The frames of an analysis stored with a snapshot, and the RCI score."""
    frames: dict[str, pd.DataFrame] = {}
    for attr, name in (
        ("nodes", "node_metrics"),
        ("edges", "edge_metrics"),
        ("risks", "risks"),
        ("communities", "communities"),
        ("lorenz", "lorenz"),
        ("value_by_type", "value_by_type"),
    ):
        value = getattr(analysis, attr, None)
        if isinstance(value, pd.DataFrame):
            frames[name] = value
    rci = getattr(analysis, "rci", None)
    score = None
    if rci is not None:
        score = float(rci.score) if getattr(rci, "score", None) is not None else None
        for attr, name in (("dimensions", "rci_dimensions"), ("by_type", "rci_by_type")):
            value = getattr(rci, attr, None)
            if isinstance(value, pd.DataFrame):
                frames[name] = value
    return {k: _storable(v) for k, v in frames.items()}, score


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists (e.g. risk reasons) as text joined by '; ' so every tool reads the column."""
    frame = frame.reset_index(drop=not frame.index.name) if frame.index.name else frame
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return out


@dataclass
class StoredAnalysis:
    """The figures a snapshot stored, under the names of :class:`graphcap.analysis.Analysis`
    (``nodes edges risks communities lorenz value_by_type rci concentration``), so reports and
    pages draw a snapshot exactly like a live analysis. A figure not stored is ``None``."""

    nodes: pd.DataFrame | None
    edges: pd.DataFrame | None
    risks: pd.DataFrame | None
    communities: pd.DataFrame | None
    lorenz: pd.DataFrame | None
    value_by_type: pd.DataFrame | None
    rci: Any
    concentration: dict[str, Any]
    params: dict[str, Any]


def stored_analysis(content: SnapshotContent) -> StoredAnalysis:
    """The analysis stored in a snapshot (see :class:`StoredAnalysis`)."""
    from types import SimpleNamespace

    frames = content.frames
    rci = None
    if content.rci is not None:
        rci = SimpleNamespace(
            score=content.rci,
            dimensions=content.rci_dimensions,
            by_type=content.rci_by_type,
            notes=[],
        )
    meta = content.meta
    return StoredAnalysis(
        nodes=content.node_metrics,
        edges=content.edge_metrics,
        risks=frames.get("risks"),
        communities=frames.get("communities"),
        lorenz=frames.get("lorenz"),
        value_by_type=frames.get("value_by_type"),
        rci=rci,
        concentration=dict(meta.get("concentration") or {}),
        params=dict(meta.get("metric_settings") or {}),
    )
