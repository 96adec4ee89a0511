"""Validation of one edit (a form, a CLI call) with exactly the importers' checks and texts.

An edit of a stakeholder, a relationship, an assessment or a logged interaction is a table of
one row: it goes through :func:`loaders.validate.validate` like a row of ``nodes.csv``,
``edges.csv`` or ``interactions.csv`` would, so a score of ``1.7``, a type ``Kundee``, a name
with a NUL byte or a date ``31.02.2024`` is refused with the very words an import uses. What
comes back are plain Python values (``str``, ``float``, ``int``, ``datetime.date``, ``None`` for
"remove this property"), ready for :mod:`graphcap.store.edits`.

Only the fields given are checked and returned: a change of ``trust`` alone does not need the
relationship's other columns. Required columns not given are filled with a neutral placeholder
for the check and left out of the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import Problem, ValidationError
from graphcap.i18n import Num
from graphcap.i18n import gettext as _
from graphcap.i18n import lazy_gettext as _l
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from loaders.raw import RawInput, build_table
from loaders.validate import validate

__all__ = [
    "EditInvalid",
    "check_interaction",
    "check_relationship",
    "check_stakeholder",
]

_NODE_PLACEHOLDER = {"id": "placeholder", "name": "placeholder", "type": "organization"}
#: Property names an edit may not set: keys, graphcap's bookkeeping, stored metrics.
_RESERVED_PREFIXES = ("__gc_", "m_")
_MAX_FIELDS = 200
_MAX_TEXT = 100_000


class EditInvalid(ValidationError):
    """An edit's values have problems (the importers' texts); nothing was changed."""

    def __init__(self, problems: list[Problem], *, what: str) -> None:
        self.what = what
        super().__init__(problems, file=what)
        self.args = (self._message(),)

    def _message(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        shown = "\n".join(f"  - {p}" for p in errors[:20])
        if self.what == "stakeholder edit":
            head = _("{n} problem(s) in the stakeholder edit; nothing was changed.")
        elif self.what == "relationship edit":
            head = _("{n} problem(s) in the relationship edit; nothing was changed.")
        elif self.what == "interaction":
            head = _("{n} problem(s) in the interaction; nothing was changed.")
        else:
            head = _("{n} problem(s) in the {what}; nothing was changed.")
        return head.format(n=len(errors), what=self.what) + f"\n{shown}"

    def __str__(self) -> str:
        # worded when shown, like ValidationError
        return self._message()


def _cell(value: Any) -> Any:
    """A form or CLI value as a cell the way a file would hold it."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _plain(value: Any) -> Any:
    """A validated frame cell as a plain Python value (None for missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _check_names(fields: Mapping[str, Any], what: str, fixed: tuple[str, ...]) -> list[Problem]:
    problems = []
    if len(fields) > _MAX_FIELDS:
        problems.append(
            Problem(
                file=what,
                why=_l("too many fields ({n}); at most {limit}", n=len(fields), limit=_MAX_FIELDS),
            )
        )
    for name, value in fields.items():
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(file=what, column=str(name), why=_l("a property needs a name")))
        elif name.startswith(_RESERVED_PREFIXES):
            problems.append(
                Problem(
                    file=what,
                    column=name,
                    why=_l(
                        "names starting with '__gc_' or 'm_' are reserved for graphcap; rename it"
                    ),
                )
            )
        elif name in fixed:
            problems.append(
                Problem(
                    file=what,
                    column=name,
                    why=_l("{name!r} identifies the item and cannot be changed", name=name),
                )
            )
        elif isinstance(value, str) and len(value) > _MAX_TEXT:
            problems.append(
                Problem(
                    file=what,
                    column=name,
                    value=value[:40],
                    why=_l("text longer than {n} characters", n=Num(_MAX_TEXT)),
                )
            )
    return problems


def _ends_table(ends: list[Any]) -> list[dict[str, Any]]:
    """Placeholder stakeholders for the ends of an edge, so validate() can check references
    (whether they exist in the graph is the store's check)."""
    ids = list(dict.fromkeys(e.strip() if isinstance(e, str) else e for e in ends))
    return [{"id": i, "name": "placeholder", "type": "organization"} for i in ids] or [
        dict(_NODE_PLACEHOLDER)
    ]


def _run(
    kind: str, tables: dict[str, list[dict[str, Any]]], what: str, schema: Schema
) -> dict[str, Any]:
    raw = {}
    for k, rows in tables.items():
        headers = list(dict.fromkeys(h for row in rows for h in row))
        records = [[_cell(row.get(h)) for h in headers] for row in rows]
        table, problems = build_table(
            k,
            headers,
            records,
            list(range(len(rows))),
            file=what if k == kind else f"{what} ({k})",
            decimal_hint=".",
            header_row=None,
        )
        table.rows = [None] * len(rows)  # type: ignore[list-item]  # one form, no row numbers
        if problems:
            raise EditInvalid(problems, what=what)
        raw[k] = table
    try:
        result = validate(RawInput(tables=raw, source=what), schema=schema)
    except ValidationError as exc:
        mine = [p for p in exc.problems if p.file == what and p.severity == "error"]
        raise EditInvalid(mine or exc.problems, what=what) from None
    frame = {
        "nodes": result.network.nodes,
        "edges": result.network.edges,
        "interactions": result.network.interactions,
    }[kind]
    row = frame.iloc[0]
    return {c: _plain(row[c]) for c in frame.columns}


def check_stakeholder(
    fields: Mapping[str, Any], *, schema: Schema = DEFAULT_SCHEMA, new: bool = False
) -> dict[str, Any]:
    """The checked values of a stakeholder edit (``new``: a whole new stakeholder, which needs
    ``id``, ``name`` and ``type``; otherwise any of its properties, ``id`` excepted).

    >>> check_stakeholder({"satisfaction": "80 %", "type": "Kunde"})
    {'satisfaction': 0.8, 'type': 'customer'}
    >>> check_stakeholder({"loyalty": 1.7})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    loaders.edit_input.EditInvalid: 1 problem(s) in the stakeholder edit; nothing was changed.
      - stakeholder edit, column 'loyalty': must be between 0 and 1 ... (value 1.7)
    """
    what = "stakeholder edit"
    problems = _check_names(fields, what, () if new else ("id",))
    if new:
        problems += [
            Problem(file=what, column=c, why=_l("empty {column}; every row needs one", column=c))
            for c in ("id", "name", "type")
            if c not in fields
        ]
    if problems:
        raise EditInvalid(problems, what=what)
    cells = {**_NODE_PLACEHOLDER, **dict(fields)}
    checked = _run("nodes", {"nodes": [cells]}, what, schema)
    return {k: checked.get(k) for k in fields}


def check_relationship(
    source: Any,
    rel_type: Any,
    target: Any,
    fields: Mapping[str, Any],
    *,
    schema: Schema = DEFAULT_SCHEMA,
) -> tuple[str, str, str, dict[str, Any]]:
    """``(source, TYPE, target, checked fields)`` of a relationship edit; the ends must be
    stakeholders (checked by the store), the type allow-listed (aliases as in an import)."""
    what = "relationship edit"
    problems = _check_names(fields, what, ("source", "target", "type"))
    if problems:
        raise EditInvalid(problems, what=what)
    cells = {"source": source, "target": target, "type": rel_type, **dict(fields)}
    checked = _run(
        "edges", {"edges": [cells], "nodes": _ends_table([source, target])}, what, schema
    )
    return (
        str(checked["source"]),
        str(checked["type"]),
        str(checked["target"]),
        {k: checked.get(k) for k in fields},
    )


def check_interaction(
    fields: Mapping[str, Any], *, schema: Schema = DEFAULT_SCHEMA
) -> dict[str, Any]:
    """The checked values of one interaction to log (``date``, ``source``, ``target``, optional
    ``channel``, ``value``, ``sentiment`` and a free ``text``)."""
    what = "interaction"
    problems = _check_names(fields, what, ())
    if problems:
        raise EditInvalid(problems, what=what)
    cells = {"date": None, "source": None, "target": None, **dict(fields)}
    ends = _ends_table([cells["source"], cells["target"]])
    checked = _run("interactions", {"interactions": [cells], "nodes": ends}, what, schema)
    return {k: checked.get(k) for k in cells}
