"""Benchmark: what keeping imports in the history costs an import.

One fresh local Neo4j (heap 2 GB, no GDS), the network of bench/realshape.py (~10k stakeholders,
~16k relationships, ~20k interactions). Each import below runs with the trail kept (graphcap's
default: the undo journal of a committed import is relabelled as its trail,
:mod:`graphcap.store.import_history`) and without it (the journal deleted, as before), the two
alternating in every round of the same run:

- the first import into an empty database (create-only path: one list of keys per batch);
- a re-import where 10% of the stakeholders and relationships changed (a before-image each);
- a replace that leaves out 10% of the relationships (a before-image of each deleted one).

Run: ``python -m bench import_history`` (writes the "Imports in the history" section of
docs/PERFORMANCE.md). ``--no-write`` prints only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import (  # noqa: E402
    Timing,
    fresh_neo4j,
    load_average,
    machine,
    markdown_table,
    round_ratio,
    write_section,
)
from bench.realshape import real_shaped  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    from graphcap.model import Network
    from graphcap.store import Neo4jStore, import_history

    net, schema, _ = real_shaped()
    nodes, edges = net.nodes.copy(), net.edges.copy()
    nodes.loc[::10, "name"] = nodes.loc[::10, "name"] + " (neu)"
    col = next(c for c in edges.columns if edges[c].dtype == "float64")
    edges.loc[::10, col] = edges.loc[::10, col].fillna(0) + 0.5
    changed = Network(nodes, edges, net.interactions)
    fewer = Network(net.nodes, net.edges.iloc[len(net.edges) // 10 :], net.interactions)
    loads = [load_average()]
    names = ("first", "changed", "replace")
    timings = {(name, keep): Timing() for name in names for keep in (True, False)}
    kept: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="graphcap-import-history-") as tmp:
        with fresh_neo4j(Path(tmp) / "neo4j", args.heap) as server:
            with Neo4jStore(server.settings, schema=schema) as store:
                store.ensure_schema()

                def timed(name: str, keep: bool, fn) -> None:  # type: ignore[no-untyped-def]
                    import_history.KEEP = keep
                    try:
                        t0 = time.perf_counter()
                        timings[name, keep].result = fn()
                        timings[name, keep].seconds.append(time.perf_counter() - t0)
                    finally:
                        import_history.KEEP = True

                def trail() -> int:
                    return int(
                        store._read(
                            lambda tx: tx.run(
                                "MATCH (u:GraphcapImportTrail) RETURN count(u) AS c"
                            ).single()["c"],
                            "counting the trail",
                        )
                    )

                for r in range(-1, args.runs):  # round 0 warms the server up: not counted
                    for keep in (True, False) if r % 2 == 0 else (False, True):
                        store.clear()
                        timed("first", keep, lambda: store.import_network(net))
                        kept.setdefault("first", trail())
                        timed("changed", keep, lambda: store.import_network(changed))
                        kept.setdefault("changed", trail() - kept["first"])
                        store.import_network(net)  # back (not timed)
                        n = trail()
                        timed("replace", keep, lambda: store.import_network(fewer, replace=True))
                        kept.setdefault("replace", trail() - n)
                    print(
                        "round", r + 1, {k: t.seconds[-1] for k, t in timings.items()}, flush=True
                    )
                    if r < 0:
                        for t in timings.values():
                            t.seconds.clear()
                        kept.clear()
                    loads.append(load_average())
                store.clear()
    labels = {
        "first": "first import into an empty database",
        "changed": "re-import, 10% of stakeholders and relationships changed",
        "replace": "replace leaving out 10% of the relationships",
    }
    table = markdown_table(
        [
            "import",
            "trail kept: median s",
            "journal deleted: median s",
            "ratio",
            "trail nodes kept",
        ],
        [
            [
                labels[name],
                timings[name, True].text,
                timings[name, False].text,
                round_ratio(timings[name, True], timings[name, False]),
                f"{kept.get(name, 0):,}",
            ]
            for name in names
        ],
    )
    rows = len(net.nodes) + len(net.edges) + len(net.interactions)
    body = "\n".join(
        [
            f"`bench/bench_import_history.py` on `bench/realshape.py`'s network: {len(net.nodes):,} "
            f"stakeholders, {len(net.edges):,} relationships, {len(net.interactions):,} "
            f"interactions ({rows:,} rows); fresh local Neo4j 5.26, {args.heap} heap, no GDS; "
            f"a warm-up round not counted, then {args.runs} rounds, the two ways alternating "
            f"in order within each round (ratio: median of the per-round ratios). {machine()}. Load average 1/5/15 min at the start and after "
            f"each round: {'; '.join(loads)} on 2 cores (shared with other sessions), so compare "
            "the ratios, not the seconds.",
            "",
            table,
            "",
            "Keeping an import in the history (`graphcap.store.import_history`) keeps the undo "
            "journal the import writes anyway -- relabelled instead of deleted -- plus one "
            "`(:GraphcapImportRun)` per import that changed something. Trail nodes kept: the "
            "first import keeps one list of keys per batch and kind, nothing per item; a changed "
            "re-import or a replace keeps one before-image per changed or deleted item.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("Imports in the history", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
