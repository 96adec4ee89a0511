"""Reading and writing one editable item -- stakeholder, relationship or logged interaction -- as
a *state*: its property map without stored metrics (``m_*``), ``__gc_version`` and the import's
row fingerprint.

Used inside the edit transactions of :mod:`graphcap.store.edits` and :mod:`graphcap.store.assess`.
Labels and relationship types reach query text only through the schema's allow-list
(:meth:`~graphcap.model.schema.Schema.label_for`, :meth:`~graphcap.model.schema.Schema.rel_type`); every value
is a parameter.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graphcap.assessments import ASSESSED, combine
from graphcap.errors import EditRefused, SchemaError
from graphcap.i18n import gettext as _
from graphcap.model.schema import STAKEHOLDER_LABEL, Schema
from graphcap.store.audit import decode, native, relationship_key
from graphcap.store.properties import ROW_KEY

__all__ = ["KINDS", "RETIRED", "VERSION", "Target", "assessed_values", "check_values", "state_of"]

KINDS = ("stakeholder", "relationship", "interaction")
VERSION = "__gc_version"
RETIRED = "__gc_retired_at"
_IDENTITY = {
    "stakeholder": ("id",),
    "relationship": ("source", "type", "target"),
    "interaction": ("key", "source", "target"),
}
_SCALARS = (str, int, float, bool, date, datetime)
_MAX_LIST = 1000


def check_values(fields: Mapping[str, Any], kind: str) -> None:
    """Refuse property names graphcap reserves and values Neo4j cannot store, before any write
    (the full checks with the importers' texts are :mod:`loaders.edit_input`'s)."""
    for name, value in fields.items():
        if not isinstance(name, str) or not name or name.startswith(("__gc_", "m_")):
            raise EditRefused(
                _(
                    "property name {name!r} is not allowed: names starting with '__gc_' or 'm_' are reserved for graphcap; nothing was changed"
                ).format(name=name)
            )
        if name in _IDENTITY[kind]:
            raise EditRefused(
                _(
                    "{name!r} identifies the {kind} and cannot be changed; nothing was changed"
                ).format(name=name, kind=kind)
            )
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and len(value) > _MAX_LIST:
            raise EditRefused(
                _("property {name!r}: lists hold at most {max_list} values").format(
                    name=name, max_list=_MAX_LIST
                )
            )
        for v in values:
            if v is None and not isinstance(value, list):
                continue
            if not isinstance(v, _SCALARS) or (isinstance(v, float) and not math.isfinite(v)):
                raise EditRefused(
                    _(
                        "property {name!r}: {name2} value {v!r} cannot be stored (text, numbers, yes/no, dates only); nothing was changed"
                    ).format(name=name, name2=type(v).__name__, v=str(v)[:40])
                )


def state_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """An item's stored properties as its state (no metrics, version or row fingerprint)."""
    return {
        k: native(v)
        for k, v in props.items()
        if not k.startswith("m_") and k not in (VERSION, ROW_KEY)
    }


