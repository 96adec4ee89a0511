"""What ``graphcap import`` reports about its input: the problems (grouped, capped), the
``--report`` file and the ``--format json`` document (:mod:`graphcap.cli.import_cmd`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from graphcap.cli.output import note, verbosity
from graphcap.errors import Problem
from graphcap.i18n import gettext as _
from graphcap.model import data_reference_date
from loaders.problems import group_problems

#: at most this many lines of problems (groups) are printed; --report keeps every one
MAX_SHOWN = 30


def _echo_problems(problems: list[Problem], *, title: str, report: Path | None = None) -> None:
    """The problems grouped by file, column and reason (count and first rows), capped; with
    --quiet only errors are printed."""
    if not problems or (verbosity() < 0 and all(p.severity != "error" for p in problems)):
        return
    click.echo(title, err=True)
    groups = group_problems(problems)
    for group in groups[:MAX_SHOWN]:
        click.echo(f"  - {group}", err=True)
    if len(groups) > MAX_SHOWN:
        hidden = sum(g.count for g in groups[MAX_SHOWN:])
        more = _(
            "  ... and {hidden} more problem(s) of {kinds} other kind(s); {report} lists every one"
        )
        click.echo(
            more.format(
                hidden=hidden, kinds=len(groups) - MAX_SHOWN, report=report or "--report FILE"
            ),
            err=True,
        )


_PROBLEM_COLUMNS = list(Problem(file="", why="").as_dict())


def _document(
    path: Path,
    loader: Any,
    problems: list[Problem],
    *,
    valid: dict[str, int] | None,
    dry_run: bool,
    imported: dict[str, Any] | None = None,
    target: str | None = None,
    seconds: float | None = None,
    network: Any = None,
) -> dict[str, Any]:
    meta = getattr(network, "meta", None) or {}
    ref = (meta.get("as_of") or data_reference_date(network)) if network is not None else None
    return {
        "source": str(path),
        "format": loader.format,
        "valid": valid,
        "dry_run": dry_run,
        "as_of": None if ref is None else pd.Timestamp(ref).date().isoformat(),
        "ego_only": bool(meta.get("ego_only", False)),
        "imported": imported,
        "target": target,
        "seconds": seconds,
        "problems": [p.as_dict() for p in problems],
    }


def _write_report(path: Path, problems: list[Problem]) -> None:
    """Every problem as one row of a CSV (opens in Excel: UTF-8 with BOM) or a JSON list."""
    rows = [p.as_dict() for p in problems]
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(Problem(file="", why="").as_dict()))
            writer.writeheader()
            writer.writerows(rows)
    note(_("Report of {n} problem(s) written to {path}").format(n=len(rows), path=path))
