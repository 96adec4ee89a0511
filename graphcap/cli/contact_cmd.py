"""``graphcap next-contacts``: whom to contact this week, ranked by overdue x value x risk, each
with its reason (graphcap.metrics.cadence). The network is Neo4j's, the targets are the
``[cadence]`` of graphcap.toml, the radar is computed as of ``--today``."""

from __future__ import annotations

from typing import Any

import click

from graphcap.analysis import analyze
from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.edit_cmd import day
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.config import load_project_config
from graphcap.i18n import format_number
from graphcap.i18n import gettext as _
from graphcap.metrics.cadence import NEXT_COLUMNS
from graphcap.metrics.wording import contact_reasons, type_label
from graphcap.store import Neo4jStore

__all__ = ["next_contacts"]


@click.command(cls=HelpCommand, name="next-contacts")
@click.option("--today", help="Count from this date (default: today).")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366),
              help="Who falls due within this many days.")  # fmt: skip
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@format_option
def next_contacts(today: str | None, days: int, limit: int, fmt: str, legacy_json: bool) -> None:
    """Whom to contact this week: everyone overdue or due within --days, highest priority
    (overdue x value x risk) first, each with its reason."""
    config = load_project_config()
    on = day(today)
    with Neo4jStore.from_env(schema=config.schema) as store:
        store.verify()
        network = store.read_network()
    frame = analyze(network, config=config, as_of=on).next_contacts(
        config.cadence_days, today=on, days=days
    )
    rows: list[dict[str, Any]] = frame.head(limit).to_dict("records")
    for row in rows:
        row["due"] = row["due"].date() if row["due"] is not None else None
    doc = {"today": on, "days": days, "cadence": dict(config.cadence_days), "contacts": rows}

    def table() -> None:
        if not rows:
            click.echo(_("Nobody to contact in the next {days} days.").format(days=days))
        for r in rows:
            owner = r["owner"] or "-"
            click.echo(
                f"{format_number(r['priority'], decimals=1):>6}  {r['id']}  {r['name']!r} "
                f"({type_label(r['type'])}), "
                + _("owner {owner}").format(owner=owner)
                + f": {contact_reasons(r['reason_codes'])}"
            )

    emit(fmt_of(fmt, legacy_json), doc, rows=rows, table=table, columns=NEXT_COLUMNS)
