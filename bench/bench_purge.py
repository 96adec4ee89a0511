"""Benchmark: purging 100,000 retired relationships in bounded batches.

One fresh local Neo4j (small heap on purpose, no GDS): 20,000 stakeholders and 100,000
relationships imported, then every relationship retired (``__gc_retired_at`` set in batches by
Cypher: the setup, not timed). Measured in the same run:

- ``Editor.purge`` as graphcap runs it: batches of ``PURGE_BATCH`` items, one transaction each,
  one ``purge`` event per item;
- the same purge in one transaction (``batch_size`` = everything), as before -- with the
  small heap it may be refused by Neo4j's transaction memory limit, which the table then says;
- Neo4j's heap in use after each (JMX ``java.lang:type=Memory``).

Run: ``python -m bench purge`` (writes the "Purge" section of docs/PERFORMANCE.md).
``--no-write`` prints only.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import load_average, machine, markdown_table, write_section  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heap", default="512m")
    ap.add_argument("--stakeholders", type=int, default=20_000)
    ap.add_argument("--relationships", type=int, default=100_000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    import numpy as np
    import pandas as pd

    from graphcap.localdb.server import LocalNeo4j, free_port
    from graphcap.model import Network
    from graphcap.store import Neo4jStore
    from graphcap.store.edits import Editor
    from graphcap.store.purge import PURGE_BATCH

    rng = np.random.default_rng(7)
    n, m = args.stakeholders, args.relationships
    ids = [f"s{i}" for i in range(n)]
    nodes = pd.DataFrame({"id": ids, "name": ids, "type": ["customer"] * n})
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.integers(0, n, size=(2, m))
        pairs.update((int(x), int(y)) for x, y in zip(a, b, strict=True) if x != y)
    chosen = sorted(pairs)[:m]
    edges = pd.DataFrame(
        {
            "source": [ids[a] for a, _ in chosen],
            "target": [ids[b] for _, b in chosen],
            "type": ["BUYS_FROM"] * m,
            "trust": rng.random(m),
        }
    )
    net = Network(nodes=nodes, edges=edges)
    loads = [load_average()]
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="graphcap-purge-") as tmp:
        server = LocalNeo4j(
            home=Path(tmp) / "neo4j",
            port=free_port(),
            password=secrets.token_urlsafe(16),
            heap=args.heap,
            pagecache="256m",
        )
        server.start(timeout_s=900)
        try:
            with Neo4jStore(server.settings) as store:
                store.ensure_schema()

                def heap_mb() -> str:
                    try:
                        return _heap()
                    except Exception:  # noqa: BLE001 - e.g. the server gave up after the baseline
                        return "?"

                def _heap() -> str:
                    rec = store._read(
                        lambda tx: tx.run(
                            "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                            "RETURN attributes.HeapMemoryUsage.value.properties.used AS used"
                        ).single(),
                        "reading the heap",
                    )
                    return f"{rec['used'] / 2**20:.0f}" if rec and rec["used"] else "?"

                for label, batch in (
                    (f"batches of {PURGE_BATCH:,} (default)", PURGE_BATCH),
                    ("one transaction (as before)", m + n + 1),
                ):
                    store.clear()
                    store.import_network(net)
                    store._auto(
                        "MATCH ()-[x:BUYS_FROM]->() CALL (x) { SET x.__gc_retired_at = "
                        "datetime() } IN TRANSACTIONS OF 10000 ROWS",
                        "retiring every relationship",
                    )
                    ed = Editor(store, user="bench")
                    t0 = time.perf_counter()
                    try:
                        events = ed.purge(admin=True, batch_size=batch)
                        seconds = time.perf_counter() - t0
                        outcome = f"{len(events):,} purged, {len(events) / seconds:,.0f} items/s"
                        timing = f"{seconds:.1f}"
                    except Exception as exc:  # noqa: BLE001 - the baseline may run out of memory
                        timing = f"failed after {time.perf_counter() - t0:.1f}"
                        outcome = " ".join(str(exc).split())[:160]
                    rows.append([label, timing, outcome, heap_mb()])
                    print(rows[-1], flush=True)
                    loads.append(load_average())
                store.clear()
        finally:
            server.stop()
    table = markdown_table(["purge", "seconds", "outcome", "heap used after (MB)"], rows)
    body = "\n".join(
        [
            f"`bench/bench_purge.py`: {n:,} stakeholders, {m:,} relationships, all retired, "
            f"purged by `Editor.purge`; fresh local Neo4j 5.26, {args.heap} heap, no GDS; one "
            f"run each. {machine()}. Load average 1/5/15 min at the start and after each: "
            f"{'; '.join(loads)} on 2 cores (shared with other sessions' tests).",
            "",
            table,
            "",
            "A batch is one transaction: the lock, the next items (interactions, then "
            "relationships, then stakeholders), their deletion, one `purge` event each "
            "(`graphcap.store.purge`), so the heap a purge needs is bounded by the batch, not by "
            "the number of retired items.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("Purge", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
