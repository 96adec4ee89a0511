"""`python -m bench [NAME ...] [--OPTION ...]`: run the benchmarks (each bench/bench_*.py as its
own process). Options (anything starting with ``-``, e.g. ``--no-write``) go to every script run.

Each benchmark measures graphcap against named baselines in the same run and writes its table
into docs/PERFORMANCE.md. Benchmarks are never part of `make test`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    options = [a for a in argv if a.startswith("-")]
    wanted = {a for a in argv if not a.startswith("-")}
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [
            s for s in scripts if s.stem.removeprefix("bench_") in wanted or s.stem in wanted
        ]
        if not scripts:
            print(
                f"no benchmark named {sorted(wanted)}; have: "
                + ", ".join(s.stem.removeprefix("bench_") for s in sorted(HERE.glob("bench_*.py")))
            )
            return 2
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *options], cwd=HERE.parent)
        print(f"== {script.name}: exit {rc} after {time.perf_counter() - t0:.0f} s", flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
