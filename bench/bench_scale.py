"""Benchmark: a million-stakeholder network end to end, each step's time and peak memory.

Steps, each a separate process run under ``/usr/bin/time -v`` (wall time, peak resident memory
of the process) while this script samples the resident memory of the step's whole process tree
and of the Neo4j server every half second (psutil):

1. ``graphcap sample --scale huge --csv DIR`` (streamed in chunks of 100k stakeholders);
2. ``graphcap import DIR`` into a fresh local Neo4j 5.26 with GDS (heap and page cache capped,
   ``--heap``/``--pagecache``: the build machine is shared); with ``--bulk``, ``graphcap import
   --bulk DIR`` into the empty local database instead (validated part by part);
3. ``graphcap metrics --engine gds``, then with the local engine;
4. the app: Overview, Network, Stakeholder list and Risks opened once each (Streamlit AppTest in
   one process, no browser) against the imported graph, each page's seconds, the process's peak
   resident memory during it and what the page says (above ``app_full_analysis_max_relationships``
   the pages read stored metrics: :mod:`graphcap.ui.scale`);
5. ``graphcap export FORMAT``, one process per format of ``--export`` (default ``csv``).

``--uri URI`` (password in ``NEO4J_PASSWORD``) measures against a running server instead: no
generate, import or server of its own, only the metrics (unless skipped), app and export steps.
0. baseline in the same run, before the import: the same CSV files loaded with ``LOAD CSV ...
   CALL {} IN TRANSACTIONS OF 10000 ROWS`` into a fresh server with graphcap's constraints
   (split by type in a streamed pass, as LOAD CSV needs static labels; the server is deleted
   afterwards) -- the import row's ratio.

A step that exceeds ``--python-cap`` of resident memory is stopped and reported as such; a step
that exceeds ``--timeout`` likewise. ``python bench/bench_scale.py --stakeholders 1000000
--relationships 5000000 --data /tmp/scale``; figures go to the "Scale" section of
docs/PERFORMANCE.md. The data folder is deleted at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "graphcap"

_APP_SCRIPT = r"""
import json, os, sys, threading, time
import psutil
from streamlit.testing.v1 import AppTest
me = psutil.Process()
out = {"pages": {}}
peak = [0]
def watch(stop):
    while not stop.is_set():
        peak[0] = max(peak[0], me.memory_info().rss)
        stop.wait(0.05)
at = AppTest.from_file(sys.argv[1], default_timeout=float(sys.argv[2]))
for k, page in enumerate(("overview", "network", "stakeholders", "risks")):
    stop = threading.Event()
    peak[0] = me.memory_info().rss
    th = threading.Thread(target=watch, args=(stop,), daemon=True)
    th.start()
    t0 = time.perf_counter()
    if k == 0:
        at.run()
    else:
        at.switch_page(f"graphcap/ui/pages/{page}.py")
        at.run()
    seconds = time.perf_counter() - t0
    stop.set(); th.join()
    texts = [getattr(e, "value", "") for kind in ("caption", "info", "warning")
             for e in getattr(at, kind)]
    out["pages"][page] = {
        "seconds": round(seconds, 2),
        "peak_rss_gib": round(peak[0] / 2**30, 3),
        "exceptions": [str(e.value)[:300] for e in at.exception],
        "notes": [t[:200] for t in texts if isinstance(t, str) and
                  any(w in t.lower() for w in ("large network", "top ", "stored metrics",
                                               "no metrics", "at most"))][:4],
    }
