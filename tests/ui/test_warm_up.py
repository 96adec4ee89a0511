"""``graphcap app`` warms a fresh server before the first user arrives (graphcap.ui.warmup): the
network is read, analysed and laid out into the shared caches, also when a login is required;
the first user's Overview and Network then compute none of it. Observed through the server's
own cache counters (``/_stcore/metrics``), never through timings. A warm-up that fails is one
line, and the app serves as before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graphcap.cli.app_cmd import _warm, local_url
from graphcap.ui.warmup import WARM_CACHES, open_page
from tests.ui.appserver import free_port, snapshot_app_env, stop, wait_until_up
from tests.ui.netfactory import make_network

pytestmark = pytest.mark.slow

READY = "graphcap app ready"
_LOOKUP = re.compile(
    r'^cache_lookups_total\{cache="([^"]+)",cache_type="[^"]+",result="(\w+)"\} (\d+)'
)


def lookups(url: str) -> dict[tuple[str, str], int]:
    """(cache, hit|miss) -> count, from the server's /_stcore/metrics."""
    with urllib.request.urlopen(url + "/_stcore/metrics", timeout=30) as r:
        text = r.read().decode()
    out: dict[tuple[str, str], int] = {}
    for line in text.splitlines():
        m = _LOOKUP.match(line)
        if m:
            out[(m.group(1), m.group(2))] = int(m.group(3))
    return out


def misses(url: str, name: str) -> int:
    return lookups(url).get((f"graphcap.ui.state.{name}", "miss"), 0)


@contextmanager
def graphcap_app(env: dict[str, str], log: Path, *args: str) -> Iterator[tuple[str, object]]:
    """`graphcap app` (the command users run) on a free port; yields (url, process)."""
    port = free_port()
    full = {**os.environ, **env, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    code = "from graphcap.cli import main; main()"
    cmd = [sys.executable, "-c", code, "app", "--port", str(port), *args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=full, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, url + "/_stcore/health", log=log, timeout_s=120)
        yield url, proc
    finally:
        stop(proc, grace_s=20)


def wait_for_line(proc: subprocess.Popen, log: Path, text: str, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while text not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"no {text!r} line: {log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def test_the_first_users_overview_and_network_find_the_data_prepared(tmp_path) -> None:
    env = snapshot_app_env(tmp_path, make_network(60, seed=3), "")
    log = tmp_path / "app.log"
    with graphcap_app(env, log) as (url, proc):
        wait_for_line(proc, log, READY)  # type: ignore[arg-type]
        # the warm-up read, analysed and laid out the network once, before any user
        assert misses(url, "_network") == 1
        assert misses(url, "_analysis") == 1
        assert misses(url, "_view") == 1
        assert misses(url, "_layout") == 1
        assert open_page(url, "")  # the first user's Overview, no exception
        assert open_page(url, "network")
        after = lookups(url)
        # ... and the first user's pages computed none of it again: they were served from it
        for name in ("_network", "_analysis", "_view", "_layout"):
            assert after[(f"graphcap.ui.state.{name}", "miss")] == 1, name
        assert after[("graphcap.ui.state._view", "hit")] >= 2
        assert after[("graphcap.ui.state._layout", "hit")] >= 1
    assert log.read_text().count(READY) == 1


def test_with_a_login_the_login_page_prepares_the_data_without_a_login(tmp_path) -> None:
    password = "admin-pass-1-secret"
    env = snapshot_app_env(tmp_path, make_network(60, seed=4), "", GRAPHCAP_ADMIN_PASSWORD=password)
    log = tmp_path / "app.log"
    with graphcap_app(env, log) as (url, proc):
        wait_for_line(proc, log, READY)  # type: ignore[arg-type]
        assert misses(url, "_analysis") == 1
        assert misses(url, "_view") == 1
        assert misses(url, "_layout") == 1
        assert open_page(url, "")  # another login page: nothing is prepared again
        assert misses(url, "_analysis") == 1
        assert misses(url, "_view") == 1
    assert password not in log.read_text(errors="replace")


def test_without_warm_up_nothing_is_prepared_before_the_first_user(tmp_path) -> None:
    env = snapshot_app_env(tmp_path, make_network(30, seed=5), "")
    log = tmp_path / "app.log"
    with graphcap_app(env, log, "--no-warm-up") as (url, _proc):
        assert misses(url, "_analysis") == 0  # nothing could fill it: no session was opened
        assert open_page(url, "")
        assert misses(url, "_analysis") == 1  # the first user's Overview analysed the network
    assert READY not in log.read_text()


def test_a_failed_warm_up_is_one_line_and_the_server_keeps_serving(tmp_path, capsys) -> None:
    """A server that answers its health check but speaks no Streamlit: the warm-up fails, says
    so in one line and leaves the server alone."""
    (tmp_path / "_stcore").mkdir()
    (tmp_path / "_stcore" / "health").write_text("ok")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = local_url("127.0.0.1", port)
    try:
        _warm(proc, url, "ready", "failed: {error}")  # type: ignore[arg-type]
        assert proc.poll() is None
        with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as r:
            assert r.read() == b"ok"
    finally:
        stop(proc, grace_s=20)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("failed: "), lines


def test_the_warm_up_reaches_a_wildcard_address_on_loopback() -> None:
    assert local_url("127.0.0.1", 8501) == "http://127.0.0.1:8501"
    assert local_url("0.0.0.0", 80) == "http://127.0.0.1:80"
    assert local_url("::", 80) == "http://[::1]:80"
    assert local_url("::1", 8501) == "http://[::1]:8501"
    assert set(WARM_CACHES) == {"graphcap.ui.state._view", "graphcap.ui.state._layout"}
