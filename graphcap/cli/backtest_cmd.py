"""``graphcap backtest``: how often was the at-risk radar right on this data's own history?

Computes the radar from the data up to ``--as-of`` and compares it with what the interaction log
says happened in the ``--horizon`` days after (graphcap.metrics.backtest): precision and recall of
the top ``--k``, lift over the base rate, the recency-only baseline, the signals of the hits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import emit, fmt_of, format_option, json_text, table_text
from graphcap.i18n import current_language
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import signal_label

__all__ = ["backtest"]


@click.command(cls=HelpCommand, name="backtest")
@click.option(
    "--as-of",
    "as_of",
    required=True,
    metavar="DATE",
    help="The date to pretend it is: the radar sees only data up to it.",
)
@click.option(
    "--snapshot",
    "snapshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this snapshot file (.gcap) instead of Neo4j.",
)
@click.option(
    "--horizon",
    type=click.IntRange(min=1),
    default=180,
    show_default=True,
    help="Days after the date in which a relationship may decline.",
)
@click.option(
    "--baseline",
    type=click.IntRange(min=1),
    default=365,
    show_default=True,
    help="Days before the date that define a relationship's usual activity.",
)
@click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many of the radar's top relationships count as flagged.",
)
@format_option
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Rows of the per-relationship table shown in table format.",
)
def backtest(
    as_of: str,
    snapshot: Path | None,
    horizon: int,
    baseline: int,
    k: int,
    fmt: str,
    legacy_json: bool,
    top: int,
) -> None:
    """Backtest the at-risk radar: its warnings at DATE against what happened afterwards.

    \b
    Examples:
      graphcap backtest --as-of 2026-03-01 --snapshot sample.gcap
      graphcap backtest --as-of 2026-03-01 --horizon 120 --k 30 --format json

    --format csv prints the per-relationship table (every row, its reasons as JSON text).
    """
    from graphcap.config import load_project_config
    from graphcap.metrics.backtest import backtest as run_backtest

    config = load_project_config()
    if snapshot is not None:
        from graphcap.snapshot import SnapshotSource

        network = SnapshotSource(snapshot).read_network()
    else:
        from graphcap.store import Neo4jStore

        store = Neo4jStore.from_env(schema=config.schema)
        try:
            network = store.read_network()
        finally:
            store.close()
    result = run_backtest(
        network,
        as_of,
        horizon_days=horizon,
        baseline_days=baseline,
        k=k,
        strength=config.strength,
        value=config.value,
    )
    fmt = fmt_of(fmt, legacy_json)
    if fmt == "json":
        click.echo(json_text(result.as_dict()))
        return
    if fmt == "csv":
        rows = result.table.to_dict(orient="records")
        emit(fmt, rows, rows=rows, columns=[str(c) for c in result.table.columns])
        return
    lines = list(result.summary())
    lines[len(lines) - len(result.notes) :] = _notes(result, baseline)
    if len(result.signals):
        lines += ["", _("signals of the hits:"), table_text(_shown(result.signals))]
    if top:
        view = result.table.head(top).drop(columns=["reasons"])
        lines += [
            "",
            _("radar ranking (top {n}):").format(n=min(top, len(view))),
            table_text(_shown(view), decimals=1),
        ]
    click.echo("\n".join(lines))


def _notes(result: Any, baseline: int) -> list[str]:
    """The backtest's notes in the current language (the result keeps them English for JSON)."""
    notes = [
        _(
            "judged: stakeholders with contacts in the {baseline} days before the date; "
            "declined: no contact, or under half the baseline rate, in the {horizon} days after"
        ).format(baseline=baseline, horizon=result.horizon_days)
    ]
    flagged = int(result.table["flagged"].sum()) if "flagged" in result.table else 0
    if len(result.notes) > 1:
        notes.append(_("the radar flagged only {n} of the judged relationships").format(n=flagged))
    return notes


def _shown(frame: Any) -> Any:
    """A backtest table as a person reads it in the current language: headers, signal names
    and yes/no (English: the keys and values as they are, as before)."""
    if current_language() == "en":
        return frame
    headers = {
        "signal": _("signal"),
        "hits": _("hits"),
        "before": _("before"),
        "after": _("after"),
        "declined": _("declined"),
        "radar_rank": _("radar rank"),
        "recency_rank": _("recency rank"),
        "flagged": _("flagged"),
    }
    shown = frame.copy()
    if "signal" in shown:
        shown["signal"] = shown["signal"].map(signal_label)
    for col in shown.columns:
        if shown[col].dtype == bool:
            shown[col] = shown[col].map({True: _("yes"), False: _("no")})
    return shown.rename(columns=headers)
