"""Assessments and the interaction log, written through the audit trail.

- :func:`assess` stores one ``(:Assessment {id, kind, key, date, assessor, <ratings>, comment,
  seq, at, who, retracted})`` and, in the same transaction, sets the relationship's (or
  stakeholder's) rated properties to the combination of all its assessments
  (:func:`graphcap.assessments.combine`: mean of each assessor's newest rating) -- one ``assess``
  event in the audit trail. Undoing that event retracts the assessment and restores the values.
  :func:`assess_all` records many (a survey file) in one transaction: all or none.
- :func:`log_interaction` adds one ``(:Interaction)`` between two stakeholders (date, channel,
  value, sentiment, text, by) -- one ``log`` event; undoing it retires the entry.
- :func:`timeline` lists what happened to a relationship: its events, its assessments and the
  interactions between its two stakeholders, newest first.

Values arrive checked by :mod:`loaders.edit_input`; ratings are in [0, 1] (checked again here).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from graphcap.assessments import ASSESSED
from graphcap.errors import EditRefused
from graphcap.i18n import format_number, gettext, ngettext
from graphcap.i18n import gettext as _
from graphcap.store import audit
from graphcap.store.edits import Editor
from graphcap.store.targets import RETIRED, Target, assessed_values, check_values

__all__ = [
    "Rating",
    "assess",
    "assess_all",
    "assessments",
    "log_interaction",
    "survey_ratings",
    "timeline",
]

_MAX_COMMENT = 10_000


def _rating(name: str, value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= 1
    ):
        raise EditRefused(
            gettext("{name} must be between 0 and 1, got {value!r}; nothing was changed").format(
                name=name, value=str(value)[:40]
            )
        )
    return float(value)


def _checked(
    editor: Editor,
    target: Target,
    ratings: Mapping[str, Any],
    on: date,
    assessor: str | None,
    comment: str | None,
) -> tuple[dict[str, float], str]:
    """The ratings to store and the assessor's name, or :class:`EditRefused` saying why not."""
    allowed = ASSESSED.get(target.kind)
    if allowed is None:
        raise EditRefused(
            gettext("a {kind} cannot be assessed; relationships and stakeholders can").format(
                kind=target.kind
            )
        )
    unknown = sorted(set(ratings) - set(allowed))
    if unknown:
        raise EditRefused(
            gettext("{kind} assessments rate {allowed}; not {unknown}").format(
                kind=target.kind, allowed=", ".join(allowed), unknown=unknown
            )
        )
    given = {k: _rating(k, v) for k, v in ratings.items() if v is not None}
    if not given:
        raise EditRefused(gettext("an assessment needs at least one rating; nothing was changed"))
    if not isinstance(on, date):
        raise EditRefused(gettext("an assessment needs a date, got {on!r}").format(on=on))
    who = (assessor or editor.user).strip()
    if not who or len(who) > 200:
        raise EditRefused(
            gettext("the assessor's name must have {lengths} characters").format(lengths="1-200")
        )
    if comment is not None and (not isinstance(comment, str) or len(comment) > _MAX_COMMENT):
        raise EditRefused(
            gettext("a comment is text of at most {max_comment} characters").format(
                max_comment=format_number(_MAX_COMMENT)
            )
        )
    return given, who


