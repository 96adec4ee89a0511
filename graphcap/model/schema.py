"""The allow-lists: stakeholder and relationship types (:class:`Schema`, which a project config
may extend), the frames' column specs and the quality dimensions.

This module is the one place where the allow-lists live. Labels and relationship types are never
built from raw user strings: a type name from a file is looked up in a :class:`Schema` (which a
project config may extend) and only the allow-listed, identifier-checked label is ever put into a
Cypher text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from graphcap.errors import SchemaError
from graphcap.i18n import gettext as _

__all__ = [
    "DATE_COLUMNS",
    "DEFAULT_SCHEMA",
    "DEFAULT_STRENGTH",
    "EDGE_OPTIONAL",
    "EDGE_REQUIRED",
    "INTERACTION_OPTIONAL",
    "INTERACTION_REQUIRED",
    "NODE_OPTIONAL",
    "NODE_REQUIRED",
    "NODE_TYPES",
    "QUALITY_DIMENSIONS",
    "REL_TYPES",
    "STAKEHOLDER_LABEL",
    "Schema",
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
