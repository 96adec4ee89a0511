"""The "next best contacts" list (Risks and Maintain pages): whom to contact this week, ranked by
overdue x value x risk, each with its reason (:func:`graphcap.metrics.cadence.next_contacts`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from graphcap.analysis import Analysis
from graphcap.config import load_project_config
from graphcap.i18n import format_date
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import contact_reasons
from graphcap.ui import state

__all__ = ["render_next_contacts"]

_SHOWN = ("name", "priority", "reason", "type", "owner", "due", "days_overdue", "value")


def render_next_contacts(analysis: Analysis, *, key: str, conn: Any = None) -> None:
    """The ranked list for the next days (a number input, default 7), top 50. With ``conn``
    (the page's :class:`graphcap.ui.datasource.Connection`) the ranking is computed once per data
    version, day and setting and shared by every session."""
    config = load_project_config()
    today = datetime.now(UTC).date()
    days = int(st.number_input(_("Days ahead"), 1, 90, 7, key=f"{key}_days"))

    def rank() -> pd.DataFrame:
        return analysis.next_contacts(config.cadence_days, today=today, days=days)

    if conn is None:
        frame = rank()
    else:
        cadence = sorted(config.cadence_days.items())
        frame = state.memo(conn, f"next_contacts|{today}|{days}|{cadence!r}", rank)
    targets = ", ".join(f"{k} {v}" for k, v in sorted(config.cadence_days.items()))
    st.caption(
        _(
            "Whom to contact by {date}: overdue × value × risk, highest priority first "
            "(contact targets in days: {targets})."
        ).format(date=format_date(today), targets=targets or "–")
    )
    if frame.empty:
        st.info(_("Nobody is due for a contact."))
        return
    shown = frame[list(_SHOWN)].head(50).copy()
    shown["reason"] = frame["reason_codes"].head(50).map(contact_reasons)  # in the UI language
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "priority": st.column_config.ProgressColumn(
                _("priority"), min_value=0, max_value=100, format="%.0f"
            ),
            "reason": st.column_config.TextColumn(_("reason"), width="large"),
            "value": st.column_config.NumberColumn(format="%,.0f"),
        },
    )
