"""``graphcap resolve RECIPE``: propose merges of one organisation under several names, let a
person decide in a review file, keep the accepted merges in the recipe.

    graphcap resolve meetings/recipe.yaml --review review.csv   # write the candidates
    (mark each row of review.csv: accept or reject)
    graphcap resolve meetings/recipe.yaml --accept review.csv   # keep the accepted ones

The recipe's SQL applies the merges through ``canon(...)`` on every import after that.
"""

from __future__ import annotations

from pathlib import Path

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.i18n import gettext as _
from loaders.recipe import load_recipe
from loaders.recipe_run import run_recipe
from loaders.resolve import accepted_merges, candidates, save_merges, write_review

__all__ = ["resolve"]


@click.command(cls=HelpCommand, name="resolve")
@click.argument("recipe", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--review",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the merge candidates with their evidence to this CSV file.",
)
@click.option(
    "--accept",
    "accept",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read a review file and keep its accepted rows in the recipe.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(50, 100),
    default=92.0,
    show_default=True,
    help="Name similarity (0-100) from which two names are proposed.",
)
@format_option
def resolve(
    recipe: Path,
    review: Path | None,
    accept: Path | None,
    threshold: float,
    fmt: str,
    legacy_json: bool,
) -> None:
    """Propose and keep merges of stakeholders that are one organisation (see docs/INPUT.md).

    JSON keys: recipe, review, candidates, accepted, kept (null where a step did not run)."""
    fmt = fmt_of(fmt, legacy_json)
    doc: dict[str, object] = {
        "recipe": str(recipe),
        "review": str(review or accept),
        "candidates": None,
        "accepted": None,
        "kept": None,
    }
    if (review is None) == (accept is None):
        raise click.UsageError(_("give --review FILE (write candidates) or --accept FILE"))
    if accept is not None:
        merges = accepted_merges(accept)
        kept = save_merges(recipe, merges)
        doc.update(accepted=len(merges), kept=len(kept))
        line = _("{n} merge(s) accepted; the recipe now holds {kept}.").format(
            n=len(merges), kept=len(kept)
        )
        emit(fmt, doc, table=lambda: click.echo(line))
        return
    raw = run_recipe(load_recipe(recipe))
    nodes = raw.tables["nodes"].frame
    edges = raw.tables["edges"].frame if "edges" in raw.tables else None
    found = candidates(nodes, edges, threshold=threshold)
    assert review is not None
    count = write_review(found, review)
    doc["candidates"] = count
    line = _(
        "{n} merge candidate(s) written to {review}; mark each row accept or reject in the "
        "column 'decision', then: graphcap resolve {recipe} --accept {review}"
    ).format(n=count, review=review, recipe=recipe)
    emit(fmt, doc, table=lambda: click.echo(line))
