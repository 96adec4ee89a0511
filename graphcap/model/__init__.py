"""The network frames: :class:`Network`, the unit every stage passes on, and its conversions.

The parts of the domain model, one concept each: :mod:`graphcap.model.schema` (the allow-lists:
stakeholder and relationship types, column specs), :mod:`graphcap.model.storable` (text Neo4j
can store), :mod:`graphcap.model.hashing` (the one content hash); this module holds the frames.

The canonical frames (see :class:`Network`):

``nodes``
    ``id`` (str, unique), ``name`` (str), ``type`` (one of the schema's node types, lower case),
    optional :data:`~graphcap.model.schema.NODE_OPTIONAL` columns; unknown columns are kept as extra properties.
``edges``
    ``source``, ``target`` (node ids), ``type`` (an allow-listed relationship type, UPPER_SNAKE),
    optional :data:`~graphcap.model.schema.EDGE_OPTIONAL` columns. One relationship per (source, type, target).
``interactions``
    ``date``, ``source``, ``target``, optional ``channel``, ``value``, ``sentiment``.

Dates are pandas ``datetime64[ns]`` (no time zone), numbers are floats (``interactions`` count is
a nullable integer), text is ``object`` dtype holding ``str`` or missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphcap.errors import GraphcapError, SchemaError
from graphcap.i18n import gettext as _
from graphcap.model.schema import (
    DEFAULT_SCHEMA,
    EDGE_REQUIRED,
    INTERACTION_REQUIRED,
    NODE_OPTIONAL,
    NODE_REQUIRED,
    Schema,
)
from graphcap.notebook import network_html

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "frame_copy",
    "Network",
    "data_reference_date",
    "empty_network",
    "register_conversion",
]


# Conversions offered as Network methods but implemented in higher layers: building a network
# from frames or a networkx graph validates like an import (loaders.frames), and the typed
# multigraph is the projection's (graphcap.graph.projection). The model names the provider
# module as data and imports it on first use (like an entry point), so it stays at the bottom of
# the layers and ``import graphcap`` does not pull in igraph; the provider registers itself here.
_CONVERSIONS: dict[str, Callable[..., Any]] = {}
_PROVIDERS: Mapping[str, str] = MappingProxyType(
    {
        "from_frames": "loaders.frames",
        "from_networkx": "loaders.frames",
        "to_networkx": "graphcap.graph.projection",
    }
)


def register_conversion(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: make ``fn`` the implementation of conversion ``name`` (see ``_PROVIDERS``)."""
    if name not in _PROVIDERS:
        raise GraphcapError(_("unknown Network conversion {name}").format(name=repr(name)))

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        _CONVERSIONS[name] = fn
        return fn

    return decorate


def _conversion(name: str) -> Callable[..., Any]:
    if name not in _CONVERSIONS:
        importlib.import_module(_PROVIDERS[name])
    return _CONVERSIONS[name]


