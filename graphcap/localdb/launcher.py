"""Building the local Neo4j's Java launcher: Neo4j Community from Maven Central (and, on request,
Graph Data Science), the Java and Maven it needs, the Maven project it is built from.

Part of :mod:`graphcap.localdb`; :mod:`graphcap.localdb.server` runs what is built here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from graphcap.config import data_dir
from graphcap.errors import ServerError
from graphcap.i18n import gettext as _

__all__ = ["build", "build_gds", "check_java", "check_maven"]

MIN_JAVA = 17
NEO4J_VERSION = "5.26.30"
GDS_VERSION = "2.13.9"
_MAIN_CLASS = "io.graphcap.localdb.LocalNeo4j"


def source_dir() -> Path:
    """The Java launcher's Maven project to build and run.

    ``GRAPHCAP_LOCALDB_SRC`` when set; else the project shipped in the package
    (``graphcap/localdb_src``), built in place in a source checkout (where ``make neo4j-build``
    put its ``target/``); an installed graphcap copies it to ``<data dir>/localdb-src/<Neo4j
    version>`` first, so nothing is written into site-packages.
    """
    explicit = os.environ.get("GRAPHCAP_LOCALDB_SRC")
    if explicit:
        path = Path(explicit)
    else:
        shipped = Path(__file__).resolve().parents[1] / "localdb_src"
        checkout = (shipped.parents[1] / "pyproject.toml").exists() and os.access(shipped, os.W_OK)
        path = shipped if checkout or (shipped / "target").is_dir() else _user_copy(shipped)
    if not (path / "pom.xml").exists():
        raise ServerError(
            _(
                "the local Neo4j's Maven project was not found at {path}; reinstall graphcap, set GRAPHCAP_LOCALDB_SRC, or use a Neo4j server via NEO4J_URI"
            ).format(path=path)
        )
    return path


def _user_copy(shipped: Path) -> Path:
    """The shipped Maven project copied to the user data dir (refreshed when it changed)."""
    target = data_dir() / "localdb-src" / NEO4J_VERSION
    if not (shipped / "pom.xml").exists():
        return shipped  # the caller reports it missing
    poms = [
        shipped / "pom.xml",
        *([shipped / "gds" / "pom.xml"] if (shipped / "gds" / "pom.xml").exists() else []),
    ]
    for source in [*poms, *sorted((shipped / "src").rglob("*.java"))]:
        copy = target / source.relative_to(shipped)
        if not copy.exists() or copy.read_bytes() != source.read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(source.read_bytes())
    return target


def check_java() -> str:
    """Path of a ``java`` of version >= 17, or :class:`ServerError` saying what to install."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise ServerError(
            _(
                "Java was not found: the local Neo4j needs Java 17 or newer (e.g. `apt-get install openjdk-17-jre-headless`), or set NEO4J_URI to use another Neo4j"
            )
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    text = out.stderr + out.stdout
    m = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not m:
        raise ServerError(
            _("could not tell the version of {java}: {strip}").format(
                java=java, strip=text.strip()[:200]
            )
        )
    major = int(m.group(1))
    if major == 1 and m.group(2):  # "1.8.0" style
        major = int(m.group(2))
    if major < MIN_JAVA:
        raise ServerError(
            _(
                "{java} is Java {major}; the local Neo4j needs Java {min_java} or newer (set JAVA_HOME to a newer JDK, or set NEO4J_URI to use another Neo4j)"
            ).format(java=java, major=major, min_java=MIN_JAVA)
        )
    return java


def check_maven() -> str:
    """Path of ``mvn`` (Maven 3.6+), or :class:`ServerError`."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError(
            _(
                "Maven was not found: the local Neo4j is resolved from Maven Central with Maven (e.g. `apt-get install maven`), or set NEO4J_URI to use another Neo4j"
            )
        )
    return mvn


def _classpath(src: Path, *, gds: bool = False) -> str:
    target = src / "target"
    parts = [target / "graphcap-localdb-1.0.jar", target / "lib" / "*"]
    if gds:
        parts.append(target / "gds-lib" / "*")
    return os.pathsep.join(str(p) for p in parts)


def _is_built(src: Path) -> bool:
    jar = src / "target" / "graphcap-localdb-1.0.jar"
    lib = src / "target" / "lib"
    if not jar.exists() or not lib.is_dir() or not any(lib.glob("neo4j-kernel-*.jar")):
        return False
    newest_source = max(p.stat().st_mtime for p in [src / "pom.xml", *src.rglob("*.java")])
    return jar.stat().st_mtime >= newest_source


def build(*, force: bool = False, quiet: bool = True) -> Path:
    """Resolve Neo4j from Maven Central and build the launcher (cached in ``~/.m2``)."""
    src = source_dir()
    if not force and _is_built(src):
        return src
    check_java()
    mvn = check_maven()
    cmd = [mvn, "-B", "package", "-DskipTests"] + (["-q"] if quiet else [])
    proc = subprocess.run(cmd, cwd=src, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise ServerError(
            _(
                "building the local Neo4j with Maven failed (exit {returncode}) in {src}:\n{tail}"
            ).format(returncode=proc.returncode, src=src, tail=tail)
        )
    return src


def _gds_built(src: Path) -> bool:
    lib = src / "target" / "gds-lib"
    jar = lib / f"proc-{GDS_VERSION}.jar"
    return jar.exists() and jar.stat().st_mtime >= (src / "gds" / "pom.xml").stat().st_mtime


def build_gds(*, force: bool = False) -> Path:
    """Resolve Graph Data Science Community from Maven Central into ``target/gds-lib``.

    Optional (GPLv3) and separate from :func:`build`: only ``start(gds=True)`` asks for it.
    """
    src = build()
    if not force and _gds_built(src):
        return src / "target" / "gds-lib"
    mvn = check_maven()
    proc = subprocess.run(
        [mvn, "-B", "-q", "package"], cwd=src / "gds", capture_output=True, text=True, timeout=1800
    )
    jar = src / "target" / "gds-lib" / f"proc-{GDS_VERSION}.jar"
    if proc.returncode == 0 and jar.exists():
        # Maven leaves an already copied jar with its old time; mark the folder as built now
        jar.touch()
    if proc.returncode != 0 or not _gds_built(src):
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise ServerError(
            _(
                "resolving Graph Data Science {gds_version} from Maven Central failed (exit {returncode}) in {src}:\n{value}"
            ).format(
                gds_version=GDS_VERSION,
                returncode=proc.returncode,
                src=src / "gds",
                value=tail or "(no output)",
            )
        )
    return src / "target" / "gds-lib"