def _record(
    tx: Any,
    editor: Editor,
    target: Target,
    given: Mapping[str, float],
    on: date,
    who: str,
    comment: str | None,
) -> dict[str, Any]:
    """In ``tx``: store one assessment, recombine and write the target's values, one event."""
    assessment_id = str(uuid.uuid4())
    seq, at = audit.begin(tx)
    state, _ = target.read(tx)
    if state is None or RETIRED in state:
        raise EditRefused(
            (
                gettext("{label} is retired; nothing was changed")
                if state
                else gettext("{label} does not exist; nothing was changed")
            ).format(label=target.label())
        )
    tx.run(
        "CREATE (x:Assessment) SET x = $p",
        p={
            "id": assessment_id,
            "kind": target.kind,
            "key": target.key,
            "date": on,
            "assessor": who,
            "seq": seq,
            "at": at,
            "who": editor.user,
            "retracted": False,
            **({"comment": comment} if comment else {}),
            **given,
        },
    ).consume()
    combined = {k: v for k, v in assessed_values(tx, target).items() if v is not None}

    def make(old: dict | None) -> dict:
        return {**(old or {}), **combined}

    return editor.apply(
        tx,
        target,
        "assess",
        make,
        version=None,
        started=(seq, at),
        assessment=assessment_id,
        comment=comment,
    )


