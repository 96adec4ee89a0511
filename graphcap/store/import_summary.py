"""What an import did: per kind of entity, how many rows were created, updated, unchanged,
rejected or removed (:class:`ImportSummary`, returned by
:meth:`~graphcap.store.Neo4jStore.import_network` and ``graphcap import --bulk``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Counts", "ImportSummary"]

_STATUSES = ("created", "updated", "unchanged", "rejected", "removed")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    removed: int = 0  # by a replace

    def add(self, status: str, n: int) -> None:
        setattr(self, status, getattr(self, status) + int(n))

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


@dataclass
class ImportSummary:
    """What an import did: per kind, how many were created, updated, unchanged, rejected."""

    nodes: Counts = field(default_factory=Counts)
    edges: Counts = field(default_factory=Counts)
    interactions: Counts = field(default_factory=Counts)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(c.changed for c in (self.nodes, self.edges, self.interactions))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            kind: {s: getattr(getattr(self, kind), s) for s in _STATUSES}
            for kind in ("nodes", "edges", "interactions")
        }
        out["seconds"] = round(self.seconds, 3)
        return out

    def __str__(self) -> str:
        parts = []
        for kind in ("nodes", "edges", "interactions"):
            c: Counts = getattr(self, kind)
            parts.append(
                f"{kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
                + (f", {c.rejected} rejected" if c.rejected else "")
            )
        return "; ".join(parts) + f" ({self.seconds:.1f} s)"