@dataclass
class Network:
    """A stakeholder network as three frames, the unit every stage passes on.

    The same object comes out of a loader, out of the Neo4j store, out of a snapshot file, and
    goes into the projection to networkx.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    interactions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(INTERACTION_REQUIRED))
    )
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        for frame, required, what in (
            (self.nodes, NODE_REQUIRED, "nodes"),
            (self.edges, EDGE_REQUIRED, "edges"),
            (self.interactions, INTERACTION_REQUIRED, "interactions"),
        ):
            missing = [c for c in required if c not in frame.columns]
            if missing:
                raise SchemaError(
                    _("{what} frame lacks required column(s): {columns}").format(
                        what=what, columns=", ".join(missing)
                    )
                )

    @property
    def counts(self) -> dict[str, int]:
        return {
            "nodes": len(self.nodes),
            "edges": len(self.edges),
            "interactions": len(self.interactions),
        }

    def counts_by_type(self) -> dict[str, dict[str, int]]:
        """Counts of nodes by stakeholder type and of edges by relationship type."""
        return {
            "nodes": {
                str(k): int(v) for k, v in self.nodes["type"].value_counts().sort_index().items()
            },
            "edges": {
                str(k): int(v) for k, v in self.edges["type"].value_counts().sort_index().items()
            },
        }

    def focal_ids(self) -> list[str]:
        """Ids of the focal organisation's nodes (type ``organization``)."""
        return self.nodes.loc[self.nodes["type"] == "organization", "id"].astype(str).tolist()

    # -- conversions (validated like an import; see _CONVERSIONS) ------------------------------

    @classmethod
    def from_frames(
        cls,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        interactions: pd.DataFrame | None = None,
        *,
        schema: Schema = DEFAULT_SCHEMA,
        lenient: bool = False,
    ) -> Network:
        """A validated network from user frames, checked exactly as ``graphcap import`` checks
        files (:mod:`loaders.validate`): headers matched leniently, every problem listed in one
        :class:`~graphcap.errors.ValidationError` (rows numbered as a spreadsheet would, header =
        row 1), values converted to the canonical types."""
        build = _conversion("from_frames")
        return build(nodes, edges, interactions, schema=schema, lenient=lenient)

    @classmethod
    def from_networkx(
        cls, G: nx.Graph, *, schema: Schema = DEFAULT_SCHEMA, lenient: bool = False
    ) -> Network:
        """A validated network from a networkx graph: node keys are ids, node attributes the
        node columns (``label`` stands in for a missing ``name``), edge attributes the edge
        columns (``type`` required; a multigraph's edge key stands in for a missing one).
        Validated like :meth:`from_frames`."""
        build = _conversion("from_networkx")
        return build(G, schema=schema, lenient=lenient)

    def to_networkx(self) -> nx.MultiDiGraph:
        """Every relationship as a directed edge keyed by its type, with all attributes
        (:func:`graphcap.graph.projection.to_multidigraph`)."""
        return _conversion("to_networkx")(self)

    def _repr_html_(self) -> str:
        """Jupyter: counts by type and a small picture of the network (names escaped)."""
        return network_html(self.nodes, self.edges, self.interactions, self.meta)


def data_reference_date(network: Network | None) -> pd.Timestamp | None:
    """The data's own date: the latest interaction or last contact in it (``None`` without any).

    >>> nodes = pd.DataFrame({"id": ["o"], "name": ["O"], "type": ["organization"]})
    >>> edges = pd.DataFrame({"source": ["o"], "target": ["o"], "type": ["REFERS"],
    ...                       "last_contact": pd.to_datetime(["2024-02-01"])})
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-03-05"]), "source": ["o"], "target": ["o"]})
    >>> data_reference_date(Network(nodes, edges, log))
    Timestamp('2024-03-05 00:00:00')
    """
    if network is None:
        return None
    found = []
    for frame, column in ((network.interactions, "date"), (network.edges, "last_contact")):
        if frame is not None and column in frame.columns and len(frame):
            latest = pd.to_datetime(frame[column], errors="coerce").max()
            if not pd.isna(latest):
                found.append(pd.Timestamp(latest))
    if not found:
        return None
    latest = max(found)
    return (latest.tz_convert(None) if latest.tzinfo is not None else latest).normalize()


def empty_network() -> Network:
    return Network(
        nodes=pd.DataFrame(columns=list(NODE_REQUIRED)),
        edges=pd.DataFrame(columns=list(EDGE_REQUIRED)),
    )


def node_columns(extra: Iterable[str] = ()) -> list[str]:
    """Canonical node column order: required, known optional, then the extra ones."""
    return [*NODE_REQUIRED, *NODE_OPTIONAL, *[c for c in extra if c not in NODE_OPTIONAL]]


#: Whether pandas copies on write (always from pandas 3; an option before): then a shallow copy
#: of a frame behaves as an independent copy, so :func:`frame_copy` need not copy the data.
COPY_ON_WRITE: bool = int(pd.__version__.split(".")[0]) >= 3 or bool(
    pd.get_option("mode.copy_on_write") is True
)


def frame_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` that can be changed without changing ``frame`` (and the other way
    round): under copy-on-write a shallow copy (data shared until either side writes),
    otherwise a deep one.

    >>> a = pd.DataFrame({"x": [1, 2]})
    >>> b = frame_copy(a)
    >>> b.loc[0, "x"] = 9
    >>> b["y"] = 0
    >>> a.to_dict("list"), b.to_dict("list")
    ({'x': [1, 2]}, {'x': [9, 2], 'y': [0, 0]})
    """
    return frame.copy(deep=not COPY_ON_WRITE)
