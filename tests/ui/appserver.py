"""Run the real app (`streamlit run app.py`) on a free loopback port for browser tests and the
rendering benchmark, and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(
    env: Mapping[str, str], *, log: Path, timeout_s: float = 90, root: Path = ROOT
) -> Iterator[str]:
    """Start the app with ``env`` added to the environment; yield its base URL; stop it.
    ``root``: the source tree whose ``app.py`` and ``graphcap`` run (another checkout, for a
    benchmark's baseline)."""
    port = free_port()
    full_env = {**os.environ, **env, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if root != ROOT:
        full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(root / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"the app exited early; see {log}")
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not come up in {timeout_s} s; see {log}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def network_frame(page):  # type: ignore[no-untyped-def]
    """The iframe of the Network page's drawing (the one whose document has #gc-root)."""
    page.wait_for_selector("iframe", timeout=60_000)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.query_selector("#gc-root") is not None:
                    return frame
            except Exception:  # noqa: BLE001 - a frame may detach while we look
                continue
        time.sleep(0.1)
    raise AssertionError("no network drawing found on the page")


def wait_drawn(frame, timeout_ms: int = 60_000) -> dict:  # type: ignore[no-untyped-def]
    """Wait until the drawing says it is done; its counts and draw time."""
    frame.wait_for_function(
        "() => window.graphcapState && window.graphcapState.drawn", timeout=timeout_ms
    )
    return frame.evaluate("() => window.graphcapState")
