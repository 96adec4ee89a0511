"""One local Neo4j server process: its files, start (waiting for the launcher's ready line), stop,
kill, status and the offline import; the ports, pids and JVM memory sizes it is checked by.

Part of :mod:`graphcap.localdb`; the launcher it runs is built by :mod:`graphcap.localdb.launcher`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graphcap.config.connection import Neo4jSettings
from graphcap.errors import ServerError
from graphcap.i18n import gettext as _
from graphcap.localdb.launcher import (
    _MAIN_CLASS,
    GDS_VERSION,
    _classpath,
    build,
    build_gds,
    check_java,
)

__all__ = ["LocalNeo4j", "port_in_use"]

_READY = "GRAPHCAP-NEO4J-READY"
_GDS_READY = "GRAPHCAP-NEO4J-GDS"
_LOG_NAME = "graphcap-neo4j.log"
# Servers this process started, by pid: keeping the Popen object avoids its "still running"
# warning and lets stop() reap the child instead of leaving a zombie.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill(0); treat it as gone
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


_MEMORY_RE = re.compile(r"\s*(\d+)\s*([kmg]?)b?\s*", re.IGNORECASE)


def memory_bytes(text: str, *, what: str = "memory size") -> int:
    """A JVM-style memory size (``"2g"``, ``"512m"``, ``"65536k"``) in bytes.

    >>> memory_bytes("2g"), memory_bytes("512M")
    (2147483648, 536870912)
    """
    m = _MEMORY_RE.fullmatch(str(text))
    if not m:
        raise ServerError(
            _("{what} must be a size such as 512m or 2g, got {text!r}").format(what=what, text=text)
        )
    return int(m.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30}[m.group(2).lower()]


@dataclass
class LocalNeo4j:
    """One local Neo4j server: its home folder, Bolt port and password.

    ``heap`` and ``pagecache`` are JVM heap and page-cache sizes (e.g. ``"2g"``, ``"512m"``).
    ``tx_memory`` is the most heap one transaction may hold (``db.memory.transaction.max``;
    default a quarter of the heap, ``GRAPHCAP_NEO4J_TX_MEMORY``); all transactions together may
    hold 70 % of the heap (``dbms.memory.transaction.total.max``). A console query that
    collects more fails with a memory-limit error; the server and other sessions go on.
    """

    home: Path
    port: int
    password: str
    heap: str = "2g"
    pagecache: str = "512m"
    tx_memory: str | None = None

    def __post_init__(self) -> None:
        self.home = Path(self.home).expanduser().resolve()
        heap = memory_bytes(self.heap, what="heap")
        if self.tx_memory is None:
            self.tx_memory = os.environ.get("GRAPHCAP_NEO4J_TX_MEMORY") or f"{heap // 4 >> 20}m"
        tx = memory_bytes(self.tx_memory, what="GRAPHCAP_NEO4J_TX_MEMORY")
        if not 8 << 20 <= tx <= self.tx_total_bytes:
            raise ServerError(
                _(
                    "GRAPHCAP_NEO4J_TX_MEMORY must be from 8m to 70 % of the heap ({tx_total_bytes}m of {heap}), got {tx_memory!r}"
                ).format(
                    tx_total_bytes=self.tx_total_bytes >> 20,
                    heap=self.heap,
                    tx_memory=self.tx_memory,
                )
            )
        if len(self.password) < 8:
            raise ServerError(_("the local Neo4j password must have at least 8 characters"))

    @property
    def tx_total_bytes(self) -> int:
        """Heap all transactions together may hold: 70 % of the heap (Neo4j's own default)."""
        return memory_bytes(self.heap, what="heap") * 7 // 10

    # -- files ----------------------------------------------------------------------------

    @property
    def log_file(self) -> Path:
        return self.home / _LOG_NAME

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def gds_file(self) -> Path:
        return self.home / "neo4j.gds"

    @property
    def import_dir(self) -> Path:
        return self.home / "import"

    @property
    def settings(self) -> Neo4jSettings:
        return Neo4jSettings(
            uri=f"neo4j://127.0.0.1:{self.port}", user="neo4j", password=self.password
        )

    @property
    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if _pid_alive(pid):
            return pid
        child = _CHILDREN.pop(pid, None)
        if child is not None:  # our own server died by itself: reap it
            child.poll()
        return None

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return "(no log written)"
        return "\n".join(text.rstrip().splitlines()[-lines:])

    # -- life cycle -----------------------------------------------------------------------

    def status(self) -> dict[str, object]:
        pid = self.pid
        return {
            "running": pid is not None and port_in_use(self.port),
            "pid": pid,
            "gds": pid is not None and self.gds_file.exists(),
            "uri": self.settings.uri,
            "home": str(self.home),
            "log": str(self.log_file),
        }

    def start(self, *, timeout_s: float = 180.0, gds: bool = False) -> LocalNeo4j:
        """Start the server and wait until Bolt accepts connections.

        ``gds=True`` resolves Graph Data Science (first time) and registers it in the server.
        Raises :class:`ServerError` when Java or Maven is missing or too old, when the port is
        taken, when a running server lacks the asked-for GDS, or when the server does not come
        up in time (with the tail of its log).
        """
        if self.pid is not None:
            if port_in_use(self.port):
                if gds and not self.gds_file.exists():
                    raise ServerError(
                        _(
                            "the local Neo4j at {uri} runs without Graph Data Science; stop it (`graphcap neo4j stop`) and start it with --with-gds"
                        ).format(uri=self.settings.uri)
                    )
                return self
            raise ServerError(
                _(
                    "a local Neo4j process (pid {pid}) is running from {home} but does not answer "
                    "on port {port}; stop it with `graphcap neo4j stop`. Log tail:\n{log_tail}"
                ).format(pid=self.pid, home=self.home, port=self.port, log_tail=self.log_tail())
            )
        if port_in_use(self.port):
            raise ServerError(
                _(
                    "port {port} on 127.0.0.1 is taken by another program; stop it or choose another port with --port / GRAPHCAP_NEO4J_PORT"
                ).format(port=self.port)
            )
        java = check_java()
        src = build()
        if gds:
            build_gds()
        self.home.mkdir(parents=True, exist_ok=True)
        self.gds_file.unlink(missing_ok=True)
        self.import_dir.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "GRAPHCAP_NEO4J_PASSWORD": self.password,
            "GRAPHCAP_NEO4J_PAGECACHE": self.pagecache,
            "GRAPHCAP_NEO4J_TX_MEMORY": str(self.tx_memory),
            "GRAPHCAP_NEO4J_TX_TOTAL_MEMORY": f"{self.tx_total_bytes >> 20}m",
        }
        cmd = [
            java,
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8",
            # the options Neo4j's own launcher passes, so the page cache runs in its fast mode
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-XX:-OmitStackTraceInFastThrow",
            "-cp",
            _classpath(src, gds=gds),
            _MAIN_CLASS,
            str(self.home),
            str(self.port),
        ]
        start_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # outlives the CLI; stopped by `graphcap neo4j stop`
            )
        _CHILDREN[proc.pid] = proc
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                _CHILDREN.pop(proc.pid, None)
                self.pid_file.unlink(missing_ok=True)
                raise ServerError(
                    _(
                        "the local Neo4j exited during start-up (exit {returncode}); log {log_file} ends with:\n{log_tail}"
                    ).format(
                        returncode=proc.returncode, log_file=self.log_file, log_tail=self.log_tail()
                    )
                )
            if self._ready_since(start_offset) and port_in_use(self.port):
                if gds:
                    if not self._ready_since(start_offset, _GDS_READY):
                        self.stop()
                        raise ServerError(
                            _(
                                "the local Neo4j started but registered no Graph Data Science procedures; log {log_file} ends with:\n{log_tail}"
                            ).format(log_file=self.log_file, log_tail=self.log_tail())
                        )
                    self.gds_file.write_text(GDS_VERSION + "\n")
                return self
            time.sleep(0.2)
        self.kill()
        raise ServerError(
            _(
                "the local Neo4j did not come up within {timeout_s:.0f} s; log {log_file} ends with:\n{log_tail}"
            ).format(timeout_s=timeout_s, log_file=self.log_file, log_tail=self.log_tail())
        )

    def _ready_since(self, offset: int, marker: str = _READY) -> bool:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(offset)
                return marker.encode() in f.read()
        except OSError:
            return False

    def stop(self, *, timeout_s: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout_s``).
        Returns False when it was not running."""
        pid = self.pid
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            self.gds_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, timeout_s):
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
        self.pid_file.unlink(missing_ok=True)
        self.gds_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would. For fault tests."""
        pid = self.pid
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
        self.pid_file.unlink(missing_ok=True)
        self.gds_file.unlink(missing_ok=True)

    def import_offline(self, nodes: Path, edges: Path, *, memory: str = "1g") -> str:
        """Create this server's database from ``nodes``/``edges`` (typed-header CSV, see
        :mod:`graphcap.store.bulk`) with Neo4j's offline importer (``neo4j-admin database
        import full``, run from the server's own jars as ``org.neo4j.cli.AdminTool``). The
        server must be stopped; the database is replaced. Returns the importer's report;
        raises :class:`ServerError` with its output when it fails."""
        if self.pid is not None:
            raise ServerError(
                _("the local Neo4j at {home} runs; stop it before --bulk").format(home=self.home)
            )
        java = check_java()
        lib = build() / "target" / "lib"
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").touch()
        cmd = [
            java,
            f"-Xmx{self.heap}",
            "-cp",
            f"{lib}/*",
            "org.neo4j.cli.AdminTool",
            "database",
            "import",
            "full",
            f"--nodes={nodes}",
            f"--relationships={edges}",
            "--multiline-fields=true",
            f"--threads={max(1, min(4, os.cpu_count() or 1))}",
            f"--max-off-heap-memory={memory}",
            "--overwrite-destination",
            "neo4j",
        ]
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)}
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode:
            raise ServerError(
                _("Neo4j's offline importer failed (exit {code}):\n{output}").format(
                    code=proc.returncode, output=(proc.stdout + proc.stderr)[-3000:]
                )
            )
        return proc.stdout


def _wait_gone(pid: int, timeout_s: float = 30.0) -> bool:
    """Wait until ``pid`` has exited (and reap it when it is our child). True when gone."""
    child = _CHILDREN.get(pid)
    if child is not None:
        try:
            child.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return False
        _CHILDREN.pop(pid, None)
        return True
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return not _pid_alive(pid)
