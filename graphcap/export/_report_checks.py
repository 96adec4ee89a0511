"""The report's checks page (:mod:`graphcap.export.report`): how often the at-risk radar was
right on the data's own history, and what losing each stakeholder would cost.

**Backtest** (graphcap.metrics.backtest): the radar computed from the data up to a date in the
past, set against what the interaction log shows in the horizon after it: precision and recall of
its top ``k``, lift over the base rate, the same figures for the recency-only baseline ("longest
silence first"), the signals the hits carried, and its limits (the date, the horizon, what
"declined" means). Unless told otherwise the date is the latest one whose horizon the log still
covers: the data's as-of date (or the log's end, if earlier) minus the horizon.

**Risk sweep** (graphcap.metrics.sweep): every stakeholder lost in turn, the largest share at
risk first, then the largest drop of the index; the first :data:`SWEEP_ROWS` rows.

A report drawn from a stored snapshot has no strength graph: the sweep is then computed anew from
the snapshot's network as of its date (the same data, the default settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from graphcap.analysis import analyze
from graphcap.errors import MetricError
from graphcap.export._pdfdoc import Column, ReportDocument
from graphcap.export._report_cells import fmt, table_rows
from graphcap.i18n import format_date, format_number, gettext
from graphcap.metrics.backtest import Backtest, backtest
from graphcap.metrics.strength import resolve_as_of
from graphcap.metrics.wording import signal_label
from graphcap.model import Network

_ = gettext

__all__ = ["SWEEP_ROWS", "checks_section", "report_backtest"]

#: rows of the risk sweep table in the report (the whole table is in the app and the CLI)
SWEEP_ROWS = 15
#: the backtest's defaults in the report (those of ``graphcap backtest``)
HORIZON_DAYS, BASELINE_DAYS, TOP_K = 180, 365, 20


def _signal_label(signal: str) -> str:
    """A radar signal of :data:`graphcap.metrics.backtest.SIGNALS` in the report's language."""
    return str(signal_label(signal, other=_("other")))


def report_backtest(
    network: Network, analysis: Any, options: Mapping[str, Any] | None = None
) -> Backtest:
    """The backtest the report shows. ``options``: ``as_of``, ``horizon_days``,
    ``baseline_days``, ``k`` (defaults: see the module docstring). Raises
    :class:`~graphcap.errors.MetricError` as :func:`graphcap.metrics.backtest.backtest`."""
    opts = dict(options or {})
    horizon = int(opts.get("horizon_days", HORIZON_DAYS))
    date = opts.get("as_of")
    log = network.interactions
    if date is None and log is not None and len(log):
        params = getattr(analysis, "params", None) or {}
        as_of = resolve_as_of(network, params.get("as_of"))
        end = pd.to_datetime(log["date"], errors="coerce").max()
        date = min(as_of, end) - pd.Timedelta(days=horizon)
    return backtest(
        network,
        date,
        horizon_days=horizon,
        baseline_days=int(opts.get("baseline_days", BASELINE_DAYS)),
        k=int(opts.get("k", TOP_K)),
    )


