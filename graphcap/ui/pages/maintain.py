"""Maintain page (editors): who is overdue for a contact, whom to contact next, the latest
changes with undo, new stakeholders and relationships, survey ratings from a CSV, restoring
retired ones and (admins only) purging them for good."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from graphcap.access import Role
from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.metrics.cadence import overdue
from graphcap.metrics.wording import contact_reasons
from graphcap.store.edits import Target
from graphcap.ui import contacts, editing, login, page_start, state, survey
from graphcap.ui.labels import vocabulary_label
from graphcap.ui.lang import table
from loaders.edit_input import check_relationship, check_stakeholder

conn, view = page_start.open_page(_("Maintain"))
message = st.session_state.pop("gc_edit_done", None)
if message:
    st.success(message)

st.subheader(_("Overdue for a contact"), anchor=False)
config = load_project_config()
late = overdue(view.network, config.cadence_days, today=datetime.now(UTC).date())
every = _("{type} every {days} days")
targets = ", ".join(every.format(type=k, days=v) for k, v in sorted(config.cadence_days.items()))
st.caption(
    _("Targets ([cadence] in graphcap.toml): {targets}.").format(targets=targets or _("none"))
)
if late.empty:
    st.info(_("Nobody is overdue."))
else:
    late["reason"] = late["reason_codes"].map(contact_reasons)  # in the UI language
    table(late.drop(columns="reason_codes"))

st.subheader(_("Next best contacts"), anchor=False)
contacts.render_next_contacts(view.analysis, key="mt_next", conn=conn)

editor = editing.editor_for(conn)
if editor is None:
    st.stop()

st.subheader(_("Latest changes"), anchor=False)
rows = editing.event_rows(editor.recent(limit=50))
if rows:
    table([{k: r[k] for k in ("when", "who", "what", "item", "detail")} for r in rows])
    editing.render_undo(editor, [r for r in rows if r["what"] != "undo"], key="mt")
else:
    st.caption(_("No changes recorded yet."))

left, right = st.columns(2)
with left, st.form("mt_new_stakeholder"):
    st.markdown(_("**New stakeholder**"))
    sid = st.text_input(_("id"), key="mt_id")
    name = st.text_input(_("name"), key="mt_name")
    kind = st.selectbox(
        _("type"), list(editor.schema.node_types), format_func=vocabulary_label, key="mt_type"
    )
    if st.form_submit_button(_("Create stakeholder")):
        try:
            editor.create_stakeholder(
                check_stakeholder(
                    {"id": sid, "name": name, "type": kind}, schema=editor.schema, new=True
                )
            )
            editing.done(_("Created stakeholder {id}.").format(id=repr(sid.strip())))
        except GraphcapError as exc:
            state.show_message(exc)
with right, st.form("mt_new_relationship"):
    st.markdown(_("**New relationship**"))
    source = st.text_input(_("source id"), key="mt_src")
    rel = st.selectbox(
        _("type"), list(editor.schema.rel_types), format_func=vocabulary_label, key="mt_rel"
    )
    target = st.text_input(_("target id"), key="mt_tgt")
    if st.form_submit_button(_("Create relationship")):
        try:
            s, t, b, fields = check_relationship(source, rel, target, {}, schema=editor.schema)
            editor.create_relationship(s, t, b, fields)
            editing.done(_("Created {relationship}.").format(relationship=f"{s!r} -{t}-> {b!r}"))
        except GraphcapError as exc:
            state.show_message(exc)

survey.render_survey_form(editor)

with st.form("mt_restore"):
    st.markdown(_("**Restore a retired stakeholder**"))
    rid = st.text_input(_("id"), key="mt_restore_id")
    if st.form_submit_button(_("Restore")):
        try:
            _state, version = editor.current(Target.stakeholder(rid.strip(), editor.schema))
            editor.restore_stakeholder(rid.strip(), version=version)
            editing.done(_("Restored {id}.").format(id=repr(rid.strip())))
        except GraphcapError as exc:
            state.show_message(exc)

if login.may(Role.admin):  # only admins see (and may use) the purge
    with st.form("mt_purge"):
        st.markdown(_("**Purge retired items (admins)**"))
        st.caption(
            _(
                "Deletes every retired stakeholder (with its relationships and interactions), "
                "retired relationship and retired interaction for good. Each gets a purge entry "
                "in the history; this cannot be undone."
            )
        )
        sure = st.checkbox(_("Yes, delete them for good"), key="mt_purge_sure")
        if st.form_submit_button(_("Purge")):
            if not sure:
                st.warning(_("Tick the box to confirm; nothing was deleted."))
            else:
                try:
                    purged = editor.purge(admin=login.may(Role.admin))
                    editing.done(
                        ngettext(
                            "Purged {n} retired item.", "Purged {n} retired items.", len(purged)
                        ).format(n=len(purged))
                    )
                except GraphcapError as exc:
                    state.show_message(exc)
