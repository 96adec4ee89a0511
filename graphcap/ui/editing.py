"""The forms that maintain relationships: edit or retire a stakeholder, assess a relationship or
a customer, log an interaction, and a relationship's timeline with undo.

Every form sends what was typed through :mod:`loaders.edit_input` (the importers' checks and
words) and :mod:`graphcap.store.edits` (one transaction with its audit event, named after the
logged-in user). A refused save shows why and changes nothing; a save on a stale version shows
the other person's change (:class:`~graphcap.errors.EditConflict`). Edits need Neo4j and the
editor role; undoing another person's change needs admin.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from graphcap.access import Role
from graphcap.errors import EditConflict, GraphcapError
from graphcap.i18n import gettext as _
from graphcap.model.schema import NODE_OPTIONAL, QUALITY_DIMENSIONS
from graphcap.store.assess import assess, log_interaction, timeline
from graphcap.store.audit import describe
from graphcap.store.edits import Editor, Target
from graphcap.ui import login, state
from graphcap.ui.datasource import Connection
from graphcap.ui.labels import column_label, vocabulary_label
from graphcap.ui.lang import stamp, table
from loaders.edit_input import check_interaction, check_relationship, check_stakeholder

__all__ = ["done", "editor_for", "event_rows", "render_stakeholder_tools", "render_undo"]

_TEXT_FIELDS = ("name", "segment", "region", "country", "tags")
_NUMBER_FIELDS = ("revenue", "clv", "satisfaction", "loyalty", "power", "interest")


def editor_for(conn: Connection) -> Editor | None:
    """An editor for the logged-in user, or ``None`` (and a note why) when editing is not possible."""
    session = login.current()
    if session is None or session.role < Role.editor:
        return None
    if not conn.has_neo4j:
        st.info(
            _(
                "Editing, assessments and the interaction log need Neo4j (the snapshot is "
                "read-only)."
            )
        )
        return None
    return Editor(conn.source, user=session.user)


def done(message: str) -> None:
    st.session_state["gc_edit_done"] = message
    st.rerun()


def _show(exc: GraphcapError) -> None:
    if isinstance(exc, EditConflict):
        state.show_message(exc)
        if exc.other is not None:
            st.caption(_("Their change:"))
            table(_changes_frame(exc.other), width="content")
    else:
        state.show_message(exc)


def _changes_frame(event: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {"property": k, "old": _text(a), "new": _text(b)}
        for k, (a, b) in event["changes"].items()
        if not k.startswith("__gc_")
    ]
    return pd.DataFrame(rows, columns=["property", "old", "new"])


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def render_stakeholder_tools(conn: Connection, sid: str, relationships: pd.DataFrame) -> None:
    """The maintenance part of the Stakeholder page for ``sid`` (``relationships``: its edges
    with ``source``, ``type``, ``target`` and ``with``, the other's label)."""
    editor = editor_for(conn)
    if editor is None:
        return
    message = st.session_state.pop("gc_edit_done", None)
    if message:
        st.success(message)
    st.subheader(_("Maintain"), anchor=False)
    tab_edit, tab_assess, tab_log, tab_time = st.tabs(
        [_("Edit stakeholder"), _("Assess"), _("Log interaction"), _("Timeline")]
    )
    with tab_edit:
        _edit_form(editor, sid)
    choices = [(r.source, r.type, r.target, r.label) for r in relationships.itertuples()]
    with tab_assess:
        _assess_form(editor, sid, choices)
    with tab_log:
        _log_form(editor, sid, relationships)
    with tab_time:
        _timeline(editor, choices)


def _edit_form(editor: Editor, sid: str) -> None:
    """The stakeholder as it was when the form was opened is kept in the session, so a save
    says which version it was made on (a change by someone else meanwhile is refused)."""
    opened_key = f"gc_opened_{sid}"
    if opened_key not in st.session_state:
        st.session_state[opened_key] = editor.current(Target.stakeholder(sid, editor.schema))
        for name in (*_TEXT_FIELDS, *_NUMBER_FIELDS, "type"):
            st.session_state.pop(f"ed_{name}", None)
    state, version = st.session_state[opened_key]
    if state is None:
        st.warning(_("This stakeholder is not in Neo4j any more; reload the page."))
        return
    types = list(editor.schema.node_types)
    with st.form("gc_edit"):
        values: dict[str, Any] = {}
        for name in _TEXT_FIELDS:
            values[name] = st.text_input(
                column_label(name), value=_text(state.get(name)), key=f"ed_{name}"
            )
        current_type = state.get("type")
        values["type"] = st.selectbox(
            column_label("type"),
            types,
            format_func=vocabulary_label,
            key="ed_type",
            index=types.index(current_type) if current_type in types else 0,
        )
        for name in _NUMBER_FIELDS:
            kind = NODE_OPTIONAL[name]
            values[name] = st.text_input(
                (
                    _("{field} (0 to 1, or 80 %)") if kind == "unit" else _("{field} (number)")
                ).format(field=column_label(name)),
                value=_text(state.get(name)),
                key=f"ed_{name}",
            )
        save = st.form_submit_button(_("Save changes"))
    changes = {k: (v if v != "" else None) for k, v in values.items() if v != _text(state.get(k))}
    if save:
        if not changes:
            st.info(_("Nothing changed."))
        else:
            try:
                editor.change_stakeholder(
                    sid, check_stakeholder(changes, schema=editor.schema), version=version
                )
                del st.session_state[opened_key]
                done(_("Saved: {fields}.").format(fields=", ".join(sorted(changes))))
            except GraphcapError as exc:
                _show(exc)
    reload, retire = st.columns(2)
    if reload.button(
        _("Reload"), key="ed_reload", help=_("Forget what you typed and show the stored values")
    ):
        del st.session_state[opened_key]
        st.rerun()
    if retire.button(
        _("Retire this stakeholder"),
        key="ed_retire",
        help=_("It leaves every view but stays in the history; an editor can restore it."),
    ):
        try:
            editor.retire_stakeholder(sid, version=version)
            del st.session_state[opened_key]
            done(_("Retired. It stays in the history (Maintain page) and can be restored."))
        except GraphcapError as exc:
            _show(exc)


def _assess_form(editor: Editor, sid: str, choices: list[tuple[str, str, str, str]]) -> None:
    options = ["__self__"] + list(range(len(choices)))
    itself = _("this stakeholder (satisfaction, loyalty)")
    other = _("relationship with {name} ({type})")
    pick = st.selectbox(
        _("What to assess"),
        options,
        key="as_what",
        format_func=lambda o: (
            itself
            if o == "__self__"
            else other.format(name=choices[int(o)][3], type=choices[int(o)][1])
        ),
    )
    dims = ("satisfaction", "loyalty") if pick == "__self__" else QUALITY_DIMENSIONS
    with st.form("gc_assess"):
        ratings = {
            d: st.text_input(
                _("{field} (0 to 1, or 80 %; empty: not rated)").format(field=column_label(d)),
                key=f"as_{d}",
            )
            for d in dims
        }
        on = st.date_input(
            _("date"), value=datetime.now(UTC).date(), key="as_date", format=_("YYYY-MM-DD")
        )
        assessor = st.text_input(_("assessor (empty: you)"), key="as_assessor")
        comment = st.text_area(_("comment"), key="as_comment")
        save = st.form_submit_button(_("Save assessment"))
    if not save:
        return
    given = {k: v for k, v in ratings.items() if v.strip()}
    try:
        if pick == "__self__":
            checked = check_stakeholder(given, schema=editor.schema)
            target = Target.stakeholder(sid, editor.schema)
        else:
            s, t, b, _label = choices[int(pick)]
            *_ends, checked = check_relationship(s, t, b, given, schema=editor.schema)
            target = Target.relationship(s, t, b, editor.schema)
        event = assess(
            editor,
            target,
            checked,
            on=on if isinstance(on, date) else date.today(),
            assessor=assessor.strip() or None,
            comment=comment.strip() or None,
        )
        shown = ", ".join(
            f"{k} {b:.2f}" for k, (_old, b) in event["changes"].items() if isinstance(b, float)
        ) or _("unchanged")
        done(_("Assessment saved; now {values}.").format(values=shown))
    except GraphcapError as exc:
        _show(exc)


def _log_form(editor: Editor, sid: str, relationships: pd.DataFrame) -> None:
    others = {r.other: r.label for r in relationships.itertuples()}
    if not others:
        st.caption(_("No relationships to log an interaction on."))
        return
    with st.form("gc_log"):
        other = st.selectbox(
            _("with"), list(others), format_func=lambda o: others[o], key="lg_other"
        )
        outgoing = st.checkbox(_("from this stakeholder (else to it)"), value=False, key="lg_out")
        on = st.date_input(
            _("date"), value=datetime.now(UTC).date(), key="lg_date", format=_("YYYY-MM-DD")
        )
        channel = st.text_input(_("channel (meeting, call, e-mail, ...)"), key="lg_channel")
        value = st.text_input(_("value"), key="lg_value")
        sentiment = st.text_input(_("sentiment (-1 to 1)"), key="lg_sentiment")
        text = st.text_area(_("note"), key="lg_text")
        save = st.form_submit_button(_("Log it"))
    if not save:
        return
    fields = {
        "date": on,
        "source": sid if outgoing else other,
        "target": other if outgoing else sid,
        "channel": channel,
        "value": value,
        "sentiment": sentiment,
        "text": text,
    }
    fields = {k: v for k, v in fields.items() if not (isinstance(v, str) and not v.strip())}
    try:
        log_interaction(editor, check_interaction(fields, schema=editor.schema))
        done(_("Interaction logged."))
    except GraphcapError as exc:
        _show(exc)


def _timeline(editor: Editor, choices: list[tuple[str, str, str, str]]) -> None:
    if not choices:
        st.caption(_("No relationships."))
        return
    pick = st.selectbox(
        _("Relationship"),
        list(range(len(choices))),
        key="tl_pick",
        format_func=lambda i: f"{choices[i][3]} ({choices[i][1]})",
    )
    s, t, b, _label = choices[int(pick)]
    rows = timeline(editor, Target.relationship(s, t, b, editor.schema))
    if not rows:
        st.caption(_("Nothing recorded yet."))
        return
    frame = pd.DataFrame(rows)
    table(frame[["when", "what", "who", "detail"]])
    undoable = [r for r in rows if r["event"] and r["what"] != "undo"]
    if undoable:
        render_undo(editor, undoable, key="tl")


def render_undo(editor: Editor, rows: list[dict[str, Any]], *, key: str) -> None:
    """A choice of recorded changes and an Undo button (others' changes only for admins)."""
    admin = login.may(Role.admin)
    mine = [r for r in rows if admin or r["who"] == editor.user]
    if not mine:
        return
    pick = st.selectbox(
        _("Undo a change"),
        list(range(len(mine))),
        key=f"{key}_undo_pick",
        format_func=lambda i: (
            f"{stamp(mine[i]['when'])} {mine[i]['who']}: {mine[i]['what']} {mine[i]['detail']}"[
                :160
            ]
        ),
    )
    if st.button(_("Undo"), key=f"{key}_undo"):
        try:
            editor.undo(mine[int(pick)]["event"], others=admin)
            done(_("Undone."))
        except GraphcapError as exc:
            _show(exc)


def event_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events as timeline rows (for the Maintain page)."""
    return [
        {
            "when": e["at"],
            "what": e["action"],
            "who": e["who"],
            "item": f"{e['kind']} {e['key']}",
            "detail": describe(e).split(": ", 1)[-1],
            "event": e["id"],
        }
        for e in events
    ]
