"""The survey form of the Maintain page: upload a survey CSV (SERVQUAL/NPS-style satisfaction
and loyalty per stakeholder), check it against the graph, record it as assessments.

Same path as ``graphcap survey``: :func:`loaders.survey.read_survey` checks every row (each
problem with row and column, nothing written on error), :func:`graphcap.store.assess.assess_all`
writes all rows in one transaction under the logged-in user."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError, ValidationError
from graphcap.i18n import gettext as _
from graphcap.store.assess import assess_all, survey_ratings, survey_summary
from graphcap.store.edits import Editor
from graphcap.ui import editing
from loaders.survey import read_survey
from loaders.uploads import save_upload

__all__ = ["render_survey_form"]


def render_survey_form(editor: Editor) -> None:
    """Upload, check and record a survey file."""
    st.markdown("**" + _("Survey ratings (CSV)") + "**")
    st.caption(
        _(
            "One row per answer: stakeholder, date, assessor and satisfaction, loyalty, "
            "nps (0–10) or servqual (1–7), optionally a comment (docs/TEAM.md)."
        )
    )
    upload = st.file_uploader(_("Survey file"), type=["csv", "txt"], key="sv_file")
    left, right = st.columns(2)
    check = left.button(_("Check the survey"), key="sv_check")
    record = right.button(_("Record the survey"), key="sv_record", type="primary")
    if upload is None or not (check or record):
        return
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = save_upload(upload.getvalue(), upload.name, Path(tmp), fallback="survey.csv")
            rows = read_survey(path, known=editor.store.stakeholder_ids(), schema=editor.schema)
        if check:
            st.success(survey_summary(rows))
            return
        events = assess_all(editor, survey_ratings(rows, editor.schema, file=path.name))
    except ValidationError as exc:
        st.error(_("The survey has problems; nothing was written."))
        st.dataframe(
            pd.DataFrame(
                [p.shown_dict() for p in exc.problems], columns=["row", "column", "value", "why"]
            ),
            hide_index=True,
            width="stretch",
        )
        return
    except GraphcapError as exc:
        st.error(str(exc))
        return
    editing.done(survey_summary(rows, events))
