"""``graphcap app``: start the Streamlit explorer from wherever graphcap is installed.

The app's entry file and pages ship inside the package (:mod:`graphcap.ui.app`), and so do its
Streamlit settings (``graphcap/ui/streamlit_config.toml``, passed as command-line options so they
hold whatever the working folder is). The server listens on 127.0.0.1 unless ``--address`` says
otherwise; its health endpoint is ``/_stcore/health``. This module does not import streamlit: it
runs ``python -m streamlit run`` in a child process and returns its exit code.

Once the server answers its health check, a background thread warms it
(:mod:`graphcap.ui.warmup`, unless ``--no-warm-up``): one anonymous session opens the Overview,
so the network is read, analysed and laid out into the caches every session shares before the
first user arrives, and a line says when the app is ready. A failed warm-up is one line; the app
serves as it would have without it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Any

import click

from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.output import note
from graphcap.i18n import gettext as _

__all__ = ["app", "local_url", "streamlit_command"]


def _flags(table: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _flags(value, name + ".")
        else:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            out += [f"--{name}", text]
    return out


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """The command line that runs the packaged app with the packaged settings."""
    ui = resources.files("graphcap.ui")
    settings = tomllib.loads(ui.joinpath("streamlit_config.toml").read_text(encoding="utf-8"))
    settings.setdefault("server", {}).update({"address": address, "port": port})
    entry = Path(str(ui.joinpath("app.py")))
    return [sys.executable, "-m", "streamlit", "run", str(entry), *_flags(settings)]


def local_url(address: str, port: int) -> str:
    """The URL this machine reaches a server on that listens on ``address``:``port`` (a
    wildcard address is reached on loopback)."""
    host = "127.0.0.1" if address in ("", "0.0.0.0") else "::1" if address == "::" else address
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _healthy(proc: subprocess.Popen[bytes], url: str) -> bool:
    """Wait until the server at ``url`` answers its health check; False if it stopped first."""
    while proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=5) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _warm(proc: subprocess.Popen[bytes], url: str, ready: str, failed: str) -> None:
    """Warm the server (:func:`graphcap.ui.warmup.warm_up`) and say so: ``ready`` once done,
    ``failed`` (with ``{error}``) on a failure while the server still runs. Never raises."""
    try:
        if not _healthy(proc, url):
            return
        from graphcap.ui.warmup import warm_up

        warm_up(url, alive=lambda: proc.poll() is None)
    except Exception as exc:  # noqa: BLE001 - the app serves as before; one line says why
        if proc.poll() is None:
            note(failed.format(error=f"{type(exc).__name__}: {exc}"))
        return
    if proc.poll() is None:
        note(ready)


@click.command(cls=HelpCommand, name="app")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8501,
    show_default=True,
    help="Port of the app.",
)
@click.option(
    "--address",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback exposes the app to the network.",
)
@click.option(
    "--snapshot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Open this snapshot file when no Neo4j is configured (GRAPHCAP_SNAPSHOT).",
)
@click.option(
    "--warm-up/--no-warm-up",
    default=True,
    help="Read and analyse the data once the server is up, before the first user opens the app "
    "(on by default).",
)
def app(port: int, address: str, snapshot: Path | None, warm_up: bool) -> None:
    """Start the Streamlit explorer on http://127.0.0.1:PORT (Ctrl-C stops it)."""
    env = dict(os.environ)
    if snapshot is not None:
        env["GRAPHCAP_SNAPSHOT"] = str(snapshot.resolve())
    cmd = streamlit_command(port, address)
    note(_("graphcap app on {url} (Ctrl-C stops it)").format(url=f"http://{address}:{port}"))
    proc = subprocess.Popen(cmd, env=env)
    if warm_up:
        url = local_url(address, port)
        ready = _("graphcap app ready: the data is read and analysed for every session")
        failed = _(
            "graphcap app: warming up failed ({error}); the app works, the first page is slower"
        )
        threading.Thread(
            target=_warm, args=(proc, url, ready, failed), name="graphcap-warm-up", daemon=True
        ).start()

    def stop(_signum: int, _frame: Any) -> None:  # a `kill` of graphcap app stops the server too
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        code = proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    if code > 0:  # a negative code: the server stopped on the signal it was sent
        raise click.exceptions.Exit(code)
