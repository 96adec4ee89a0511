"""An installed graphcap (a wheel in a fresh venv, run outside the checkout) starts its own app
and its own local Neo4j.

The wheel is built from this checkout with ``pip wheel --no-deps`` and installed with
``--no-deps --no-index``; the dependencies come from the test venv's site-packages through a
``.pth`` line placed *after* the fresh venv's own site-packages, so the installed graphcap (not
the editable checkout) is what runs, and nothing is downloaded.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from tests.ui.appserver import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin/`` folder of a fresh venv with the graphcap wheel installed."""
    base = tmp_path_factory.mktemp("installed")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        cwd=base,
        timeout=600,
    )
    (wheel,) = wheels.glob("graphcap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "graphcap/py.typed",
        "graphcap/ui/app.py",
        "graphcap/ui/pages/overview.py",
        "graphcap/ui/streamlit_config.toml",
        "graphcap/localdb_src/pom.xml",
        "graphcap/localdb_src/gds/pom.xml",
        "loaders/frames.py",
        "queries/",
    ):
        assert any(n.startswith(shipped) for n in names), shipped
    assert not any("/target/" in n for n in names), "built jars must not ship"
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    own_site = subprocess.run(
        [str(py), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in site.getsitepackages() if p != own_site]
    Path(own_site, "zz_test_dependencies.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=True,
        timeout=600,
    )
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import graphcap, loaders; print(graphcap.__file__);print(loaders.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=base,
    ).stdout.split()
    assert all(w.startswith(own_site) for w in where), where
    return env_dir / "bin"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRAPHCAP_"))}
    env.update(
        {
            "GRAPHCAP_DATA_DIR": str(tmp / "data"),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "PYTHONPATH": "",
        }
    )
    return env


def test_graphcap_app_answers_health_from_an_installed_package(installed: Path, tmp_path) -> None:
    port = free_port()
    log = tmp_path / "app.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(installed / "graphcap"), "app", "--port", str(port)],
            cwd=tmp_path,
            env=_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    status = r.status, r.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert status == (200, "ok"), log.read_text(errors="replace")[-2000:]
        text = log.read_text(errors="replace")
        assert "127.0.0.1" in text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # stopping `graphcap app` stops the Streamlit server it started (no orphan on the port)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
        except OSError:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the Streamlit server still answers after graphcap app was stopped")


def test_installed_app_runs_its_pages(installed: Path, tmp_path) -> None:
    """The packaged entry file and pages run (AppTest in the installed venv, on the sample)."""
    code = (
        "from importlib import resources\n"
        "from streamlit.testing.v1 import AppTest\n"
        "entry = str(resources.files('graphcap.ui').joinpath('app.py'))\n"
        "at = AppTest.from_file(entry, default_timeout=240).run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "at.switch_page('pages/risks.py').run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "print('pages ok', entry)\n"
    )
    out = subprocess.run(
        [str(installed / "python"), "-c", code],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "pages ok" in out.stdout and "site-packages" in out.stdout


@pytest.mark.integration
def test_graphcap_neo4j_start_from_an_installed_package(installed: Path, tmp_path) -> None:
    env = _env(tmp_path)
    port = str(free_port())
    gc = str(installed / "graphcap")
    start = subprocess.run(
        [gc, "neo4j", "start", "--port", port, "--heap", "512m"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    try:
        assert start.returncode == 0, start.stdout + start.stderr
        assert f"127.0.0.1:{port}" in start.stdout
        built = tmp_path / "data" / "localdb-src"
        assert any(built.glob("*/target/lib/neo4j-kernel-*.jar")), "built in the user data dir"
        status = subprocess.run(
            [gc, "neo4j", "status", "--port", port, "--format", "json"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert status.returncode == 0, status.stderr
        assert '"running": true' in status.stdout
    finally:
        subprocess.run(
            [gc, "neo4j", "stop", "--port", port],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )
