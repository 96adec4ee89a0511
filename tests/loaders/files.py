"""Small input files for the loader tests, written by the tests themselves."""

from __future__ import annotations

from pathlib import Path

NODES = (
    "id,name,type\nORG,Muster AG,organization\nC1,Kunde Eins,customer\nS1,Lieferant Eins,supplier\n"
)
EDGES = "source,target,type\nC1,ORG,BUYS_FROM\nS1,ORG,SUPPLIES\n"


def write_csv(
    folder: Path,
    nodes: str = NODES,
    edges: str | None = EDGES,
    interactions: str | None = None,
    *,
    encoding: str = "utf-8",
) -> Path:
    """A folder with nodes.csv (+ edges.csv, interactions.csv) in the given encoding."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.csv").write_bytes(nodes.encode(encoding))
    if edges is not None:
        (folder / "edges.csv").write_bytes(edges.encode(encoding))
    if interactions is not None:
        (folder / "interactions.csv").write_bytes(interactions.encode(encoding))
    return folder


def problem_lines(exc: BaseException) -> list[str]:
    """The errors of a ValidationError as the user reads them (warnings left out)."""
    return [str(p) for p in exc.problems if p.severity == "error"]  # type: ignore[attr-defined]