@dataclass(frozen=True)
class Target:
    """One editable item, addressed by kind and key."""

    kind: str
    key: str
    schema: Schema = field(compare=False, repr=False)

    @classmethod
    def stakeholder(cls, sid: str, schema: Schema) -> Target:
        return cls("stakeholder", str(sid), schema)

    @classmethod
    def relationship(cls, source: str, rel_type: str, target: str, schema: Schema) -> Target:
        return cls(
            "relationship",
            relationship_key(str(source), schema.rel_type(rel_type), str(target)),
            schema,
        )

    @classmethod
    def of(cls, kind: str, key: str, schema: Schema) -> Target:
        if kind not in KINDS:
            raise EditRefused(
                _("unknown kind {kind!r}; one of {kinds}").format(kind=kind, kinds=", ".join(KINDS))
            )
        if kind == "relationship":
            try:
                s, t, b = json.loads(key)
            except (ValueError, TypeError):
                raise EditRefused(
                    _("relationship key {key!r} is not [source, TYPE, target]").format(key=key)
                ) from None
            return cls.relationship(s, t, b, schema)
        return cls(kind, key, schema)

    @property
    def ends(self) -> tuple[str, str, str]:
        s, t, b = json.loads(self.key)
        return str(s), self.schema.rel_type(t), str(b)

    def label(self) -> str:
        if self.kind == "stakeholder":
            return _("stakeholder {key}").format(key=repr(self.key))
        if self.kind == "relationship":
            s, t, b = self.ends
            return _("relationship {source} -{type}-> {target}").format(
                source=repr(s), type=t, target=repr(b)
            )
        return _("interaction {key}").format(key=repr(self.key))

    def match(self) -> tuple[str, dict[str, Any]]:
        if self.kind == "stakeholder":
            return f"MATCH (x:{STAKEHOLDER_LABEL} {{id: $key}}) ", {"key": self.key}
        if self.kind == "relationship":
            s, t, b = self.ends
            return (
                f"MATCH (:{STAKEHOLDER_LABEL} {{id: $s}})-[x:{t}]->(:{STAKEHOLDER_LABEL} {{id: $b}}) ",
                {"s": s, "b": b},
            )
        return "MATCH (x:Interaction {key: $key}) ", {"key": self.key}

    def read(self, tx: Any) -> tuple[dict[str, Any] | None, int]:
        """``(state, version)``; ``(None, 0)`` when the item does not exist."""
        match, params = self.match()
        rec = tx.run(match + "RETURN properties(x) AS p", params).single()
        if rec is None:
            return None, 0
        return state_of(rec["p"]), int(rec["p"].get(VERSION) or 0)

    def write(
        self, tx: Any, old: Mapping[str, Any] | None, new: Mapping[str, Any], version: int
    ) -> None:
        """Make the stored item's state ``new`` (creating it if ``old`` is None; the ends of a
        relationship or interaction must exist) and its version ``version``."""
        # an edited item no longer matches the import row it was written from: dropping the row's
        # fingerprint makes the next import compare it in full (graphcap.store.importer)
        props = {
            **{k: None for k in (old or {}) if k not in new},
            **new,
            VERSION: version,
            ROW_KEY: None,
        }
        if self.kind == "stakeholder":
            try:
                label = self.schema.label_for(new.get("type"))  # type: ignore[arg-type]
            except SchemaError as exc:
                raise EditRefused(_("{exc}; nothing was changed").format(exc=exc)) from exc
            others = [lb for lb in dict.fromkeys(self.schema.labels) if lb != label]
            remove = f" REMOVE x:{':'.join(others)}" if others else ""
            if old is None:
                tx.run(
                    f"CREATE (x:{STAKEHOLDER_LABEL}:{label}) SET x = $props",
                    props={k: v for k, v in props.items() if v is not None},
                ).consume()
            else:
                tx.run(
                    f"MATCH (x:{STAKEHOLDER_LABEL} {{id: $key}}) SET x += $props SET x:{label}{remove}",
                    key=self.key,
                    props=props,
                ).consume()
            return
        if old is None and self.kind == "relationship":
            s, t, b = self.ends
            rec = tx.run(
                f"MATCH (a:{STAKEHOLDER_LABEL} {{id: $s}}), (b:{STAKEHOLDER_LABEL} {{id: $b}}) "
                f"CREATE (a)-[x:{t}]->(b) SET x = $props RETURN count(x) AS n",
                s=s,
                b=b,
                props={k: v for k, v in props.items() if v is not None},
            ).single()
            if not rec["n"]:
                raise EditRefused(
                    _("{label}: source or target is not a stakeholder; nothing was changed").format(
                        label=self.label()
                    )
                )
            return
        if old is None:  # a logged interaction between two stakeholders
            rec = tx.run(
                f"MATCH (a:{STAKEHOLDER_LABEL} {{id: $s}}), (b:{STAKEHOLDER_LABEL} {{id: $b}}) "
                "CREATE (x:Interaction)-[:FROM]->(a) CREATE (x)-[:TO]->(b) SET x = $props "
                "RETURN count(x) AS n",
                s=new.get("source"),
                b=new.get("target"),
                props={k: v for k, v in props.items() if v is not None},
            ).single()
            if not rec["n"]:
                raise EditRefused(
                    _("{label}: source or target is not a stakeholder; nothing was changed").format(
                        label=self.label()
                    )
                )
            return
        match, params = self.match()
        tx.run(match + "SET x += $props", {**params, "props": props}).consume()


def assessed_values(tx: Any, target: Target) -> dict[str, Any]:
    """The rated properties of ``target`` from its assessments not retracted
    (:func:`graphcap.assessments.combine`); a dimension no assessment rates any more gets the
    value it had before its first assessment (``None``: removed)."""
    dims = ASSESSED[target.kind]
    rows = [
        dict(r["x"])
        for r in tx.run(
            "MATCH (x:Assessment {kind: $kind, key: $key}) RETURN properties(x) AS x",
            kind=target.kind,
            key=target.key,
        )
    ]
    combined: dict[str, Any] = dict(combine(rows, dims))
    missing = [d for d in dims if d not in combined]
    if missing:
        rec = tx.run(
            "MATCH (e:GraphcapEvent {kind: $kind, key: $key, action: 'assess'}) "
            "RETURN e.before AS b ORDER BY e.seq LIMIT 1",
            kind=target.kind,
            key=target.key,
        ).single()
        base = (decode(rec["b"]) if rec else None) or {}
        combined.update({d: base.get(d) for d in missing})
    return combined
