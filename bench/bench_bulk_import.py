"""Benchmark: Neo4j's offline importer against LOAD CSV for an initial load into an empty database.

Both load the same ``graphcap sample --scale huge`` network (streamed from
:func:`graphcap.sample.huge.huge_chunks`, never whole in memory) with the same properties:

1. **LOAD CSV** (baseline): a fresh local Neo4j 5.26 with graphcap's constraints, per-type CSV
   files in its import folder, ``LOAD CSV WITH HEADERS ... CALL { MERGE ... } IN TRANSACTIONS OF
   10000 ROWS`` (``bench.bench_import.load_csv``).
2. **offline importer**: ``neo4j-admin database import full`` -- the classes are in the jars the
   local server is built from (``org.neo4j:neo4j-import-tool``, pulled in by ``org.neo4j:neo4j``),
   run as ``java -cp target/lib/* org.neo4j.cli.AdminTool database import full`` on the server's
   home while it is stopped, files with typed headers (``id:ID``, ``:LABEL``,
   ``since:date``, ``revenue:double`` ...); then the server is started and graphcap's constraints
   are created (index population included). Timed: writing nothing (the files are prepared
   before both), the importer, the start, the constraints.

Counts and a sample of values are compared after both. ``python bench/bench_bulk_import.py
--stakeholders 200000 --relationships 1000000``; figures go to the "Bulk import" part of the
"Import" notes in docs/PERFORMANCE.md (printed; ``--write`` replaces the section).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, write_section  # noqa: E402
from bench.bench_import import load_csv  # noqa: E402

NODE_HEADER = (
    "id:ID,name,type,:LABEL,segment,region,since:date,revenue:double,satisfaction:double\n"
)
EDGE_HEADER = (
    ":START_ID,:END_ID,:TYPE,trust:double,commitment:double,volume:double,since:date,"
    "interactions:long\n"
)


def write_files(stakeholders: int, relationships: int, plain: Path, admin: Path) -> dict:
    """Per-type CSVs for LOAD CSV in ``plain``, typed-header CSVs for the importer in ``admin``."""
    from graphcap.model.schema import DEFAULT_SCHEMA
    from graphcap.sample.huge import huge_chunks

    files: dict[str, set[str]] = {"nodes": set(), "edges": set()}
    (admin / "nodes.csv").write_text(NODE_HEADER)
    (admin / "edges.csv").write_text(EDGE_HEADER)
    for nodes, edges in huge_chunks(stakeholders=stakeholders, relationships=relationships):
        for kind, frame in (("nodes", nodes), ("edges", edges)):
            for t, part in frame.groupby("type"):
                name = f"{kind}_{t}.csv"
                part.to_csv(plain / name, mode="a", header=name not in files[kind], index=False,
                            date_format="%Y-%m-%d")  # fmt: skip
                files[kind].add(name)
        out = nodes.copy()
        labels = {t: f"Stakeholder;{DEFAULT_SCHEMA.label_for(t)}" for t in out["type"].unique()}
        out.insert(3, "label", out["type"].map(labels))
        out.to_csv(admin / "nodes.csv", mode="a", header=False, index=False, date_format="%Y-%m-%d")
        edges.to_csv(admin / "edges.csv", mode="a", header=False, index=False,
                     date_format="%Y-%m-%d")  # fmt: skip
    return {k: sorted(v) for k, v in files.items()}


def server_at(home: Path, heap: str, pagecache: str):  # type: ignore[no-untyped-def]
    from graphcap.localdb.server import LocalNeo4j, free_port

    return LocalNeo4j(home=home, port=free_port(),
                      password=secrets.token_urlsafe(16), heap=heap,
                      pagecache=pagecache)  # fmt: skip


def check(server) -> tuple[dict, list]:  # type: ignore[no-untyped-def]
    from graphcap.store import Neo4jStore

    with Neo4jStore(server.settings) as store, store.driver.session() as s:
        sample = s.run(
            "MATCH (a:Stakeholder)-[r]->(b) WHERE a.id IN ['S0000100', 'S0000999'] "
            "RETURN a.id, a.name, a.type, a.since, a.revenue, labels(a), type(r), b.id, r.trust, "
            "r.interactions, r.since ORDER BY a.id, type(r), b.id"
        ).values()
        return store.counts(), sample


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stakeholders", type=int, default=200_000)
    ap.add_argument("--relationships", type=int, default=1_000_000)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--folder", type=Path, default=None)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)

    from graphcap.localdb.launcher import check_java, source_dir
    from graphcap.store import Neo4jStore

    started, load = machine(), os.getloadavg()
    root = Path(tempfile.mkdtemp(prefix="graphcap-bulk-", dir=args.folder))
    try:
        plain, admin = root / "plain", root / "admin"
        plain.mkdir()
        admin.mkdir()
        t0 = time.perf_counter()
        files = write_files(args.stakeholders, args.relationships, plain, admin)
        prep = time.perf_counter() - t0
        print(f"files written in {prep:.1f} s", flush=True)

        # 1. LOAD CSV into a fresh server with the constraints
        a = server_at(root / "loadcsv", args.heap, args.pagecache)
        t0 = time.perf_counter()
        a.start(timeout_s=600)
        t_start_csv = time.perf_counter() - t0
        try:
            for name in os.listdir(plain):
                os.link(plain / name, a.import_dir / name)
            with Neo4jStore(a.settings) as store, store.driver.session() as s:
                store.ensure_schema()
                t0 = time.perf_counter()
                load_csv(s, files)
                t_csv = time.perf_counter() - t0
            counts_csv, sample_csv = check(a)
        finally:
            a.stop()
        shutil.rmtree(root / "loadcsv", ignore_errors=True)
        print(f"LOAD CSV {t_csv:.1f} s", flush=True)

        # 2. offline importer into a home that was never started, then start + constraints
        home = root / "bulk"
        (home / "conf").mkdir(parents=True)
        (home / "conf" / "neo4j.conf").write_text("")
        lib = source_dir() / "target" / "lib"
        cmd = [check_java(), f"-Xmx{args.heap}", "-cp", f"{lib}/*",
               "org.neo4j.cli.AdminTool", "database", "import", "full",
               f"--nodes={admin / 'nodes.csv'}", f"--relationships={admin / 'edges.csv'}",
               "--threads=2", f"--max-off-heap-memory={args.pagecache}",
               "--overwrite-destination", "neo4j"]  # fmt: skip
        env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=7200)
        t_tool = time.perf_counter() - t0
        if proc.returncode:
            raise RuntimeError(proc.stdout[-3000:] + proc.stderr[-3000:])
        print(f"importer {t_tool:.1f} s", flush=True)
        b = server_at(home, args.heap, args.pagecache)
        t0 = time.perf_counter()
        b.start(timeout_s=600)
        t_start = time.perf_counter() - t0
        try:
            with Neo4jStore(b.settings) as store, store.driver.session() as s:
                t0 = time.perf_counter()
                store.ensure_schema()
                s.run("CALL db.awaitIndexes(3600)").consume()
                t_schema = time.perf_counter() - t0
            counts_bulk, sample_bulk = check(b)
        finally:
            b.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    same = counts_bulk == counts_csv and sample_bulk == sample_csv
    assert same, (counts_csv, counts_bulk, sample_csv, sample_bulk)
    bulk_total = t_tool + t_start + t_schema
    rows = args.stakeholders + sum(counts_csv["edges"].values())
    table = markdown_table(
        ["way of loading an empty database", "seconds", "rows/s", "vs LOAD CSV"],
        [
            ["`LOAD CSV` + `CALL {MERGE} IN TRANSACTIONS OF 10000 ROWS` (constraints first)",
             f"{t_csv:.1f}", f"{rows / t_csv:,.0f}", "1.00x"],
            ["(start of that fresh, empty server, not in its time)", f"{t_start_csv:.1f}", "", ""],
            ["`neo4j-admin database import full` (server stopped)", f"{t_tool:.1f}", "", ""],
            ["  + start the server", f"{t_start:.1f}", "", ""],
            ["  + graphcap's constraints (index population)", f"{t_schema:.1f}", "", ""],
            ["offline importer, total", f"{bulk_total:.1f}", f"{rows / bulk_total:,.0f}",
             f"{bulk_total / t_csv:.2f}x"],
        ],
    )  # fmt: skip
    body = "\n".join(
        [
            f"`bench/bench_bulk_import.py --stakeholders {args.stakeholders} --relationships "
            f"{args.relationships}`: the huge sample's shape ({rows:,} rows), heap {args.heap}, "
            f"page cache / importer off-heap {args.pagecache}, 1 run; both end with the same counts "
            f"and values (checked). {started}; load average at start {load[0]:.1f} on 2 cores "
            f"shared with other sessions. Preparing both sets of files: {prep:.1f} s (not timed).",
            "",
            table,
        ]
    )
    print(body)
    if args.write:
        write_section("Bulk import", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
