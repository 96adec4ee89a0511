"""``graphcap assess``, ``log``, ``history``, ``undo``, ``overdue``: maintaining relationships
from the command line or a script, through the same checks and audit trail as the app.

Values are checked like an import's cells (:mod:`loaders.edit_input`: ``80 %``, ``0,8``,
``4.7.2026`` work; the error texts are the importers'). Every change is recorded under
``--user`` (default ``$GRAPHCAP_USER``, else the login name).
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from typing import Any

import click

from graphcap.assessments import ASSESSED
from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.config import load_project_config
from graphcap.i18n import gettext as _
from graphcap.metrics.cadence import OVERDUE_COLUMNS
from graphcap.metrics.cadence import overdue as overdue_list
from graphcap.metrics.wording import contact_reasons, type_label
from graphcap.store import Neo4jStore
from graphcap.store.assess import assess as assess_target
from graphcap.store.assess import log_interaction
from graphcap.store.audit import describe
from graphcap.store.edits import Editor, Target
from loaders.edit_input import check_interaction, check_relationship, check_stakeholder

__all__ = ["EVENT_KEYS", "OVERDUE_KEYS", "assess", "history", "log", "overdue", "undo"]

#: the JSON/CSV keys of one recorded change (docs/CLI.md); absent values are null
EVENT_KEYS = [
    "id",
    "seq",
    "at",
    "who",
    "action",
    "kind",
    "key",
    "version",
    "before",
    "after",
    "changes",
    "undoes",
    "assessment",
    "comment",
]
OVERDUE_KEYS = OVERDUE_COLUMNS  # the overdue list's columns are its JSON/CSV keys

USER = click.option(
    "--user",
    envvar="GRAPHCAP_USER",
    default=None,
    help="Who makes the change (default: $GRAPHCAP_USER, else the login name).",
)


def _user(user: str | None) -> str:
    return user or os.environ.get("USER") or getpass.getuser()


def open_editor(user: str | None) -> tuple[Neo4jStore, Editor]:
    """The Neo4j of the environment (checked) and an editor acting for ``user``."""
    store = Neo4jStore.from_env(schema=load_project_config().schema)
    try:
        store.verify()
    except BaseException:
        store.close()  # no driver left open when the server is not there
        raise
    return store, Editor(store, user=_user(user))


def day(text: str | None) -> date:
    """A date given on the command line, checked like an import's cell (default: today)."""
    if text is None:
        return datetime.now(UTC).date()
    checked = check_interaction({"date": text, "source": "x", "target": "x"})
    return checked["date"] if isinstance(checked["date"], date) else checked["date"].date()


def _event_doc(event: dict[str, Any]) -> dict[str, Any]:
    """One change with exactly :data:`EVENT_KEYS` (``changes`` as ``{property: [old, new]}``)."""
    doc = {k: event.get(k) for k in EVENT_KEYS}
    doc["changes"] = {
        k: list(v) for k, v in (event.get("changes") or {}).items() if not k.startswith("__gc_")
    }
    return doc


def _emit_event(fmt: str, event: dict[str, Any], line: str) -> None:
    doc = _event_doc(event)
    emit(fmt, doc, rows=[doc], columns=EVENT_KEYS, table=lambda: click.echo(line))