print("APPRESULT " + json.dumps(out))
"""


class Watch:
    """Peak resident memory of a process tree and of another process, sampled every 0.5 s."""

    def __init__(self, pid: int, server_pid: int | None, cap_bytes: int) -> None:
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(pid)
        self.server = psutil.Process(server_pid) if server_pid else None
        self.cap = cap_bytes
        self.peak = 0
        self.server_peak = 0
        self.capped = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _rss(self, proc) -> int:  # type: ignore[no-untyped-def]
        try:
            procs = [proc, *proc.children(recursive=True)]
        except self.psutil.Error:
            return 0
        total = 0
        for p in procs:
            try:
                if p.name() != "time":
                    total += p.memory_info().rss
            except self.psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self.stop.is_set():
            rss = self._rss(self.root)
            self.peak = max(self.peak, rss)
            if self.server is not None:
                self.server_peak = max(self.server_peak, self._rss(self.server))
            if rss > self.cap and not self.capped:
                self.capped = True
                for p in self.root.children(recursive=True):
                    p.kill()
            self.stop.wait(0.5)


def step(name: str, cmd: list[str], *, env: dict, timeout: float, cap: int, server_pid: int | None,
         log: Path) -> dict:  # fmt: skip
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", *cmd],
        env=env,
        cwd=ROOT if "AppTest" in " ".join(cmd) else log.parent,  # files a step leaves: in data
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watch = Watch(proc.pid, server_pid, cap)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        for p in watch.root.children(recursive=True):
            p.kill()
        out, err = proc.communicate()
        timed_out = True
    seconds = time.perf_counter() - t0
    watch.stop.set()
    watch.thread.join()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    with log.open("a") as fh:
        fh.write(f"\n===== {name} ({seconds:.1f} s, rc {proc.returncode})\n{out[-4000:]}\n"
                 f"--- stderr\n{err[-4000:]}\n")  # fmt: skip
    result = {
        "name": name,
        "seconds": seconds,
        "rc": proc.returncode,
        "max_rss": int(m.group(1)) * 1024 if m else None,
        "tree_peak": watch.peak,
        "server_peak": watch.server_peak,
        "capped": watch.capped,
        "timed_out": timed_out,
        "stdout": out,
        "stderr_tail": err[-1500:],
        "stderr_head": err.split("\tCommand being timed")[0][:1500],
    }
    state = "ok" if proc.returncode == 0 else f"FAILED rc {proc.returncode}"
    print(f"   {state}, {seconds:.1f} s, peak {watch.peak / 2**30:.2f} GiB, server "
          f"{watch.server_peak / 2**30:.2f} GiB", flush=True)  # fmt: skip
    return result


def split_by_type(folder: Path, into: Path) -> dict[str, list[str]]:
    """nodes.csv / edges.csv split into one file per type, streamed (LOAD CSV needs static labels)."""
    import pandas as pd

    files: dict[str, list[str]] = {"nodes": [], "edges": []}
    for kind in ("nodes", "edges"):
        seen: set[str] = set()
        for part in pd.read_csv(folder / f"{kind}.csv", dtype=str, chunksize=500_000):
            for t, rows in part.groupby("type"):
                name = f"{kind}_{t}.csv"
                rows.to_csv(into / name, mode="a", header=name not in seen, index=False)
                seen.add(name)
        files[kind] = sorted(seen)
    return files


def split_edges(folder: Path, into: Path, parts: int) -> list[Path]:
    """edges.csv in ``parts`` files of about equal rows, line by line (streamed)."""
    into.mkdir(parents=True, exist_ok=True)
    with (folder / "edges.csv").open("rb") as fh:
        header = fh.readline()
        total = sum(1 for _ in fh)
    per = -(-total // parts)
    paths = [into / f"edges-{k + 1}" / "edges.csv" for k in range(parts)]
    with (folder / "edges.csv").open("rb") as fh:
        fh.readline()
        for path in paths:
            path.parent.mkdir()
            with path.open("wb") as out:
                out.write(header)
                for _, line in zip(range(per), fh, strict=False):
                    out.write(line)
    return paths


def load_csv_cmd(uri: str, password: str, files: dict[str, list[str]]) -> list[str]:
    code = (
        "import json, sys\n"
        "from neo4j import GraphDatabase\n"
        "from bench.bench_import import load_csv\n"
        f"files = json.loads({json.dumps(json.dumps(files))})\n"
        f"with GraphDatabase.driver({uri!r}, auth=('neo4j', {password!r})) as d, "
        "d.session() as s:\n"
        "    load_csv(s, files)\n"
    )
    return [sys.executable, "-c", code]


def _schema(server) -> None:  # type: ignore[no-untyped-def]
    """The constraints graphcap's import creates, so LOAD CSV's MERGE has the same indexes."""
    from graphcap.store import Neo4jStore

    with Neo4jStore(server.settings) as store:
        store.ensure_schema()


def _server_pid(uri: str) -> int | None:
    """The pid of the Java process listening on ``uri``'s port (for its peak memory)."""
    import psutil

    port = int(uri.rsplit(":", 1)[1])
    for conn in psutil.net_connections(kind="tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == "LISTEN" and conn.pid:
            return int(conn.pid)
    return None


def gib(n: int | None) -> str:
    return "—" if not n else f"{n / 2**30:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stakeholders", type=int, default=1_000_000)
    ap.add_argument("--relationships", type=int, default=5_000_000)
    ap.add_argument("--data", type=Path, required=True, help="folder for the CSV files and Neo4j")
    ap.add_argument("--heap", default="3g")
    ap.add_argument("--pagecache", default="2500m")
    ap.add_argument("--python-cap", type=float, default=8.0, help="GiB per step")
    ap.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per step")
    ap.add_argument(
        "--import-timeout",
        type=float,
        default=None,
        help="seconds for an import step (default: --timeout)",
    )
    ap.add_argument("--export", nargs="*", default=["csv"])
    ap.add_argument(
        "--skip",
        nargs="*",
        default=[],
        help="steps to leave out: generate (the CSV files are in DATA/csv), loadcsv, import "
        "(the database is in DATA/gcdata/neo4j), gds, metrics, app, export",
    )
    ap.add_argument("--keep", action="store_true")
    ap.add_argument(
        "--csv-from",
        type=Path,
        default=None,
        help="use these generated files instead of generating (moved in)",
    )
    ap.add_argument(
        "--edge-parts",
        type=int,
        default=1,
        help="import nodes.csv, then edges.csv split in this many files "
        "(--onto-graph): one import's input is capped (max_import_memory_mb)",
    )
    ap.add_argument(
        "--bulk",
        action="store_true",
        help="import with `graphcap import --bulk` (Neo4j's offline importer into the empty "
        "local database) instead of the transactional import",
    )
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--uri",
        default=None,
        help="measure against this running server (NEO4J_PASSWORD from the environment): "
        "no generate, import or server of its own; the app and export steps (and metrics "
        "unless skipped)",
    )
    ap.add_argument(
        "--write", action="store_true", help="run the metrics steps with --write (m_* stored)"
    )
    ap.add_argument(
        "--trace",
        action="store_true",
        help="run the metrics steps through bench/stage_trace.py: where each one is, every 2 s, "
        "in DATA/trace-metrics-<engine>.log (how far a stopped step got)",
    )
    args = ap.parse_args(argv)

    from graphcap.localdb.server import LocalNeo4j, free_port

    started = machine()
    load = os.getloadavg()
    args.data.mkdir(parents=True, exist_ok=True)
    csv_dir = args.data / "csv"
    log = args.data / "steps.log"
    cap = int(args.python_cap * 2**30)
    results: list[dict] = []
    base_env = {**os.environ, "GRAPHCAP_DATA_DIR": str(args.data / "gcdata")}
    run = lambda name, cmd, env=base_env, pid=None: results.append(  # noqa: E731
        step(name, cmd, env=env, timeout=args.timeout, cap=cap, server_pid=pid, log=log)
    )
    if args.uri:
        args.skip = [*args.skip, "loadcsv", "import"]
    if args.csv_from is not None:
        shutil.move(str(args.csv_from), str(csv_dir))
    elif args.uri:
        pass
    elif "generate" not in args.skip:
        run(
            "generate",
            [str(EXE), "sample", "--scale", "huge", "--stakeholders", str(args.stakeholders),
             "--relationships", str(args.relationships), "--csv", str(csv_dir)],
        )  # fmt: skip
    notes: dict = {}

    port = free_port()
    password = secrets.token_urlsafe(16)

    def new_server(name: str, *, start: bool = True) -> LocalNeo4j:
        server = LocalNeo4j(
            # --bulk: the folder `graphcap import --bulk` takes as the local server
            home=args.data / "gcdata" / "neo4j" if name == "neo4j" else args.data / name,
            port=port if name == "neo4j" else free_port(),
            password=password if name == "neo4j" else secrets.token_urlsafe(16),
            heap=args.heap,
            pagecache=args.pagecache,
        )
        return server.start(timeout_s=900, gds=name == "neo4j") if start else server

    if "loadcsv" not in args.skip:
        # baseline first, on its own fresh server (deleted after), so both start empty
        server = new_server("neo4j-loadcsv")
        try:
            _schema(server)
            files = split_by_type(csv_dir, server.import_dir)
            run("baseline: LOAD CSV ... IN TRANSACTIONS",
                load_csv_cmd(server.settings.uri, server.password, files), base_env,
                server.pid)  # fmt: skip
        finally:
            server.stop()
            shutil.rmtree(args.data / "neo4j-loadcsv", ignore_errors=True)
    if args.bulk and "import" not in args.skip:
        # the offline importer needs the local server (no NEO4J_URI); it stops and starts it
        server = new_server("neo4j", start=False)
        bulk_env = {**base_env, "NEO4J_PASSWORD": password, "GRAPHCAP_NEO4J_PORT": str(port),
                    "GRAPHCAP_NEO4J_HEAP": args.heap, "GRAPHCAP_NEO4J_PAGECACHE": args.pagecache}  # fmt: skip
        bulk_env.pop("NEO4J_URI", None)
        try:
            results.append(step("import --bulk", [str(EXE), "import", "--bulk", str(csv_dir)],
                                env=bulk_env, timeout=args.import_timeout or args.timeout,
                                cap=cap, server_pid=None, log=log))  # fmt: skip
        finally:
            server.stop()  # started again below with GDS and the page cache asked for
    server = None if args.uri else new_server("neo4j")
    try:
        env = {
            **base_env,
            "NEO4J_URI": args.uri or server.settings.uri,  # type: ignore[union-attr]
            "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "") if args.uri else server.password,  # type: ignore[union-attr]
        }
        pid = _server_pid(args.uri) if args.uri else server.pid  # type: ignore[union-attr]
        if args.bulk or "import" in args.skip:
            pass
        elif args.edge_parts <= 1:
            run("import", [str(EXE), "import", str(csv_dir)], env, pid)
        else:
            parts = split_edges(csv_dir, args.data / "parts", args.edge_parts)
            alone = args.data / "parts" / "nodes"  # a file's folder siblings are read with it
            alone.mkdir()
            os.link(csv_dir / "nodes.csv", alone / "nodes.csv")
            run("import nodes.csv", [str(EXE), "import", str(alone)], env, pid)
            for k, part in enumerate(parts, start=1):
                run(f"import edges part {k}/{len(parts)} (--onto-graph)",
                    [str(EXE), "import", "--onto-graph", str(part)], env, pid)  # fmt: skip
        write = ["--write"] if args.write else []

        def metrics_cmd(engine: str) -> list[str]:
            if not args.trace:
                return [str(EXE), "metrics", "--engine", engine, *write]
            trace = args.data / f"trace-metrics-{engine}.log"
            return [sys.executable, str(ROOT / "bench" / "stage_trace.py"), str(trace), "--",
                    "metrics", "--engine", engine, *write]  # fmt: skip

        if "gds" not in args.skip:  # first: the engine meant for such graphs
            run("metrics (GDS)" + " --write" * args.write, metrics_cmd("gds"), env, pid)
        if "metrics" not in args.skip:
            run("metrics (local)" + " --write" * args.write, metrics_cmd("local"), env, pid)
        if "app" not in args.skip:
            run(
                "app: Overview, Network, Stakeholder list, Risks (AppTest)",
                [sys.executable, "-c", _APP_SCRIPT, str(ROOT / "app.py"), str(args.timeout)],
                env,
                pid,
            )
            m = re.search(r"APPRESULT (.*)", results[-1]["stdout"])
            notes["app"] = json.loads(m.group(1)) if m else None
        if "export" not in args.skip:
            for fmt in args.export:  # one step per format (``all`` included): its own peak
                out = args.data / f"export-{fmt}"
                run(f"export {fmt}", [str(EXE), "export", fmt, "--out", str(out)], env, pid)
                notes[f"export_{fmt}_bytes"] = sum(
                    p.stat().st_size for p in out.rglob("*") if p.is_file()
                )
                notes[f"export_{fmt}_said"] = results[-1]["stderr_tail"].split("\tCommand")[0][
                    -600:
                ]
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(args.data, ignore_errors=True)
    body = report(args, results, notes, started, load)
    print(body)
    keep = Path(tempfile.gettempdir()) / f"bench_scale_{args.stakeholders}_{args.relationships}"
    keep.with_suffix(".json").write_text(
        json.dumps({"results": results, "notes": notes}, default=str, indent=1)
    )
    keep.with_suffix(".md").write_text(body)
    if not args.no_write:
        write_section("Scale", body)
    return 0


