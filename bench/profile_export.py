"""Profile and time ``export_files`` format by format on bench/realshape.py's network (in memory).

Run from any checkout to compare (same minutes, same machine)::

    python bench/profile_export.py                       # this checkout, every format, seconds
    python bench/profile_export.py --root /work/main     # another checkout's graphcap
    python bench/profile_export.py --formats pdf --profile 25   # cProfile, top 25 by cumulative
    python bench/profile_export.py --workers 2           # two processes, as the CLI writes them

The network is generated (no Neo4j), analysed once, then each format is written as
``graphcap export all`` writes it (one shared layout).
"""

from __future__ import annotations

import argparse
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--root", type=Path, default=HERE, help="checkout whose graphcap to import")
    ap.add_argument("--formats", nargs="*", default=None)
    ap.add_argument("--profile", type=int, default=0, help="print the top N cProfile entries")
    ap.add_argument("--out", type=Path, default=None, help="keep the files here")
    ap.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes writing the formats (export_files' workers; the CLI uses 2 on 2+ CPUs; "
        "checkouts without the parameter always write in one)",
    )
    ap.add_argument(
        "--inputs",
        type=Path,
        default=None,
        help="pickle of (network, analysis): written if missing, else read, so that two "
        "checkouts write the same analysis (floats differ in the last digits between processes)",
    )
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.root.resolve()))
    sys.path.insert(1, str(HERE))
    import graphcap
    from bench.realshape import real_shaped
    from graphcap.analysis import analyze
    from graphcap.config import ProjectConfig
    from graphcap.export.bundle import FORMATS, export_files

    print("graphcap from", Path(graphcap.__file__).parent, flush=True)
    if args.inputs and args.inputs.exists():
        net, analysis = pickle.loads(args.inputs.read_bytes())
    else:
        net, schema, _ = real_shaped()
        t0 = time.perf_counter()
        analysis = analyze(net, config=ProjectConfig(schema=schema))
        print(f"analysis {time.perf_counter() - t0:.2f} s", flush=True)
        if args.inputs:
            args.inputs.write_bytes(pickle.dumps((net, analysis)))
    formats = args.formats or list(FORMATS)
    out = args.out or Path(tempfile.mkdtemp(prefix="gc-export-"))

    import inspect

    more = (
        {"workers": args.workers} if "workers" in inspect.signature(export_files).parameters else {}
    )

    def run() -> list:
        return export_files(
            formats,
            net,
            analysis,
            out,
            "net",
            title="Relational capital",
            provenance={"source": "bench"},
            lang="en",
            **more,
        )

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    kids0 = kids.ru_utime + kids.ru_stime
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        done = prof.runcall(run)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)
    else:
        done = run()
    total = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper_cpu = kids.ru_utime + kids.ru_stime - kids0
    for fmt, _paths, seconds in done:
        print(f"{fmt:8} {seconds:6.2f} s", flush=True)
    print(
        f"total    {total:6.2f} s  (CPU: this process {cpu:.2f} s, the forked helper "
        f"{helper_cpu:.2f} s; out: {out})",
        flush=True,
    )


if __name__ == "__main__":
    main()