def assess(
    editor: Editor,
    target: Target,
    ratings: Mapping[str, Any],
    *,
    on: date,
    assessor: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Record an assessment of ``target`` (a relationship: trust, commitment, responsiveness,
    mutual_interest; a stakeholder: satisfaction, loyalty) dated ``on`` by ``assessor`` (default:
    the editor's user); returns the ``assess`` event."""
    given, who = _checked(editor, target, ratings, on, assessor, comment)
    return editor.run(
        lambda tx: _record(tx, editor, target, given, on, who, comment),
        f"assessing {target.label()}",
    )


class Rating(NamedTuple):
    """One assessment of :func:`assess_all`; ``where`` names its origin (e.g. a file's row)."""

    target: Target
    ratings: Mapping[str, Any]
    on: date
    assessor: str
    comment: str | None = None
    where: str = ""


def survey_ratings(rows: Iterable[Any], schema: Any, *, file: str) -> list[Rating]:
    """The :class:`Rating` of each checked survey row (:class:`loaders.survey.SurveyRow`:
    ``row stakeholder on assessor ratings comment``), its origin named ``file, row N``."""
    return [
        Rating(
            Target.stakeholder(r.stakeholder, schema),
            r.ratings,
            r.on,
            r.assessor,
            r.comment,
            where=f"{file}, row {r.row}",
        )
        for r in rows
    ]


def survey_summary(rows: Sequence[Any], events: Sequence[Mapping[str, Any]] = ()) -> str:
    """What a survey check (no ``events``) or a recording said, in the user's language."""
    who = len({r.stakeholder for r in rows})
    if not events:
        return ngettext(
            "Valid: {n} survey row for {m} stakeholder(s); nothing was written.",
            "Valid: {n} survey rows for {m} stakeholder(s); nothing was written.",
            len(rows),
        ).format(n=len(rows), m=who)
    return _("Recorded {n} assessments of {m} stakeholder(s) (events {first} … {last}).").format(
        n=len(events), m=who, first=events[0]["seq"], last=events[-1]["seq"]
    )


def assess_all(editor: Editor, items: Sequence[Rating]) -> list[dict[str, Any]]:
    """Record many assessments (e.g. a survey's rows) in **one** transaction, in order: all of
    them or, when one is refused (its ``where`` named in the message), none. Returns the events."""
    checked = []
    for item in items:
        try:
            checked.append(
                _checked(editor, item.target, item.ratings, item.on, item.assessor, item.comment)
            )
        except EditRefused as exc:
            raise EditRefused(f"{item.where}: {exc}" if item.where else str(exc)) from exc

    def work(tx: Any) -> list[dict[str, Any]]:
        events = []
        for item, (given, who) in zip(items, checked, strict=True):
            try:
                events.append(_record(tx, editor, item.target, given, item.on, who, item.comment))
            except EditRefused as exc:
                raise EditRefused(f"{item.where}: {exc}" if item.where else str(exc)) from exc
        return events

    return editor.run(work, f"recording {len(items)} assessments")


def log_interaction(editor: Editor, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Log one interaction (``date``, ``source``, ``target`` and optional ``channel``, ``value``,
    ``sentiment``, ``text``); returns the ``log`` event (its ``key`` names the entry)."""
    fields = {k: v for k, v in fields.items() if v is not None}
    for required in ("date", "source", "target"):
        if required not in fields:
            raise EditRefused(
                gettext("an interaction needs {required!r}; nothing was changed").format(
                    required=required
                )
            )
    rest = {k: v for k, v in fields.items() if k not in ("source", "target")}
    check_values(rest, "interaction")
    key = "log-" + str(uuid.uuid4())
    target = Target("interaction", key, editor.schema)
    new = {
        **rest,
        "source": str(fields["source"]),
        "target": str(fields["target"]),
        "key": key,
        "by": editor.user,
    }

    def work(tx: Any) -> dict[str, Any]:
        ends = tx.run(
            "UNWIND $ids AS i OPTIONAL MATCH (n:Stakeholder {id: i}) "
            "RETURN i, n IS NOT NULL AS found, n.__gc_retired_at IS NOT NULL AS retired",
            ids=[new["source"], new["target"]],
        ).data()
        for end in ends:
            if not end["found"] or end["retired"]:
                raise EditRefused(
                    gettext("interaction: {i!r} {value}; nothing was changed").format(
                        i=end["i"], value="is retired" if end["found"] else "is not a stakeholder"
                    )
                )
        return editor.apply(tx, target, "log", lambda _: dict(new), version=None, create=True)

    return editor.run(work, "logging an interaction")


def assessments(editor: Editor, target: Target) -> list[dict[str, Any]]:
    """Every assessment of ``target``, newest first (retracted ones flagged)."""
    return editor.read(
        lambda tx: [
            {k: audit.native(v) for k, v in r["x"].items()}
            for r in tx.run(
                "MATCH (x:Assessment {kind: $kind, key: $key}) RETURN properties(x) AS x "
                "ORDER BY x.date DESC, x.seq DESC",
                kind=target.kind,
                key=target.key,
            )
        ],
        "reading assessments",
    )


def timeline(editor: Editor, target: Target) -> list[dict[str, Any]]:
    """A relationship's history, newest first: rows ``{when, what, who, detail, event}``."""
    source, _, other = target.ends

    def work(tx: Any) -> list[dict[str, Any]]:
        rows = []
        for r in tx.run(
            "MATCH (e:GraphcapEvent {kind: $kind, key: $key}) RETURN properties(e) AS e",
            kind=target.kind,
            key=target.key,
        ):
            e = audit.event_of(r["e"])
            rows.append(
                {
                    "when": e["at"],
                    "what": e["action"],
                    "who": e["who"],
                    "detail": audit.describe(e).split(": ", 1)[-1],
                    "event": e["id"],
                }
            )
        for r in tx.run(
            "MATCH (a:Stakeholder)<-[:FROM]-(i:Interaction)-[:TO]->(b:Stakeholder) "
            "WHERE [a.id, b.id] IN [[$s, $t], [$t, $s]] AND i.__gc_retired_at IS NULL "
            "RETURN properties(i) AS i",
            s=source,
            t=other,
        ):
            i = {k: audit.native(v) for k, v in r["i"].items()}
            detail = ", ".join(
                f"{k} {i[k]}" for k in ("channel", "value", "sentiment", "text") if k in i
            )
            rows.append(
                {
                    "when": _moment(i.get("date")),
                    "what": "interaction",
                    "who": i.get("by"),
                    "detail": detail,
                    "event": None,
                }
            )
        return rows

    rows = editor.read(work, "reading the timeline")
    return sorted(rows, key=lambda r: _sortable(r["when"]), reverse=True)


def _moment(when: Any) -> datetime | None:
    """A logged date as a UTC time (midnight), so a timeline has one kind of time."""
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    if isinstance(when, date):
        return datetime(when.year, when.month, when.day, tzinfo=UTC)
    return None


def _sortable(when: Any) -> str:
    return when.isoformat() if isinstance(when, datetime) else ""
