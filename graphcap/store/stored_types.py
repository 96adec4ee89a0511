"""Project types kept with the data: the stakeholder and relationship types a project adds
(``graphcap.toml``) are stored in Neo4j by the import that uses them, on
``(:GraphcapMeta {key: 'types'})``, so every later reader (``info``, the app, a command run from
another folder) knows them without the config file. Stakeholders of a project type used to
disappear from every view when ``graphcap.toml`` was not found next to the command.

Stored names go through :class:`graphcap.model.schema.Schema` again when read: a hostile label written
into the database by hand is refused (:class:`graphcap.errors.SchemaError`), never put into Cypher.
"""

from __future__ import annotations

from typing import Any

from graphcap.model.schema import DEFAULT_SCHEMA, Schema

__all__ = ["extended_by_stored", "read_stored_types", "write_stored_types"]


def _extra(schema: Schema) -> tuple[dict[str, str], list[str]]:
    nodes = {k: v for k, v in schema.node_types.items() if k not in DEFAULT_SCHEMA.node_types}
    rels = [r for r in schema.rel_types if r not in DEFAULT_SCHEMA.rel_types]
    return nodes, rels


def write_stored_types(tx: Any, schema: Schema) -> bool:
    """Add the schema's project types to the stored ones; False when it has none."""
    nodes, rels = _extra(schema)
    if not nodes and not rels:
        return False
    tx.run(
        "MERGE (m:GraphcapMeta {key: 'types'}) "
        "SET m.node_types = [x IN coalesce(m.node_types, []) WHERE NOT x IN $nodes] + $nodes, "
        "m.rel_types = [x IN coalesce(m.rel_types, []) WHERE NOT x IN $rels] + $rels",
        nodes=[f"{name}={label}" for name, label in sorted(nodes.items())],
        rels=sorted(rels),
    ).consume()
    return True


def read_stored_types(tx: Any) -> tuple[dict[str, str], dict[str, str]]:
    """``(node types name -> label, relationship types TYPE -> help)`` stored in the database."""
    rec = tx.run(
        "MATCH (m:GraphcapMeta {key: 'types'}) RETURN m.node_types AS n, m.rel_types AS r"
    ).single()
    if rec is None:
        return {}, {}
    nodes = dict(str(x).split("=", 1) for x in (rec["n"] or []) if "=" in str(x))
    rels = {str(r): "a project relationship type (stored with the data)" for r in rec["r"] or []}
    return nodes, rels


def extended_by_stored(schema: Schema, stored: tuple[dict[str, str], dict[str, str]]) -> Schema:
    """``schema`` plus the stored types it lacks (checked like any project type)."""
    nodes = {k: v for k, v in stored[0].items() if k not in schema.node_types}
    rels = {k: v for k, v in stored[1].items() if k not in schema.rel_types}
    return schema.extend(node_types=nodes, rel_types=rels) if nodes or rels else schema
