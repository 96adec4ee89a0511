"""Python objects in: pandas frames and networkx graphs, validated exactly like files.

:meth:`graphcap.model.Network.from_frames` and :meth:`~graphcap.model.Network.from_networkx`
land here. A frame is read the way the Excel loader reads a sheet (cells as native values, the
header as row 1, so problems name the row a user would see after ``df.to_excel``); a graph is read
the way the GraphML loader reads ``<node>`` and ``<edge>`` elements (rows are positions, ``label``
stands in for a missing ``name``). Both then go through :func:`loaders.validate.validate`, so
the errors are the importers' errors, word for word.

>>> import pandas as pd
>>> from graphcap.model import Network
>>> nodes = pd.DataFrame({"id": ["o", "c"], "name": ["Org", "Cust"],
...                       "type": ["organization", "customer"]})
>>> edges = pd.DataFrame({"source": ["c"], "target": ["o"], "type": ["buys_from"],
...                       "trust": ["80 %"]})
>>> net = Network.from_frames(nodes, edges)
>>> net.edges.loc[0, "type"], float(net.edges.loc[0, "trust"])
('BUYS_FROM', 0.8)
>>> Network.from_frames(nodes, edges.assign(target=["x"]))
Traceback (most recent call last):
...
graphcap.errors.ValidationError: 1 problem(s) in the input; nothing was imported.
  - edges frame, row 2, column 'target': target is not the id of any node in nodes frame (value 'x')
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from graphcap.model import Network, register_conversion
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from loaders.raw import RawInput, RawTable, build_table, table_from_dicts
from loaders.validate import validate

__all__ = ["network_from_frames", "network_from_networkx"]


def _cell(value: Any) -> Any:
    """A frame cell as a loader's native cell: missing values (NaN, NaT, NA, None) are None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


@register_conversion("from_frames")
def network_from_frames(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    interactions: pd.DataFrame | None = None,
    *,
    schema: Schema = DEFAULT_SCHEMA,
    lenient: bool = False,
) -> Network:
    """A validated :class:`Network` from frames (see the module docstring)."""
    tables: dict[str, RawTable] = {}
    problems = []
    for kind, frame in (("nodes", nodes), ("edges", edges), ("interactions", interactions)):
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            raise LoaderError(
                _l(
                    "{kind}: expected a pandas DataFrame, got {got}",
                    kind=kind,
                    got=type(frame).__name__,
                ),
                file=f"{kind} frame",
            )
        headers = [str(c) for c in frame.columns]
        records = [[_cell(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
        table, found = build_table(
            kind,
            headers,
            records,
            list(range(2, len(records) + 2)),
            file=f"{kind} frame",
            decimal_hint=".",
        )
        tables[kind] = table
        problems += found
    result = validate(
        RawInput(tables=tables, problems=problems, source="frames"), schema=schema, lenient=lenient
    )
    return result.network


@register_conversion("from_networkx")
def network_from_networkx(
    G: nx.Graph, *, schema: Schema = DEFAULT_SCHEMA, lenient: bool = False
) -> Network:
    """A validated :class:`Network` from a networkx graph (see the module docstring)."""
    if not isinstance(G, nx.Graph):
        raise LoaderError(
            _l("expected a networkx graph, got {got}", got=type(G).__name__), file="graph"
        )
    node_items: list[dict[str, Any]] = []
    for key, data in G.nodes(data=True):
        item = {"id": key, **{str(k): _cell(v) for k, v in data.items() if k != "id"}}
        if item.get("name") in (None, "") and data.get("label") not in (None, ""):
            item["name"] = data["label"]
        item.pop("label", None)
        node_items.append(item)
    edge_items: list[dict[str, Any]] = []
    edge_view = (
        G.edges(keys=True, data=True)
        if G.is_multigraph()
        else ((s, t, None, d) for s, t, d in G.edges(data=True))
    )
    for s, t, key, data in edge_view:
        item = {
            "source": s,
            "target": t,
            **{str(k): _cell(v) for k, v in data.items() if k not in ("source", "target")},
        }
        if item.get("type") in (None, "") and isinstance(key, str):
            item["type"] = key
        edge_items.append(item)
    tables = {
        "nodes": table_from_dicts(
            "nodes", node_items, file="graph nodes", first=("id", "name", "type")
        ),
        "edges": table_from_dicts(
            "edges", edge_items, file="graph edges", first=("source", "target", "type")
        ),
    }
    result = validate(
        RawInput(tables=tables, source=str(G.name or "graph")), schema=schema, lenient=lenient
    )
    return result.network
