"""graphcap: see and manage an organisation's relational capital.

Stakeholders (customers, suppliers, partners, agencies, competitors, the focal organisation) are
nodes in Neo4j with typed relationships; networkx computes network and relationship metrics; a
Streamlit app explores the network; analysts query it in Cypher; reports export it.

The public surface (docs/API.md)::

    import graphcap as gc
    net = gc.read("exports/")          # or gc.read_neo4j(), gc.read_snapshot(path), gc.read_sample()
    a = gc.analyze(net)                # a.nodes, a.edges, a.rci, a.risks, ... (DataFrames)
    G = net.to_networkx()              # and gc.Network.from_networkx(G), .from_frames(nodes, edges)

Everything else is internal. ``read*``, ``analyze`` and ``Analysis`` are loaded on
first use (they pull in igraph, the Neo4j driver and the loaders' readers), so ``graphcap --help``
stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphcap.errors import (
    AuthFailed,
    ConfigError,
    ConnectionFailed,
    ExportError,
    GraphcapError,
    ImportFailed,
    LoaderError,
    MetricError,
    MissingComponent,
    Problem,
    QueryError,
    QueryLimitHit,
    QueryRefused,
    SchemaError,
    ServerError,
    StoreError,
    ValidationError,
)
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from graphcap.version import __version__

if TYPE_CHECKING:
    from graphcap.api import Analysis, analyze, read, read_neo4j, read_sample, read_snapshot

__all__ = [
    "DEFAULT_SCHEMA",
    "Analysis",
    "AuthFailed",
    "ConfigError",
    "ConnectionFailed",
    "ExportError",
    "GraphcapError",
    "ImportFailed",
    "LoaderError",
    "MetricError",
    "MissingComponent",
    "Network",
    "Problem",
    "QueryError",
    "QueryLimitHit",
    "QueryRefused",
    "Schema",
    "SchemaError",
    "ServerError",
    "StoreError",
    "ValidationError",
    "__version__",
    "analyze",
    "read",
    "read_neo4j",
    "read_sample",
    "read_snapshot",
]

_LAZY = frozenset({"Analysis", "analyze", "read", "read_neo4j", "read_snapshot", "read_sample"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import graphcap.api

        value = getattr(graphcap.api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'graphcap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)
