"""Combining several people's assessments of one relationship or stakeholder (pure, no I/O).

A relationship is rated on the four quality dimensions (:data:`~graphcap.model.schema.QUALITY_DIMENSIONS`),
a customer on ``satisfaction`` and ``loyalty`` (e.g. a SERVQUAL or NPS survey scaled to [0, 1]).
Each assessment has a date and an assessor; it may rate only some dimensions.

The combined value of a dimension is the **mean of each assessor's newest rating** of it: an
assessor who rated trust in March and again in June counts once, with June's value; two
assessors count equally however often each assessed. "Newest" is the latest assessment date,
ties broken by the order of entry. Retracted (undone) assessments do not count. The combined
values become the relationship's (stakeholder's) properties, so strength and the relational-capital
index follow the newest assessments (docs/METRICS.md, "Assessments").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graphcap.model.schema import QUALITY_DIMENSIONS

__all__ = ["ASSESSED", "combine"]

#: What can be assessed, per kind of item.
ASSESSED: Mapping[str, tuple[str, ...]] = {
    "relationship": QUALITY_DIMENSIONS,
    "stakeholder": ("satisfaction", "loyalty"),
}


def combine(
    assessments: Iterable[Mapping[str, Any]], dimensions: Sequence[str]
) -> dict[str, float]:
    """``{dimension: mean over assessors of their newest rating}`` for every rated dimension.

    Each assessment maps ``assessor``, ``date`` (comparable), ``seq`` (entry order) and the
    ratings it gives; ``retracted`` ones are ignored.

    >>> rows = [
    ...     {"assessor": "ann", "date": "2026-03-01", "seq": 1, "trust": 0.2},
    ...     {"assessor": "ann", "date": "2026-06-01", "seq": 2, "trust": 0.8, "commitment": 0.5},
    ...     {"assessor": "bob", "date": "2026-04-01", "seq": 3, "trust": 0.4},
    ...     {"assessor": "bob", "date": "2026-05-01", "seq": 4, "trust": 0.0, "retracted": True},
    ... ]
    >>> combine(rows, ["trust", "commitment", "responsiveness"])
    {'trust': 0.6, 'commitment': 0.5}
    """
    newest: dict[str, dict[str, tuple[Any, int, float]]] = {}
    for a in assessments:
        if a.get("retracted"):
            continue
        order = (a["date"], int(a.get("seq") or 0))
        for dim in dimensions:
            value = a.get(dim)
            if value is None:
                continue
            mine = newest.setdefault(dim, {})
            held = mine.get(a["assessor"])
            if held is None or order > held[:2]:
                mine[a["assessor"]] = (*order, float(value))
    out = {}
    for dim in dimensions:
        if dim in newest:
            values = [v[2] for v in newest[dim].values()]
            out[dim] = round(sum(values) / len(values), 12)
    return out
