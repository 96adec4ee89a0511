"""The domain model: stakeholder types, relationship types, columns, and the network frames.

This module is the one place where the allow-lists live. Labels and relationship types are never
built from raw user strings: a type name from a file is looked up in a :class:`Schema` (which a
project config may extend) and only the allow-listed, identifier-checked label is ever put into a
Cypher text.

The canonical frames (see :class:`Network`):

``nodes``
    ``id`` (str, unique), ``name`` (str), ``type`` (one of the schema's node types, lower case),
    optional :data:`NODE_OPTIONAL` columns; unknown columns are kept as extra properties.
``edges``
    ``source``, ``target`` (node ids), ``type`` (an allow-listed relationship type, UPPER_SNAKE),
    optional :data:`EDGE_OPTIONAL` columns. One relationship per (source, type, target).
``interactions``
    ``date``, ``source``, ``target``, optional ``channel``, ``value``, ``sentiment``.

Dates are pandas ``datetime64[ns]`` (no time zone), numbers are floats (``interactions`` count is
a nullable integer), text is ``object`` dtype holding ``str`` or missing.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphcap.errors import GraphcapError, SchemaError
from graphcap.i18n import Num
from graphcap.i18n import gettext as _
from graphcap.i18n import lazy_gettext as _l
from graphcap.notebook import network_html

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "frame_copy",
    "network_hash",
    "DEFAULT_STRENGTH",
    "DATE_COLUMNS",
    "DEFAULT_SCHEMA",
    "EDGE_OPTIONAL",
    "EDGE_REQUIRED",
    "INDEXED_COLUMNS",
    "INTERACTION_OPTIONAL",
    "INTERACTION_REQUIRED",
    "MAX_INDEXED_BYTES",
    "NODE_OPTIONAL",
    "NODE_REQUIRED",
    "NODE_TYPES",
    "QUALITY_DIMENSIONS",
    "REL_TYPES",
    "STAKEHOLDER_LABEL",
    "Network",
    "Schema",
    "data_reference_date",
    "empty_network",
    "text_problem",
    "register_conversion",
]

#: Every stakeholder node carries this label plus exactly one type label.
STAKEHOLDER_LABEL = "Stakeholder"

#: Built-in stakeholder types: canonical type name -> Neo4j label, and what it stands for.
NODE_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "organization": "Organization",  # the focal firm, one or more business units
        "customer": "Customer",
        "supplier": "Supplier",
        "partner": "Partner",  # alliances, joint ventures, coalitions, networks/associations
        "agency": "Agency",  # government bodies, regulators, interest groups, PR/marketing agencies
        "competitor": "Competitor",
    }
)

NODE_TYPE_HELP: Mapping[str, str] = MappingProxyType(
    {
        "organization": "the focal organisation (one or more business units)",
        "customer": "buyers, dealers, end customers",
        "supplier": "suppliers and contractors",
        "partner": "strategic alliances, joint ventures, coalitions, networks the firm belongs to",
        "agency": "government bodies, regulators, interest groups, marketing and PR agencies",
        "competitor": "competitors",
    }
)

#: Built-in relationship types and what they mean (direction: source -> target).
REL_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "BUYS_FROM": "customer buys from the organisation (or another stakeholder)",
        "SUPPLIES": "supplier supplies the organisation (or another stakeholder)",
        "PARTNERS_WITH": "partnership; kind: alliance, joint_venture, coalition, network, ...",
        "REGULATES": "agency regulates the stakeholder",
        "INFLUENCES": "stakeholder influences the other (lobbying, interest groups, opinion)",
        "SERVES": "agency or service provider serves the stakeholder (marketing, PR, consulting)",
        "COMPETES_WITH": "competitors of each other",
        "MEMBER_OF": "stakeholder is a member of a network, association or coalition",
        "REFERS": "stakeholder referred / recommended the other",
    }
)

#: The four quality dimensions of a business relationship, each in [0, 1].
QUALITY_DIMENSIONS: tuple[str, ...] = ("trust", "commitment", "responsiveness", "mutual_interest")
#: Strength of a relationship about which nothing is known (no dimension, no interaction).
DEFAULT_STRENGTH = 0.5

NODE_REQUIRED: tuple[str, ...] = ("id", "name", "type")
NODE_OPTIONAL: Mapping[str, str] = MappingProxyType(
    {
        "segment": "text",
        "region": "text",
        "country": "text",
        "since": "date",
        "revenue": "number",  # annual value to us
        "clv": "number",  # customer lifetime value
        "satisfaction": "unit",  # [0, 1]
        "loyalty": "unit",
        "power": "unit",
        "interest": "unit",
        "tags": "text",  # separated by ';' or ','
    }
)

EDGE_REQUIRED: tuple[str, ...] = ("source", "target", "type")
EDGE_OPTIONAL: Mapping[str, str] = MappingProxyType(
    {
        "trust": "unit",
        "commitment": "unit",
        "responsiveness": "unit",
        "mutual_interest": "unit",
        "strength": "signed_unit",  # given strength, [-1, 1] (negative: distrust); else derived
        "volume": "number",  # annual value
        "since": "date",
        "contract_until": "date",
        "last_contact": "date",
        "interactions": "count",
        "sentiment": "signed_unit",  # [-1, 1]
        "kind": "text",
        "owner": "text",  # who in our organisation owns the relationship
        "next_contact": "date",  # when the owner plans the next contact
    }
)

INTERACTION_REQUIRED: tuple[str, ...] = ("date", "source", "target")
INTERACTION_OPTIONAL: Mapping[str, str] = MappingProxyType(
    {"channel": "text", "value": "number", "sentiment": "signed_unit"}
)

#: Columns that hold dates, in any frame.
DATE_COLUMNS: frozenset[str] = frozenset(
    {"since", "contract_until", "last_contact", "next_contact", "date"}
)

# A Neo4j label or relationship type we are willing to put into a Cypher text: ASCII letters,
# digits, underscore; starting with a letter. Anything else (backticks, spaces, unicode
# look-alikes, Cypher fragments) is refused before any query is built.
_LABEL_RE = re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$")
_REL_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,62}$")
_TYPE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

# Labels graphcap uses for its own bookkeeping; a project type may not take them.
_RESERVED_LABELS = frozenset(
    {
        STAKEHOLDER_LABEL,
        "Interaction",
        "GraphcapMeta",
        "GraphcapUndo",
        "GraphcapEvent",
        "GraphcapImportRun",
        "GraphcapImportTrail",
        "Assessment",
        "Snapshot",
    }
)


@dataclass(frozen=True)
class Schema:
    """The allow-lists in force: built-in types plus those a project config adds.

    >>> s = DEFAULT_SCHEMA.extend(node_types={"investor": "Investor"}, rel_types={"FUNDS": "funds"})
    >>> s.label_for("investor")
    'Investor'
    >>> s.rel_type("funds")
    'FUNDS'
    >>> s.rel_type("FUNDS` DETACH DELETE n //")
    Traceback (most recent call last):
    ...
    graphcap.errors.SchemaError: relationship type 'FUNDS` DETACH DELETE n //' is not allowed; allowed: BUYS_FROM, COMPETES_WITH, FUNDS, INFLUENCES, MEMBER_OF, PARTNERS_WITH, REFERS, REGULATES, SERVES, SUPPLIES
    """

    node_types: Mapping[str, str] = field(default_factory=lambda: dict(NODE_TYPES))
    rel_types: Mapping[str, str] = field(default_factory=lambda: dict(REL_TYPES))

    def __post_init__(self) -> None:
        for name, label in self.node_types.items():
            if not _TYPE_NAME_RE.match(name):
                raise SchemaError(
                    _(
                        "stakeholder type {name} is not allowed as a type name; use lower case "
                        "ASCII letters, digits and '_' (e.g. 'investor')"
                    ).format(name=repr(name))
                )
            if not _LABEL_RE.match(label) or (
                label in _RESERVED_LABELS and NODE_TYPES.get(name) != label
            ):
                raise SchemaError(
                    _(
                        "label {label} for stakeholder type {name} is not a safe Neo4j label; "
                        "use CamelCase ASCII letters and digits (e.g. 'Investor')"
                    ).format(label=repr(label), name=repr(name))
                )
        for rel in self.rel_types:
            if not _REL_RE.match(rel):
                raise SchemaError(
                    _(
                        "relationship type {rel} is not a safe Neo4j relationship type; use "
                        "UPPER_SNAKE ASCII (e.g. 'FUNDS')"
                    ).format(rel=repr(rel))
                )

    def extend(
        self,
        *,
        node_types: Mapping[str, str] | None = None,
        rel_types: Mapping[str, str] | None = None,
    ) -> Schema:
        """A new schema with more node types (name -> label) and relationship types (TYPE -> help)."""
        return Schema(
            node_types={**self.node_types, **(node_types or {})},
            rel_types={**self.rel_types, **(rel_types or {})},
        )

    # -- lookups: the only way a label or type reaches a Cypher text ---------------------------

    def label_for(self, node_type: str) -> str:
        """The Neo4j label for a canonical stakeholder type, or :class:`SchemaError`."""
        label = self.node_types.get(node_type) if isinstance(node_type, str) else None
        if label is None:
            raise SchemaError(
                _("stakeholder type {name} is not allowed; allowed: {allowed}").format(
                    name=repr(node_type), allowed=", ".join(sorted(self.node_types))
                )
            )
        return label

    def type_for_label(self, label: str) -> str:
        """The canonical type for a Neo4j label (inverse of :meth:`label_for`)."""
        for name, lab in self.node_types.items():
            if lab == label:
                return name
        raise SchemaError(
            _("label {label} is not a stakeholder label of this schema").format(label=repr(label))
        )

    def rel_type(self, rel: str) -> str:
        """The allow-listed relationship type for ``rel`` (case-insensitive), or SchemaError."""
        if isinstance(rel, str):
            upper = rel.strip().upper()
            if upper in self.rel_types and _REL_RE.match(upper):
                return upper
        raise SchemaError(
            _("relationship type {rel} is not allowed; allowed: {allowed}").format(
                rel=repr(rel), allowed=", ".join(sorted(self.rel_types))
            )
        )

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.node_types.values())

    @property
    def relationship_types(self) -> tuple[str, ...]:
        return tuple(self.rel_types)


DEFAULT_SCHEMA = Schema()

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


#: Longest text Neo4j's range index takes as a key, in UTF-8 bytes (measured on Neo4j 5.26:
#: 8,164 bytes, i.e. 8,164 ASCII letters, 4,082 umlauts, 2,721 CJK characters or 2,041 emoji).
#: Ids and names are indexed, so a longer id or name could be validated and then fail in Neo4j.
MAX_INDEXED_BYTES = 8164
#: The columns Neo4j indexes (ids, names) and the ones that refer to ids.
INDEXED_COLUMNS = ("id", "name", "source", "target")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str, *, indexed: bool = False) -> str | None:
    """Why ``value`` cannot be stored as text, or ``None``: a NUL character, a lone surrogate
    (not Unicode; UTF-8 cannot encode it), or, for an ``indexed`` column, more UTF-8 bytes than
    Neo4j's index takes (:data:`MAX_INDEXED_BYTES`).

    >>> text_problem("Müller") is None
    True
    >>> text_problem("a" + chr(0) + "b")
    'contains the NUL character (U+0000) at position 2; remove it'
    """
    bad = _UNSTORABLE.search(value)
    if bad:
        code = ord(bad.group())
        if code == 0:
            return _l(
                "contains the NUL character (U+0000) at position {n}; remove it", n=bad.start() + 1
            )
        return _l(
            "contains a lone surrogate (broken Unicode) (U+{code}) at position {n}; remove it",
            code=f"{code:04X}",
            n=bad.start() + 1,
        )
    if indexed and len(value) * 4 > MAX_INDEXED_BYTES:
        size = len(value.encode("utf-8"))
        if size > MAX_INDEXED_BYTES:
            return _l(
                "is {size} bytes long in UTF-8; Neo4j indexes ids and names of at most {limit} "
                "bytes: shorten it",
                size=Num(size),
                limit=Num(MAX_INDEXED_BYTES),
            )
    return None


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


#: The key columns of each frame, by which :func:`network_hash` orders rows when asked to.
_FRAME_KEYS = {
    "nodes": ["id"],
    "edges": ["source", "type", "target"],
    "interactions": ["date", "source", "target"],
}


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


def network_hash(network: Network, *, exact: bool = False) -> str:
    """sha256 over the three frames: graphcap's one content hash.

    By default it is the source data's fingerprint: column order, row order and dtypes are
    ignored (cells compared as text), so the same network read from Neo4j or from a file gives the
    same hash. ``exact=True`` also tells row order and dtypes apart (the analysis cache, whose
    results follow the rows as given).

    >>> from graphcap.sample import sample_small
    >>> a, b = sample_small(), sample_small()
    >>> network_hash(a) == network_hash(b), len(network_hash(a))
    (True, 64)
    >>> shuffled = Network(nodes=a.nodes.iloc[::-1], edges=a.edges)
    >>> network_hash(shuffled) == network_hash(Network(nodes=a.nodes, edges=a.edges))
    True
    >>> network_hash(shuffled, exact=True) == network_hash(a, exact=True)
    False
    """
    h = hashlib.sha256()
    for name, frame in (
        ("nodes", network.nodes),
        ("edges", network.edges),
        ("interactions", network.interactions),
    ):
        cols = list(frame.columns) if exact else sorted(frame.columns, key=str)
        part = frame[cols]
        if not exact:
            keys = [k for k in _FRAME_KEYS[name] if k in cols]
            part = part.sort_values(keys, kind="stable") if keys and len(part) else part
        h.update(name.encode() + b"\0" + json.dumps([str(c) for c in cols]).encode())
        if exact:
            h.update(json.dumps([str(t) for t in part.dtypes]).encode())
        if len(part):
            values = pd.util.hash_pandas_object(part.astype(str), index=False).to_numpy()
            h.update(values.tobytes())
    return h.hexdigest()
