"""The read interface shared by the Neo4j store and the embedded snapshot source.

Pages, the CLI and the metrics read a network through a :class:`GraphSource`, so the same code
runs against Neo4j or against a snapshot file (the embedded default, no database needed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from graphcap.model import Network

__all__ = ["GraphSource"]


@runtime_checkable
class GraphSource(Protocol):
    #: "neo4j" or "snapshot"
    kind: str

    def describe(self) -> str:
        """One line for the user: what is connected (URI and database, or snapshot file).
        Never contains a password."""
        ...

    def read_network(
        self,
        *,
        node_types: Iterable[str] | None = None,
        rel_types: Iterable[str] | None = None,
    ) -> Network:
        """The whole network, or only the given stakeholder types (canonical names) and
        relationship types; edges whose ends are filtered out are dropped."""
        ...

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"nodes": {type: n}, "edges": {TYPE: n}, "interactions": {"total": n}}``."""
        ...

    def version(self) -> str:
        """A token that changes whenever the data changes (cache key for metrics, layouts)."""
        ...
