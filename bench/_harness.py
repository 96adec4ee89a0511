"""A small timing harness shared by the benchmarks in bench/.

Benchmarks compare graphcap with named baselines measured in the same run and report ratios::

    import sys; from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench._harness import measure, ratio, markdown_table, write_section

    ours = measure(lambda: run_ours(), runs=3, setup=reset)
    base = measure(lambda: run_baseline(), runs=3, setup=reset)
    table = markdown_table(["what", "median s", "vs baseline"],
                           [["graphcap", ours.text, ratio(ours, base)], ["baseline", base.text, "1.00x"]])
    write_section("Import", intro_text + "\\n\\n" + table)

:func:`write_section` replaces only its own ``## <heading>`` section of docs/PERFORMANCE.md
(creating the file when missing), so each benchmark owns one section.
"""

from __future__ import annotations

import fcntl
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["Timing", "machine", "markdown_table", "measure", "ratio", "write_section"]

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "docs" / "PERFORMANCE.md"

_INTRO = """# Performance

Figures from the benchmarks in `bench/` (`make bench`, or `python -m bench NAME`). Each section is
written by one benchmark and compares graphcap with named baselines measured *in the same run on
the same machine*, as ratios; absolute seconds are given for orientation only (the build machines
have 2 shared cores). Medians of the stated number of runs.
"""


@dataclass
class Timing:
    """Wall-clock seconds of repeated runs; ``median`` is what tables report."""

    seconds: list[float] = field(default_factory=list)
    result: Any = None  # what the last run returned

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def text(self) -> str:
        m = self.median
        return f"{m:.3g}" if m < 100 else f"{m:.0f}"


@contextmanager
def fresh_neo4j(
    home: Path, heap: str, *, pagecache: str = "512m", gds: bool = False
) -> Iterator[Any]:
    """A fresh local Neo4j in ``home`` on a free port with a random password (with Graph Data
    Science when ``gds``), stopped at the end: the server every database benchmark measures
    against."""
    from graphcap.localdb.server import LocalNeo4j, free_port

    server = LocalNeo4j(
        home=home,
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap=heap,
        pagecache=pagecache,
    )
    server.start(timeout_s=900, gds=gds)
    try:
        yield server
    finally:
        server.stop()


def measure(
    fn: Callable[[], Any], *, runs: int = 3, setup: Callable[[], Any] | None = None
) -> Timing:
    """Run ``fn`` ``runs`` times (``setup`` before each, not timed); the median is reported."""
    timing = Timing()
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        timing.result = fn()
        timing.seconds.append(time.perf_counter() - t0)
    return timing


def measure_rounds(fns: dict[str, Callable[[], Any]], *, runs: int = 3) -> dict[str, Timing]:
    """Run every function once per round, ``runs`` rounds: on a shared machine a busy moment
    then slows the baseline and the contender alike."""
    timings = {name: Timing() for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            timings[name].result = fn()
            timings[name].seconds.append(time.perf_counter() - t0)
    return timings


def round_ratio(ours: Timing, baseline: Timing) -> str:
    """The median of the per-round ratios (see :func:`measure_rounds`)."""
    ratios = [a / b for a, b in zip(ours.seconds, baseline.seconds, strict=True) if b > 0]
    return f"{statistics.median(ratios):.2f}x" if ratios else "n/a"


def ratio(ours: Timing | float, baseline: Timing | float) -> str:
    """``ours / baseline`` as ``"1.23x"`` (below 1: graphcap is faster)."""
    a = ours.median if isinstance(ours, Timing) else ours
    b = baseline.median if isinstance(baseline, Timing) else baseline
    if b <= 0:
        return "n/a"
    r = a / b
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.3f}x"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(map(cell, headers)) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(map(cell, r)) + " |" for r in rows]
    return "\n".join(out)


def machine() -> str:
    """One line on where and when a benchmark ran."""
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    )


def write_section(heading: str, body: str, *, path: Path = PERFORMANCE) -> Path:
    """Replace (or append) the ``## heading`` section of docs/PERFORMANCE.md with ``body``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(Path(tempfile.gettempdir()) / "graphcap-performance.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = path.read_text(encoding="utf-8") if path.exists() else _INTRO
        lines = text.splitlines()
        title = f"## {heading}"
        try:
            start = next(i for i, line in enumerate(lines) if line.strip() == title)
        except StopIteration:
            start = None
        section = [title, "", *body.strip().splitlines(), ""]
        if start is None:
            lines = [*lines, "", *section] if lines and lines[-1].strip() else [*lines, *section]
        else:
            end = next(
                (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
            )
            lines = lines[:start] + section + lines[end:]
        path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def publish(heading: str, body: str, *, write: bool) -> None:
    """Print ``body``; with ``write``, first put it into docs/PERFORMANCE.md as ``## heading``."""
    if write:
        write_section(heading, body)
    print(body)


if __name__ == "__main__":  # pragma: no cover
    print(machine(), file=sys.stderr)


def load_average() -> str:
    """The 1/5/15-minute load average as ``"1.2 / 0.9 / 0.7"`` (``unknown`` where there is none):
    a benchmark records the load it saw."""
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"
