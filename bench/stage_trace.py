"""Run a graphcap command and log, every few seconds, where it is: a step that is stopped by a
time or memory cap then says exactly how far it got.

``python bench/stage_trace.py LOG [--every S] -- metrics --engine gds ...`` runs ``graphcap
metrics --engine gds ...`` in this process; a thread writes to ``LOG`` one line per sample while
the place changes: seconds since the start, resident GiB, and the innermost graphcap functions
on each thread's stack (``function:line``, outermost first), e.g. ``412.0 6.31 main:
_compute:411 > relational_capital_index:301 > contract_focal:136 | graphcap-gds_0:
node_measures:362 > _run:420``. A long C call (igraph, scipy) holds the interpreter, so a sample
can come late: the gap is then the call's time. ``bench_scale.py --trace`` runs its metrics
steps through this.
"""

from __future__ import annotations

import faulthandler
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<name>\S+)')


def _places(scratch) -> list[str]:  # type: ignore[no-untyped-def]
    """The innermost graphcap functions of every other thread, from ``faulthandler`` (written
    in C, all threads at one instant): holding another thread's frames from Python would keep
    its finished calls' locals alive (the Neo4j driver's buffer then cannot grow: BufferError)."""
    scratch.seek(0)
    scratch.truncate()
    faulthandler.dump_traceback(scratch, all_threads=True)
    scratch.seek(0)
    names = {t.ident: t.name for t in threading.enumerate()}
    me = threading.get_ident()
    places, ident, stack = [], None, []  # type: ignore[var-annotated]

    def flush() -> None:
        if ident is not None and ident != me and stack:
            where = " > ".join(reversed(stack[:4]))  # faulthandler: most recent first
            places.append(f"{names.get(ident, hex(ident))}: {where}")

    for line in scratch.read().splitlines():
        if line.startswith(("Thread 0x", "Current thread 0x")):
            flush()
            ident, stack = int(line.split("0x")[1].split()[0], 16), []
        elif (m := _FRAME.search(line)) and "/graphcap/" in m["file"]:
            stack.append(f"{m['name']}:{m['line']}")
    flush()
    return sorted(places)


def trace(log: Path, every: float) -> None:
    import psutil

    proc = psutil.Process()
    start = time.perf_counter()
    last = ""
    peak = 0
    with log.open("w") as fh, tempfile.TemporaryFile("w+") as scratch:
        while True:
            rss = proc.memory_info().rss
            peak = max(peak, rss)
            now = " | ".join(_places(scratch))
            if now != last:
                fh.write(f"{time.perf_counter() - start:8.1f} {rss / 2**30:6.2f} {now}\n")
                fh.flush()
                last = now
            time.sleep(every)


def main(argv: list[str]) -> int:
    log = Path(argv[0])
    every = 2.0
    rest = argv[1:]
    if rest[:1] == ["--every"]:
        every, rest = float(rest[1]), rest[2:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    threading.Thread(target=trace, args=(log, every), daemon=True).start()
    from graphcap.cli import main as cli

    return cli(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