def report(args, results, notes, started, load) -> str:  # type: ignore[no-untyped-def]
    by = {r["name"]: r for r in results}
    base = by.get("baseline: LOAD CSV ... IN TRANSACTIONS")
    rows = []
    for r in results:
        state = "ok"
        if r["capped"]:
            state = f"stopped above {args.python_cap:g} GiB"
        elif r["timed_out"]:
            state = f"stopped after {args.timeout:.0f} s"
        elif r["rc"]:
            state = f"failed (exit {r['rc']})"
        vs = ""
        if r["name"] == "import" and base and not base["rc"] and not r["rc"]:
            vs = f"{r['seconds'] / base['seconds']:.2f}x LOAD CSV"
        rows.append([r["name"], f"{r['seconds']:.1f}", gib(r["max_rss"]), gib(r["tree_peak"]),
                     gib(r["server_peak"]), state, vs])  # fmt: skip
    table = markdown_table(
        ["step", "seconds", "peak RSS GiB (time -v)", "process tree peak GiB",
         "Neo4j server peak GiB", "result", "vs baseline"],
        rows,
    )  # fmt: skip
    return "\n".join(
        [
            f"`bench/bench_scale.py --stakeholders {args.stakeholders} --relationships "
            f"{args.relationships}`: `graphcap sample --scale huge` streamed to CSV, imported into "
            f"a fresh local Neo4j 5.26 with GDS (heap {args.heap}, page cache {args.pagecache}), "
            "each step one process under `/usr/bin/time -v`, memory sampled every 0.5 s; 1 run. "
            f"{started}; load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
            "(2 cores shared with other sessions: compare ratios, not seconds).",
            "",
            table,
            "",
            f"App: {json.dumps(notes.get('app'), ensure_ascii=False)}; export: "
            + "; ".join(
                f"{k.removeprefix('export_').removesuffix('_bytes')} {v / 2**20:.0f} MB"
                for k, v in notes.items()
                if k.startswith("export_") and k.endswith("_bytes")
            )
            + ".",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