def _when(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            _("{value} is not an ISO time such as 2026-06-01T12:00Z").format(value=repr(text))
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@click.command(cls=HelpCommand, name="assess")
@click.argument("source")
@click.argument("rel_type", required=False)
@click.argument("target", required=False)
@click.option("--trust")
@click.option("--commitment")
@click.option("--responsiveness")
@click.option("--mutual-interest", "mutual_interest")
@click.option("--satisfaction", help="Of a stakeholder (give only SOURCE, its id).")
@click.option("--loyalty", help="Of a stakeholder (give only SOURCE, its id).")
@click.option("--date", "on", help="Date of the assessment (default: today).")
@click.option("--assessor", help="Who assessed (default: --user).")
@click.option("--comment")
@USER
@format_option
def assess(
    source: str,
    rel_type: str | None,
    target: str | None,
    on: str | None,
    assessor: str | None,
    comment: str | None,
    user: str | None,
    fmt: str,
    legacy_json: bool,
    **ratings: str | None,
) -> None:
    """Rate the relationship SOURCE -REL_TYPE-> TARGET (trust, commitment, responsiveness,
    mutual interest), or the stakeholder SOURCE (satisfaction, loyalty), each in [0, 1]."""
    given = {k: v for k, v in ratings.items() if v is not None}
    store, editor = open_editor(user)
    with store:
        if rel_type is None:
            checked = check_stakeholder(given, schema=store.schema)
            item = Target.stakeholder(source, store.schema)
        elif target is None:
            raise click.UsageError(
                _("give SOURCE REL_TYPE TARGET for a relationship, or SOURCE alone")
            )
        else:
            source, rel, target, checked = check_relationship(
                source, rel_type, target, given, schema=store.schema
            )
            item = Target.relationship(source, rel, target, store.schema)
        wrong = sorted(set(checked) - set(ASSESSED[item.kind]))
        if wrong:
            raise click.UsageError(
                _("a {kind} is rated on {allowed}, not {wrong}").format(
                    kind=item.kind, allowed=", ".join(ASSESSED[item.kind]), wrong=wrong
                )
            )
        event = assess_target(editor, item, checked, on=day(on), assessor=assessor, comment=comment)
    line = _("Assessed {item}: {changes} (event {id})").format(
        item=item.label(), changes=_changes(event), id=event["id"]
    )
    _emit_event(fmt_of(fmt, legacy_json), event, line)


@click.command(cls=HelpCommand, name="log")
@click.argument("source")
@click.argument("target")
@click.option("--date", "on", help="When (default: today).")
@click.option("--channel", help="meeting, call, e-mail, ...")
@click.option("--value", help="Value of the interaction (e.g. an order).")
@click.option("--sentiment", help="From -1 (hostile) to 1 (warm).")
@click.option("--text", help="A note.")
@USER
@format_option
def log(
    source: str,
    target: str,
    on: str | None,
    user: str | None,
    fmt: str,
    legacy_json: bool,
    **extra: str | None,
) -> None:
    """Log an interaction between stakeholders SOURCE and TARGET."""
    fields: dict[str, Any] = {
        "date": on or datetime.now(UTC).date().isoformat(),
        "source": source,
        "target": target,
        **{k: v for k, v in extra.items() if v is not None},
    }
    store, editor = open_editor(user)
    with store:
        event = log_interaction(editor, check_interaction(fields, schema=store.schema))
    line = _("Logged {date} {source} -> {target} (event {id})").format(
        date=event["after"]["date"], source=repr(source), target=repr(target), id=event["id"]
    )
    _emit_event(fmt_of(fmt, legacy_json), event, line)


@click.command(cls=HelpCommand, name="history")
@click.argument("stakeholder")
@click.option(
    "--type", "rel_type", help="With --target: the relationship STAKEHOLDER -TYPE-> TARGET only."
)
@click.option("--target", "other")
@click.option("--at", "at", help="Print the state at this time (ISO, UTC if no zone) instead.")
@format_option
def history(
    stakeholder: str,
    rel_type: str | None,
    other: str | None,
    at: str | None,
    fmt: str,
    legacy_json: bool,
) -> None:
    """Every recorded change of STAKEHOLDER and its relationships (who, when, old -> new).

    --format json prints one JSON list of changes (keys in docs/CLI.md); with --at, the state
    at that time as one JSON object."""
    fmt = fmt_of(fmt, legacy_json)
    store, editor = open_editor("history")
    with store:
        if rel_type or other:
            if not (rel_type and other):
                raise click.UsageError(_("--type and --target go together"))
            item = Target.relationship(stakeholder, rel_type, other, store.schema)
        else:
            item = Target.stakeholder(stakeholder, store.schema)
        if at is not None:
            state = editor.state_at(item, _when(at))
            doc = dict(sorted((state or {}).items()))

            def state_table() -> None:
                if not doc:
                    click.echo(_("{item} did not exist at {at}.").format(item=item.label(), at=at))
                for k, v in doc.items():
                    click.echo(f"{k}: {_fmt(v)}")

            rows = [{"property": k, "value": v} for k, v in doc.items()]
            emit(fmt, doc, rows=rows, columns=["property", "value"], table=state_table)
            return
        events = editor.history(item) if (rel_type or other) else editor.involving(stakeholder)
    docs = [_event_doc(e) for e in events]

    def table() -> None:
        if not events:
            click.echo(_("No recorded changes of {item}.").format(item=item.label()))
        for e in events:
            kind = _KINDS[e["kind"]]() if e["kind"] in _KINDS else e["kind"]
            click.echo(f"{e['seq']:>6}  {describe(e)}  [{kind} {e['key']}] id={e['id']}")

    emit(fmt, docs, rows=docs, columns=EVENT_KEYS, table=table)


@click.command(cls=HelpCommand, name="undo")
@click.argument("event_id")
@click.option("--others", is_flag=True, help="Also undo another user's change (an admin's right).")
@USER
@format_option
def undo(event_id: str, others: bool, user: str | None, fmt: str, legacy_json: bool) -> None:
    """Undo the change EVENT_ID (see `graphcap history`); the undo is recorded too."""
    store, editor = open_editor(user)
    with store:
        event = editor.undo(event_id, others=others)
    line = _("Undone: {kind} {key} is back to version {version}'s state (event {id})").format(
        kind=_KINDS[event["kind"]]() if event["kind"] in _KINDS else event["kind"],
        key=event["key"],
        version=event["version"] - 1,
        id=event["id"],
    )
    _emit_event(fmt_of(fmt, legacy_json), event, line)


@click.command(cls=HelpCommand, name="overdue")
@click.option("--today", help="Count from this date (default: today).")
@format_option
def overdue(today: str | None, fmt: str, legacy_json: bool) -> None:
    """Stakeholders overdue for a contact by the [cadence] targets of graphcap.toml."""
    config = load_project_config()
    with Neo4jStore.from_env(schema=config.schema) as store:
        store.verify()
        frame = overdue_list(store.read_network(), config.cadence_days, today=day(today))
    docs = [{k: r.get(k) for k in OVERDUE_KEYS} for r in frame.to_dict(orient="records")]

    def table() -> None:
        if frame.empty:
            click.echo(_("Nobody is overdue."))
        for row in frame.itertuples(index=False):
            click.echo(
                f"{row.days_overdue:>5} d  {row.id}  {row.name!r} ({type_label(row.type)}), "
                + _("owner {owner}: {reason}").format(
                    owner=row.owner or "-", reason=contact_reasons(row.reason_codes)
                )
            )

    emit(fmt_of(fmt, legacy_json), docs, rows=docs, columns=OVERDUE_KEYS, table=table)


#: what a change's kind (a code) is called in the current language
_KINDS = {
    "stakeholder": lambda: _("stakeholder"),
    "relationship": lambda: _("relationship"),
    "interaction": lambda: _("interaction"),
}


def _changes(event: dict[str, Any]) -> str:
    shown = [
        f"{k} {_fmt(a)} -> {_fmt(b)}"
        for k, (a, b) in event["changes"].items()
        if not k.startswith("__gc_")
    ]
    return ", ".join(shown) or _("no change")


def _fmt(v: Any) -> str:
    return "-" if v is None else (f"{v:.3g}" if isinstance(v, float) else str(v))
