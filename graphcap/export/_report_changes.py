"""The PDF report's "What changed" section (:mod:`graphcap.export.report`): what differs from
the previous snapshot (stakeholders, relationships, strength, RCI by dimension, quadrants)."""

from __future__ import annotations

import pandas as pd

from graphcap.export._mpl import INK, figure
from graphcap.export._pdfdoc import Column, ReportDocument
from graphcap.export._report_cells import (
    decimal_axes,
    table_rows,
)
from graphcap.history.diff import SnapshotDiff
from graphcap.i18n import format_number, gettext, ngettext
from graphcap.metrics.wording import (
    dimension_label,
)

_ = gettext

__all__ = ["changes_section"]

GOOD, BAD = "#16a34a", "#dc2626"


def _change_summary(diff: SnapshotDiff) -> str:
    parts = [
        ngettext(
            "{n} stakeholder added", "{n} stakeholders added", len(diff.stakeholders_added)
        ).format(n=format_number(len(diff.stakeholders_added)))
        + ", "
        + _("{n} removed").format(n=format_number(len(diff.stakeholders_removed))),
        ngettext("{n} relationship gained", "{n} relationships gained", len(diff.gained)).format(
            n=format_number(len(diff.gained))
        )
        + ", "
        + _("{n} lost").format(n=format_number(len(diff.lost))),
        ngettext(
            "{n} relationship changed strength by at least {threshold}",
            "{n} relationships changed strength by at least {threshold}",
            len(diff.strength_changes),
        ).format(
            n=format_number(len(diff.strength_changes)),
            threshold=format_number(diff.threshold),
        ),
    ]
    return "; ".join(parts)


def changes_section(
    doc: ReportDocument, *, diff: SnapshotDiff | None, previous_name: str | None
) -> None:
    if diff is None:
        doc.section(_("What changed"))
        doc.paragraph(
            _(
                "This is the first snapshot: there is nothing earlier to compare with. The next "
                "report made from a snapshot will show what changed."
            ),
            muted=True,
        )
        return
    doc.section(
        _("What changed"),
        _("Since {previous}: {changes}").format(
            previous=previous_name or diff.before, changes=_change_summary(diff)
        ),
    )
    change = diff.rci_change
    doc.heading(
        _("RCI change by dimension (points)")
        if change is None
        else _("RCI {before} → {after} ({change})").format(
            before=format_number(diff.rci_before, decimals=1),
            after=format_number(diff.rci_after, decimals=1),
            change=("+" if change >= 0 else "") + format_number(change, decimals=1),
        )
    )
    d = diff.rci_drivers
    if not d.empty:
        fig = figure(7, 2.2)
        ax = fig.add_axes((0.25, 0.12, 0.7, 0.8))
        ch = d["change"].astype(float)
        ax.barh(
            [dimension_label(x) for x in d["dimension"]],
            ch,
            color=[GOOD if c >= 0 else BAD for c in ch],
        )
        ax.axvline(0, color=INK, lw=0.8)
        ax.invert_yaxis()
        decimal_axes(ax)
        doc.figure(fig, width=doc.epw * 0.6)
    doc.table(
        table_rows(
            diff.strength_changes,
            [
                ("source_name", ""),
                ("target_name", ""),
                ("type", "relationship"),
                ("change", "signed"),
            ],
        ),
        [
            Column("from", _("from"), 3),
            Column("to", _("to"), 3),
            Column("type", _("type"), 1.5),
            Column("change", _("strength Δ"), 1, "RIGHT"),
        ],
        title=_("Strength changes ≥ {threshold} ({n})").format(
            threshold=format_number(diff.threshold), n=format_number(len(diff.strength_changes))
        ),
    )
    both = pd.concat([diff.gained.assign(change=_("gained")), diff.lost.assign(change=_("lost"))])
    doc.table(
        table_rows(
            both,
            [
                ("change", ""),
                ("source_name", ""),
                ("target_name", ""),
                ("type", "relationship"),
            ],
        ),
        [
            Column("change", "", 0.8),
            Column("from", _("from"), 3),
            Column("to", _("to"), 3),
            Column("type", _("type"), 1.5),
        ],
        title=_("Relationships gained ({gained}) and lost ({lost})").format(
            gained=format_number(len(diff.gained)), lost=format_number(len(diff.lost))
        ),
    )
    doc.table(
        table_rows(
            diff.quadrant_changes,
            [("name", ""), ("quadrant_before", "quadrant"), ("quadrant_after", "quadrant")],
        ),
        [
            Column("name", _("stakeholder"), 3),
            Column("before", _("before"), 2),
            Column("after", _("after"), 2),
        ],
        title=_("Quadrant moves ({n}); community moves: {moves}").format(
            n=format_number(len(diff.quadrant_changes)),
            moves=format_number(len(diff.community_changes)),
        ),
    )
