"""Helpers shared by the tests (import as ``from tests.support import require``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, what: str, how: str) -> None:
    """Skip locally / fail under CI when a real part the test needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing under CI=true (never skipped in CI): {how}")
    pytest.skip(f"{what} is missing: {how}")


def run_in_child(code: str, env: Mapping[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh Python (``env`` added to the environment); it sets ``out`` (a
    dict); returns it with the child's peak RSS in MB: ``VmHWM`` of /proc/self/status, the
    high-water mark of the child's own memory (``ru_maxrss`` would carry over the forked test
    process's size across exec)."""
    script = (
        "import json\nout = {}\n"
        + textwrap.dedent(code)
        + textwrap.dedent(
            """
            with open("/proc/self/status") as status:
                hwm = next(line for line in status if line.startswith("VmHWM:"))
            out["peak_rss_mb"] = int(hwm.split()[1]) / 1024
            print(json.dumps(out))
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
