"""Maintain page (editors): who is overdue for a contact, whom to contact next, the latest
changes with undo, new stakeholders and relationships, survey ratings from a CSV, and restoring
retired ones."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.i18n import gettext as _
from graphcap.metrics.cadence import overdue
from graphcap.store.edits import Target
from graphcap.ui import contacts, editing, state, survey
from loaders.edit_input import check_relationship, check_stakeholder

conn, view = state.open_page("Maintain")
message = st.session_state.pop("gc_edit_done", None)
if message:
    st.success(message)

st.subheader("Overdue for a contact", anchor=False)
config = load_project_config()
late = overdue(view.network, config.cadence_days, today=datetime.now(UTC).date())
targets = ", ".join(f"{k} every {v} days" for k, v in sorted(config.cadence_days.items()))
st.caption(f"Targets ([cadence] in graphcap.toml): {targets or 'none'}.")
if late.empty:
    st.info("Nobody is overdue.")
else:
    st.dataframe(late, hide_index=True, width="stretch")

st.subheader(_("Next best contacts"), anchor=False)
contacts.render_next_contacts(view.analysis, key="mt_next")

editor = editing.editor_for(conn)
if editor is None:
    st.stop()

st.subheader("Latest changes", anchor=False)
rows = editing.event_rows(editor.recent(limit=50))
if rows:
    st.dataframe(
        [{k: r[k] for k in ("when", "who", "what", "item", "detail")} for r in rows],
        hide_index=True,
        width="stretch",
    )
    editing.render_undo(editor, [r for r in rows if r["what"] != "undo"], key="mt")
else:
    st.caption("No changes recorded yet.")

left, right = st.columns(2)
with left, st.form("mt_new_stakeholder"):
    st.markdown("**New stakeholder**")
    sid = st.text_input("id", key="mt_id")
    name = st.text_input("name", key="mt_name")
    kind = st.selectbox("type", list(editor.schema.node_types), key="mt_type")
    if st.form_submit_button("Create stakeholder"):
        try:
            editor.create_stakeholder(
                check_stakeholder(
                    {"id": sid, "name": name, "type": kind}, schema=editor.schema, new=True
                )
            )
            editing.done(f"Created stakeholder {sid.strip()!r}.")
        except GraphcapError as exc:
            st.error(str(exc))
with right, st.form("mt_new_relationship"):
    st.markdown("**New relationship**")
    source = st.text_input("source id", key="mt_src")
    rel = st.selectbox("type", list(editor.schema.rel_types), key="mt_rel")
    target = st.text_input("target id", key="mt_tgt")
    if st.form_submit_button("Create relationship"):
        try:
            s, t, b, fields = check_relationship(source, rel, target, {}, schema=editor.schema)
            editor.create_relationship(s, t, b, fields)
            editing.done(f"Created {s!r} -{t}-> {b!r}.")
        except GraphcapError as exc:
            st.error(str(exc))

survey.render_survey_form(editor)

with st.form("mt_restore"):
    st.markdown("**Restore a retired stakeholder**")
    rid = st.text_input("id", key="mt_restore_id")
    if st.form_submit_button("Restore"):
        try:
            _state, version = editor.current(Target.stakeholder(rid.strip(), editor.schema))
            editor.restore_stakeholder(rid.strip(), version=version)
            editing.done(f"Restored {rid.strip()!r}.")
        except GraphcapError as exc:
            st.error(str(exc))
