"""The Cypher texts of the import: one per allow-listed stakeholder type / relationship type.

Each query looks every row up first (status: created, updated, unchanged, rejected), copies what
it will change into the undo journal (:mod:`graphcap.store.journal`), writes, and records the
keys of what it created. Labels and relationship types reach this text only from
:meth:`graphcap.model.schema.Schema.label_for` / :meth:`~graphcap.model.schema.Schema.rel_type`; every value
(ids, properties, the import id, the type as a value) is a ``$parameter``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

from graphcap.model import Network, data_reference_date
from graphcap.model.schema import STAKEHOLDER_LABEL
from graphcap.store.properties import ROW_KEY

__all__ = [
    "BOTH_ENDS",
    "BUMP_VERSION",
    "INTERACTION_QUERY",
    "MISSING_ENDS",
    "RECORD_AS_OF",
    "RECORD_EGO_ONLY",
    "data_date",
    "edge_create_query",
    "edge_query",
    "interaction_create_query",
    "node_create_query",
    "node_query",
    "split_columns",
]

#: Both ends of a relationship row (``row.s`` to ``row.t``) through the id index, as ``a`` and
#: ``b``. Match the relationship itself in a ``CALL (row, a, b) { ... }`` subquery: with both
#: ends bound there, Neo4j can only expand *into* the pair (from the end with fewer
#: relationships). In one pattern the planner chose, for some types, to expand all of one end's
#: relationships and compare the other end's id: at 1M / 5M, with hubs of 100,000 ties, a batch
#: of 10,000 rows took minutes instead of a second (docs/PERFORMANCE.md, "Scale").
BOTH_ENDS = (
    f"MATCH (a:{STAKEHOLDER_LABEL} {{id: row.s}}) MATCH (b:{STAKEHOLDER_LABEL} {{id: row.t}})"
)

# -- query text: one per allow-listed type ----------------------------------------------------
# Each query compares every row with what is stored (status), copies what it will change into the
# undo journal (graphcap.store.journal), writes, and records the keys of what it created.

_SAME = (
    "all(k IN keys(row.props) WHERE old[k] = row.props[k] "
    "OR (old[k] IS NULL AND row.props[k] IS NULL))"
)
_COUNTS = (
    "RETURN size([s IN st WHERE s = 'created']) AS created, "
    "size([s IN st WHERE s = 'updated']) AS updated, "
    "size([s IN st WHERE s = 'unchanged']) AS unchanged, "
    "size([s IN st WHERE s = 'rejected']) AS rejected, bad"
)
# the row's fingerprint (graphcap.store.properties.ROW_KEY) goes with every row written, and onto
# an unchanged entity whose stored one differs (written from other columns, or before it existed);
# such an entity is journaled like an update, so a failed import restores its old fingerprint too
_FP = f"SET {{e}}.{ROW_KEY} = row.fp"
_STALE = (
    f"status = 'unchanged' AND row.fp IS NOT NULL AND "
    f"(old.{ROW_KEY} IS NULL OR old.{ROW_KEY} <> row.fp)"
)
_JOURNALED = f"CASE WHEN status = 'updated' OR ({_STALE}) THEN [1] ELSE [] END"
_REFRESH = f"FOREACH (_ IN CASE WHEN {_STALE} THEN [1] ELSE [] END | SET old.{ROW_KEY} = row.fp) "
# an import's update counts as a change for the edits' optimistic concurrency (graphcap.store.edits)
_BUMP = "SET old.__gc_version = coalesce(old.__gc_version, 0) + 1"
_BAD = (
    "[x IN collect(CASE WHEN status = 'rejected' THEN row.i END) WHERE x IS NOT NULL][..5] AS bad"
)


def _journal_created(kind: str, fields: str) -> str:
    return (
        "FOREACH (_ IN CASE WHEN size(created) > 0 THEN [1] ELSE [] END | "
        f"CREATE (:GraphcapUndo {{__gc_import: $import, __gc_kind: '{kind}', {fields}}})) "
    )


def node_query(label: str, other_labels: Sequence[str]) -> str:
    """MERGE stakeholders of one type; ``label`` and ``other_labels`` come from the schema."""
    not_other = "".join(f" AND NOT old:{o}" for o in other_labels)
    remove = f" REMOVE n:{':'.join(other_labels)}" if other_labels else ""
    return (
        "UNWIND $rows AS row "
        f"OPTIONAL MATCH (old:{STAKEHOLDER_LABEL} {{id: row.id}}) "
        "WITH row, old, CASE WHEN old IS NULL THEN 'created' "
        f"WHEN old:{label}{not_other} AND {_SAME} THEN 'unchanged' ELSE 'updated' END AS status "
        f"FOREACH (_ IN {_JOURNALED} | "
        "CREATE (u:GraphcapUndo) SET u = properties(old) SET u.__gc_import = $import, "
        "u.__gc_kind = 'node', u.__gc_id = row.id, u.__gc_labels = labels(old)) "
        "FOREACH (_ IN CASE WHEN status = 'created' THEN [1] ELSE [] END | "
        f"CREATE (n:{STAKEHOLDER_LABEL}:{label} {{id: row.id}}) SET n += row.props "
        f"{_FP.format(e='n')}) "
        "FOREACH (_ IN CASE WHEN status = 'updated' THEN [1] ELSE [] END | "
        f"SET old += row.props SET old:{label}{remove.replace('n:', 'old:')} {_BUMP} "
        f"{_FP.format(e='old')}) "
        + _REFRESH
        + "WITH collect(status) AS st, collect(CASE WHEN status = 'created' THEN row.id END) AS created, "
        "[] AS bad " + _journal_created("created_nodes", "__gc_ids: created") + _COUNTS
    )


def edge_query(rel_type: str) -> str:
    """MERGE relationships of one type; ``rel_type`` comes from the schema."""
    return (
        "UNWIND $rows AS row "
        f"OPTIONAL MATCH (a:{STAKEHOLDER_LABEL} {{id: row.source}}) "
        f"OPTIONAL MATCH (b:{STAKEHOLDER_LABEL} {{id: row.target}}) "
        f"OPTIONAL MATCH (a)-[old:{rel_type}]->(b) "
        "WITH row, a, b, old, CASE WHEN a IS NULL OR b IS NULL THEN 'rejected' "
        f"WHEN old IS NULL THEN 'created' WHEN {_SAME} THEN 'unchanged' ELSE 'updated' END AS status "
        f"FOREACH (_ IN {_JOURNALED} | "
        "CREATE (u:GraphcapUndo) SET u = properties(old) SET u.__gc_import = $import, "
        "u.__gc_kind = 'edge', u.__gc_src = row.source, u.__gc_tgt = row.target, u.__gc_type = $type) "
        "FOREACH (_ IN CASE WHEN status = 'created' THEN [1] ELSE [] END | "
        f"CREATE (a)-[r:{rel_type}]->(b) SET r += row.props {_FP.format(e='r')}) "
        "FOREACH (_ IN CASE WHEN status = 'updated' THEN [1] ELSE [] END | "
        f"SET old += row.props {_BUMP} {_FP.format(e='old')}) "
        + _REFRESH
        + "WITH collect(status) AS st, "
        "collect(CASE WHEN status = 'created' THEN row.source END) AS created, "
        "collect(CASE WHEN status = 'created' THEN row.target END) AS created_tgt, "
        + _BAD
        + " "
        + _journal_created(
            "created_edges", "__gc_type: $type, __gc_src: created, __gc_tgt: created_tgt"
        )
        + _COUNTS
    )


# -- create-only variants: used when the graph holds nothing the rows could match ------------
# (no stakeholder at all, resp. no relationship of the type, no interaction; checked under the
# import lock, so every row is new: the per-row lookup, the comparison and the journal copy of an
# old entity are left out; what is created is journaled as above, so a failed import is undone
# the same way). One text per kind and frame, for every type: the label resp. relationship type
# travels with each row as a value (``$label[i]``, ``$type[i]``: Neo4j 5.26's dynamic labels,
# ``$(...)``), so a batch is one query whatever its types. The values are the allow-listed
# :meth:`Schema.label_for` / :meth:`Schema.rel_type`.
#
# The rows travel as parallel lists, one per column (``UNWIND range(0, size($id) - 1) AS i ...
# $p0[i]``), and the properties are written as keys of the CREATE pattern: measured against
# one map per row and ``SET n += row.props``, the server spends about 0.7x the CPU (no map per
# row to decode, no key names repeated in every row of the message, no property-by-property
# SET). A column name enters the text only when it is a plain identifier
# (:func:`split_columns`, and in backticks); the values of any other column travel as one map
# per row (``$rest[i]``), set as before. Interactions likewise (:func:`interaction_create_query`:
# on the real-shaped network of bench/realshape.py they are most of the first import).

_PLAIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")


def split_columns(columns: Sequence[str]) -> tuple[list[str], list[str]]:
    """The property columns whose names may be written into a create-only query (ASCII letters,
    digits, underscore, starting with a letter), and the rest (sent as a map per row)."""
    named = [c for c in columns if isinstance(c, str) and _PLAIN_NAME.match(c)]
    return named, [c for c in columns if c not in named]


def _pattern_keys(named: Sequence[str], fingerprints: bool) -> list[str]:
    keys = [f"`{c}`: $p{k}[i]" for k, c in enumerate(named)]
    if fingerprints:
        keys.append(f"{ROW_KEY}: $fp[i]")
    return keys


def node_create_query(named: Sequence[str], *, rest: bool, fingerprints: bool) -> str:
    """Stakeholders into a graph holding none. Parameters: ``id``, ``label``, ``p0``.. (the
    ``named`` columns), ``fp`` (with ``fingerprints``), ``rest`` (with ``rest``), ``import``."""
    return (
        "UNWIND range(0, size($id) - 1) AS i "
        f"CREATE (n:{STAKEHOLDER_LABEL}:$($label[i]) "
        f"{{{', '.join(['id: $id[i]', *_pattern_keys(named, fingerprints)])}}}) "
        + ("SET n += $rest[i] " if rest else "")
        + "WITH count(*) AS created "
        "CREATE (:GraphcapUndo {__gc_import: $import, __gc_kind: 'created_nodes', __gc_ids: $id}) "
        "RETURN created, 0 AS updated, 0 AS unchanged, 0 AS rejected, [] AS bad"
    )


def edge_create_query(named: Sequence[str], *, rest: bool, fingerprints: bool) -> str:
    """Relationships where none of their type exists; both ends looked up through the id index.
    Parameters: ``source``, ``target``, ``type``, ``p0``.., ``fp``, ``rest``, ``import``. A row
    whose end is missing creates nothing and is counted as rejected (:data:`MISSING_ENDS` names
    it); one journal record of created relationships per type."""
    keys = _pattern_keys(named, fingerprints)
    props = " {" + ", ".join(keys) + "}" if keys else ""
    return (
        "UNWIND range(0, size($source) - 1) AS i "
        f"MATCH (a:{STAKEHOLDER_LABEL} {{id: $source[i]}}) "
        f"MATCH (b:{STAKEHOLDER_LABEL} {{id: $target[i]}}) "
        f"CREATE (a)-[r:$($type[i]){props}]->(b) "
        + ("SET r += $rest[i] " if rest else "")
        + "WITH $type[i] AS type, collect(i) AS made "
        "CREATE (:GraphcapUndo {__gc_import: $import, __gc_kind: 'created_edges', __gc_type: type, "
        "__gc_src: [k IN made | $source[k]], __gc_tgt: [k IN made | $target[k]]}) "
        "WITH sum(size(made)) AS created "
        "RETURN created, 0 AS updated, 0 AS unchanged, size($source) - created AS rejected, "
        "[] AS bad"
    )


#: The first five rows (0-based positions in the lists) of a create-only relationship batch
#: whose source or target is not a stakeholder: asked only when a batch rejected rows.
MISSING_ENDS = (
    "UNWIND range(0, size($source) - 1) AS i WITH i "
    f"WHERE NOT EXISTS {{ MATCH (:{STAKEHOLDER_LABEL} {{id: $source[i]}}) }} "
    f"OR NOT EXISTS {{ MATCH (:{STAKEHOLDER_LABEL} {{id: $target[i]}}) }} "
    "RETURN collect(i)[..5] AS bad"
)


#: Interactions: each row looked up by its key; a stored one is unchanged (the key is a hash of
#: the values), a missing one created with its two ends.
INTERACTION_QUERY = (
    "UNWIND $rows AS row "
    f"OPTIONAL MATCH (a:{STAKEHOLDER_LABEL} {{id: row.source}}) "
    f"OPTIONAL MATCH (b:{STAKEHOLDER_LABEL} {{id: row.target}}) "
    "OPTIONAL MATCH (old:Interaction {key: row.props.key}) "
    "WITH row, a, b, CASE WHEN a IS NULL OR b IS NULL THEN 'rejected' "
    "WHEN old IS NULL THEN 'created' ELSE 'unchanged' END AS status "
    "FOREACH (_ IN CASE WHEN status = 'created' THEN [1] ELSE [] END | "
    "CREATE (i:Interaction) SET i += row.props CREATE (i)-[:FROM]->(a) CREATE (i)-[:TO]->(b)) "
    "WITH collect(status) AS st, collect(CASE WHEN status = 'created' THEN row.props.key END) AS created, "
    + _BAD
    + " "
    + _journal_created("created_interactions", "__gc_ids: created")
    + _COUNTS
)


def interaction_create_query(named: Sequence[str], *, rest: bool) -> str:
    """Interactions into a graph holding none, as parallel lists like the other create-only
    queries: the node, its properties as pattern keys and both relationships in one CREATE.
    Parameters: ``source``, ``target``, ``key``, ``p0``.., ``rest`` (with ``rest``),
    ``import``. A row whose end is missing creates nothing and is counted as rejected
    (:data:`MISSING_ENDS` names it), as in :func:`edge_create_query`."""
    keys = ", ".join(["key: $key[i]", *_pattern_keys(named, fingerprints=False)])
    return (
        "UNWIND range(0, size($source) - 1) AS i "
        f"MATCH (a:{STAKEHOLDER_LABEL} {{id: $source[i]}}) "
        f"MATCH (b:{STAKEHOLDER_LABEL} {{id: $target[i]}}) "
        f"CREATE (a)<-[:FROM]-(x:Interaction {{{keys}}})-[:TO]->(b) "
        + ("SET x += $rest[i] " if rest else "")
        # grouped by a constant: no row (no journal record) when every row was rejected
        + "WITH $import AS run, collect($key[i]) AS made "
        "CREATE (:GraphcapUndo {__gc_import: run, __gc_kind: 'created_interactions', "
        "__gc_ids: made}) "
        "WITH sum(size(made)) AS created "
        "RETURN created, 0 AS updated, 0 AS unchanged, size($source) - created AS rejected, "
        "[] AS bad"
    )


BUMP_VERSION = (
    "MERGE (m:GraphcapMeta {key: 'version'}) "
    "SET m.token = randomUUID(), m.changed_at = datetime(), m.writes = coalesce(m.writes, 0) + 1"
)

#: The data's reference date: a date given with the import wins; otherwise the latest date the
#: data itself shows is kept, and a later import of older data does not move it back.
RECORD_AS_OF = (
    "MERGE (m:GraphcapMeta {key: 'data'}) "
    "SET m.as_of = CASE WHEN $given OR m.as_of IS NULL OR m.as_of < $as_of THEN $as_of ELSE m.as_of END, "
    "m.recorded_at = datetime()"
)


#: Whether the data can only show relationships with the organisation (``meta["ego_only"]``,
#: ``graphcap import --ego-only``, recipe key ``ego_only: true``). The graph stays ego-only only
#: while every import into it declared so: an import without the declaration may bring ties
#: among stakeholders. A replace, or the first import that records it, sets it outright.
RECORD_EGO_ONLY = (
    "MERGE (m:GraphcapMeta {key: 'data'}) "
    "SET m.ego_only = CASE WHEN $replace OR m.ego_only IS NULL THEN $ego "
    "ELSE m.ego_only AND $ego END"
)


def data_date(network: Network) -> tuple[dt.date, bool] | None:
    """The date to record with an import and whether it was given (``meta["as_of"]``)."""
    given = network.meta.get("as_of") if network.meta else None
    if given is not None:
        try:
            ts = pd.Timestamp(given)
        except (TypeError, ValueError):
            ts = pd.NaT
        if not pd.isna(ts):
            return ts.date(), True
    ref = data_reference_date(network)
    return (ref.date(), False) if ref is not None else None