def _backtest_part(doc: ReportDocument, network: Network, analysis: Any, options: Any) -> None:
    doc.heading(_("How often the at-risk radar was right"))
    log = network.interactions
    if log is None or len(log) == 0:
        doc.paragraph(_("The backtest needs an interaction log: this data has none."))
        return
    try:
        bt = report_backtest(network, analysis, options)
    except MetricError as exc:
        doc.paragraph(_("No backtest: {why}").format(why=str(exc)))
        return
    baseline = int((options or {}).get("baseline_days", BASELINE_DAYS))
    if bt.judged == 0:
        doc.paragraph(
            _(
                "No relationship can be judged: none had contacts in the {baseline} days "
                "before {date}."
            ).format(baseline=format_number(baseline), date=format_date(pd.Timestamp(bt.as_of)))
        )
        return
    doc.paragraph(
        _(
            "The radar computed from the data up to {date} only, set against what the "
            "interaction log shows in the {days} days after. Judged: stakeholders with contacts "
            "in the {baseline} days before the date. Declined: no contact, or under half the "
            "usual rate, within the horizon. A lift of 1 is no better than picking at random."
        ).format(
            date=format_date(pd.Timestamp(bt.as_of)),
            days=format_number(bt.horizon_days),
            baseline=format_number(baseline),
        ),
        muted=True,
    )
    facts = [
        [_("Radar as of"), format_date(pd.Timestamp(bt.as_of))],
        [_("Horizon"), _("{days} days").format(days=format_number(bt.horizon_days))],
        [_("Relationships judged"), format_number(bt.judged)],
        [
            _("Declined (base rate)"),
            f"{format_number(bt.declined)} ({fmt(bt.base_rate, 'pct')})",
        ],
    ]
    doc.table(
        facts,
        [Column("what", _("figure"), 2), Column("value", _("value"), 1, "RIGHT")],
        width=doc.epw * 0.5,
    )
    k = format_number(bt.k)
    doc.table(
        [
            [
                _("at-risk radar"),
                fmt(bt.precision, "pct"),
                fmt(bt.recall, "pct"),
                format_number(bt.lift, decimals=2),
            ],
            [
                _("recency only (longest silence first)"),
                fmt(bt.recency_precision, "pct"),
                fmt(bt.recency_recall, "pct"),
                format_number(bt.recency_lift, decimals=2),
            ],
        ],
        [
            Column("rule", _("ranking"), 3),
            Column("precision", _("Precision at {k}").format(k=k), 1.2, "RIGHT"),
            Column("recall", _("Recall at {k}").format(k=k), 1.2, "RIGHT"),
            Column("lift", _("Lift over base rate"), 1.4, "RIGHT"),
        ],
        title=_("Top {k}: the radar against the recency-only baseline").format(k=k),
        width=doc.epw * 0.7,
    )
    doc.table(
        [[_signal_label(s), format_number(int(h))] for s, h in bt.signals.to_numpy()],
        [Column("signal", _("signal"), 3), Column("hits", _("hits"), 1, "RIGHT")],
        title=_("Signals the hits carried"),
        empty=_("No flagged relationship declined."),
        width=doc.epw * 0.5,
    )


def _sweep_part(doc: ReportDocument, network: Network, analysis: Any, currency: str | None) -> None:
    doc.heading(_("Risk sweep: every stakeholder lost in turn"))
    doc.paragraph(
        _(
            "The money at risk if a stakeholder went: its own and that of the stakeholders "
            "reached only through it, in the kind that matters for it, its share of that kind, "
            "and the index after. Largest share first, then the largest drop of the index."
        ),
        muted=True,
    )
    try:
        if hasattr(analysis, "risk_sweep"):
            sweep = analysis.risk_sweep()
        else:  # a stored snapshot: the same network as of its date
            as_of = (getattr(analysis, "params", None) or {}).get("as_of")
            sweep = analyze(network, as_of=as_of).risk_sweep()
    except MetricError as exc:
        doc.paragraph(_("No risk sweep: {why}").format(why=str(exc)))
        return
    top = sweep.head(SWEEP_ROWS)
    spec = [
        ("name", ""),
        ("type", "type"),
        ("kind", "kind"),
        ("direct", "money"),
        ("cut_off", "money"),
        ("at_risk", "money"),
        ("share", "pct"),
        ("rci_after", "float"),
        ("rci_change", "signed"),
    ]
    rows = [[str(i + 1), *r] for i, r in enumerate(table_rows(top, spec, currency))]
    doc.table(
        rows,
        [
            Column("rank", "#", 0.5, "RIGHT"),
            Column("name", _("stakeholder"), 3),
            Column("type", _("type"), 1.1),
            Column("kind", _("kind"), 1),
            Column("direct", _("direct"), 1, "RIGHT"),
            Column("cut_off", _("cut off"), 1.3, "RIGHT"),
            Column("at_risk", _("at risk"), 1, "RIGHT"),
            Column("share", _("share"), 0.9, "RIGHT"),
            Column("rci_after", _("RCI after"), 1, "RIGHT"),
            Column("rci_change", _("RCI change"), 1.3, "RIGHT"),
        ],
        title=_("The {n} stakeholders with the most at risk (of {total})").format(
            n=format_number(len(top)), total=format_number(len(sweep))
        ),
        empty=_("No stakeholder besides the organisation."),
    )


def checks_section(
    doc: ReportDocument,
    *,
    network: Network,
    analysis: Any,
    currency: str | None = None,
    backtest_options: Mapping[str, Any] | None = None,
) -> None:
    """The checks page: the radar's backtest and the risk sweep (see the module docstring)."""
    doc.section(
        _("Backtest and risk sweep"),
        _(
            "Is the radar worth listening to, and who would it hurt most to lose? Both are "
            "computed from the data itself (docs/METRICS.md)."
        ),
    )
    _backtest_part(doc, network, analysis, backtest_options)
    _sweep_part(doc, network, analysis, currency)
