"""Run the real app (`streamlit run app.py`) on a free loopback port for browser tests and the
rendering benchmark, and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def snapshot_app_env(tmp: Path, net: Any, config_toml: str, **extra: str) -> dict[str, str]:
    """The environment of an app that reads ``net`` from a snapshot in ``tmp`` (no Neo4j) with
    ``config_toml`` as its graphcap.toml."""
    from graphcap.snapshot import write_snapshot

    snap = tmp / "net.gcap"
    write_snapshot(net, snap)
    config = tmp / "graphcap.toml"
    config.write_text(config_toml, encoding="utf-8")
    return {
        "GRAPHCAP_SNAPSHOT": str(snap),
        "GRAPHCAP_DATA_DIR": str(tmp / "data"),
        "GRAPHCAP_CONFIG": str(config),
        "NEO4J_URI": "",
        "NEO4J_PASSWORD": "",
        "NEO4J_USER": "",
        **extra,
    }


def wait_until_up(proc: subprocess.Popen, url: str, *, log: Path, timeout_s: float = 90) -> None:
    """Wait until ``url`` answers 200 (the server ``proc`` is up); fail if it exits first."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited early; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not come up in {timeout_s} s; see {log}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen, *, grace_s: float) -> None:
    """End a server started by a test: terminate, and kill it if it has not gone in ``grace_s``."""
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(
    env: Mapping[str, str],
    *,
    log: Path,
    timeout_s: float = 90,
    args: Sequence[str] = (),
    port: int | None = None,
    root: Path = ROOT,
) -> Iterator[str]:
    """Start the app with ``env`` added to the environment and ``args`` added to `streamlit run`
    (e.g. ``--secrets.files``); yield its base URL; stop it. ``root``: the source tree whose
    ``app.py`` and ``graphcap`` run (another checkout, for a benchmark's baseline)."""
    port = free_port() if port is None else port
    full_env = {**os.environ, **env, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if root != ROOT:
        full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(root / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false", *args,
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=full_env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(proc, url + "/_stcore/health", log=log, timeout_s=timeout_s)
            yield url
        finally:
            stop(proc, grace_s=10)


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


def log_in(page, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Fill and send the login form."""
    page.get_by_label("User name").fill(user)
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="Log in").click()


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page has a title and Streamlit has finished running."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(1000)


def logged_in_as(page, who: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the sidebar says "Logged in as {who}" (it may be drawn after the run ends)."""
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(f"Logged in as {who}").wait_for(timeout=30_000)
