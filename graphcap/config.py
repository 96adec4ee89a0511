"""Settings: where Neo4j is, the console's limits, metric parameters, the project's schema.

Every setting has a default and a help text (:data:`SETTINGS_HELP`). Values come, in order of
precedence, from keyword arguments, the environment (``NEO4J_URI``, ``GRAPHCAP_MAX_ROWS`` ...), the
project file ``graphcap.toml`` (path in ``GRAPHCAP_CONFIG`` or the current directory), then
defaults. Secrets (the Neo4j password) come only from the environment, Streamlit secrets (passed
in by the UI) or the local server's generated password file, never from code, and are never
printed: :class:`Neo4jSettings` hides the password in ``repr``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graphcap.errors import ConfigError
from graphcap.model import DEFAULT_SCHEMA, QUALITY_DIMENSIONS, Schema

__all__ = [
    "SETTINGS_HELP",
    "Limits",
    "Neo4jSettings",
    "ProjectConfig",
    "StrengthConfig",
    "data_dir",
    "load_project_config",
]

SETTINGS_HELP: Mapping[str, str] = {
    "NEO4J_URI": "Bolt URI of the Neo4j to use, e.g. neo4j://127.0.0.1:7687. Unset: the local "
    "Neo4j that `graphcap neo4j start` runs.",
    "NEO4J_USER": "Neo4j user name (default neo4j).",
    "NEO4J_PASSWORD": "Neo4j password. Unset with the local server: its generated password.",
    "NEO4J_DATABASE": "Neo4j database name (default neo4j).",
    "GRAPHCAP_DATA_DIR": "Where the local Neo4j keeps its data, logs and password "
    "(default: the user's data dir).",
    "GRAPHCAP_NEO4J_PORT": "Bolt port of the local Neo4j (default 7687; bound to 127.0.0.1).",
    "GRAPHCAP_QUERY_TIMEOUT_S": "Time limit of one console query in seconds (default 10, > 0).",
    "GRAPHCAP_MAX_ROWS": "Row cap of one console query (default 5000, > 0).",
    "GRAPHCAP_SNAPSHOT": "Snapshot file the app reads when no Neo4j is connected.",
    "GRAPHCAP_CONFIG": "Path of the project config (default ./graphcap.toml if present).",
}


def data_dir() -> Path:
    """The user's graphcap data dir (``GRAPHCAP_DATA_DIR`` or the platform's user data dir)."""
    explicit = os.environ.get("GRAPHCAP_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("graphcap", appauthor=False))


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach Neo4j. ``password`` is never shown in ``repr`` or messages."""

    uri: str = "neo4j://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"
    explicit: bool = False  # True when NEO4J_URI was given (no local server management)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
    ) -> Neo4jSettings:
        """Settings from the environment, then Streamlit secrets (``[neo4j]`` table or flat keys),
        then the local server (its port and generated password)."""
        env = os.environ if env is None else env
        sec: Mapping[str, Any] = {}
        if secrets:
            sec = secrets.get("neo4j", secrets) if isinstance(secrets.get("neo4j"), Mapping) else secrets

        def pick(name: str, short: str) -> str | None:
            if env.get(name):
                return env[name]
            for key in (name, short, name.lower(), short.lower()):
                if key in sec and sec[key] not in (None, ""):
                    return str(sec[key])
            return None

        uri = pick("NEO4J_URI", "uri")
        user = pick("NEO4J_USER", "user") or "neo4j"
        password = pick("NEO4J_PASSWORD", "password")
        database = pick("NEO4J_DATABASE", "database") or "neo4j"
        if uri:
            return cls(uri=uri, user=user, password=password or "", database=database, explicit=True)
        port = local_port(env)
        if password is None:
            pw_file = data_dir() / "neo4j" / "password"
            password = pw_file.read_text().strip() if pw_file.exists() else ""
        return cls(
            uri=f"neo4j://127.0.0.1:{port}", user=user, password=password, database=database
        )


def local_port(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    raw = env.get("GRAPHCAP_NEO4J_PORT", "7687")
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"GRAPHCAP_NEO4J_PORT must be a port number, got {raw!r}") from None
    if not 1 <= port <= 65535:
        raise ConfigError(f"GRAPHCAP_NEO4J_PORT must be between 1 and 65535, got {port}")
    return port


@dataclass(frozen=True)
class Limits:
    """Limits of the analyst console. Never unlimited: zero or negative values are refused."""

    query_timeout_s: float = 10.0
    max_rows: int = 5000

    def __post_init__(self) -> None:
        if not (isinstance(self.query_timeout_s, int | float) and self.query_timeout_s > 0):
            raise ConfigError(
                f"query_timeout_s must be a positive number of seconds, got {self.query_timeout_s!r} "
                "(set GRAPHCAP_QUERY_TIMEOUT_S or [limits] query_timeout_s)"
            )
        if not (isinstance(self.max_rows, int) and self.max_rows > 0):
            raise ConfigError(
                f"max_rows must be a positive whole number, got {self.max_rows!r} "
                "(set GRAPHCAP_MAX_ROWS or [limits] max_rows)"
            )


@dataclass(frozen=True)
class StrengthConfig:
    """Parameters of the relationship-strength model (see graphcap.metrics.strength).

    ``weights`` weigh the quality dimensions; ``interaction_weight`` is the share of the
    interaction-log component (recency, frequency, reciprocity) where a log exists.
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "trust": 0.35,
            "commitment": 0.25,
            "responsiveness": 0.2,
            "mutual_interest": 0.2,
        }
    )
    interaction_weight: float = 0.3
    half_life_days: float = 180.0

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(QUALITY_DIMENSIONS)
        if unknown:
            raise ConfigError(
                f"[strength] weights has unknown dimension(s) {sorted(unknown)}; "
                f"known: {', '.join(QUALITY_DIMENSIONS)}"
            )
        if any((not isinstance(w, int | float)) or w < 0 for w in self.weights.values()):
            raise ConfigError("[strength] weights must be non-negative numbers")
        if sum(self.weights.values()) <= 0:
            raise ConfigError("[strength] weights must not all be zero")
        if not 0 <= self.interaction_weight <= 1:
            raise ConfigError("[strength] interaction_weight must be in [0, 1]")
        if not self.half_life_days > 0:
            raise ConfigError("[strength] half_life_days must be positive")


#: Default contact targets in days per stakeholder type (graphcap.metrics.cadence; 0: none).
DEFAULT_CADENCE_DAYS: Mapping[str, int] = {"customer": 60, "partner": 90, "supplier": 120, "agency": 180}
_DEFAULT_CADENCE = DEFAULT_CADENCE_DAYS


def _cadence(raw: Any, schema: Schema, source: Path | None) -> dict[str, int]:
    out = dict(_DEFAULT_CADENCE)
    if not isinstance(raw, dict):
        raise ConfigError(f"config file {source}: [cadence] must be a table of type = days")
    for kind, days in raw.items():
        if kind not in schema.node_types:
            raise ConfigError(f"config file {source}: [cadence] {kind!r} is not a stakeholder type; "
                              f"known: {', '.join(sorted(schema.node_types))}")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            raise ConfigError(f"config file {source}: [cadence] {kind} must be whole days between 1 "
                              "and 3650, or 0 for no target")
        if days == 0:
            out.pop(kind, None)
        else:
            out[kind] = days
    return out


@dataclass(frozen=True)
class ProjectConfig:
    """Everything a project's ``graphcap.toml`` can set."""

    schema: Schema = DEFAULT_SCHEMA
    limits: Limits = field(default_factory=Limits)
    strength: StrengthConfig = field(default_factory=StrengthConfig)
    source: Path | None = None
    #: contact targets in days per stakeholder type (graphcap.metrics.cadence); ``[cadence]``
    cadence_days: Mapping[str, int] = field(default_factory=lambda: dict(_DEFAULT_CADENCE))

    def with_limits(self, **changes: Any) -> ProjectConfig:
        return replace(self, limits=replace(self.limits, **changes))


def _env_number(env: Mapping[str, str], name: str, kind: type) -> Any:
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a {kind.__name__}, got {raw!r}") from None


def load_project_config(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> ProjectConfig:
    """Read the project config (TOML) and the environment overrides.

    The file may contain::

        [schema.node_types]          # extra stakeholder types: name = "Label"
        investor = "Investor"
        [schema.rel_types]           # extra relationship types: TYPE = "what it means"
        FUNDS = "investor funds the organisation"
        [limits]
        query_timeout_s = 10
        max_rows = 5000
        [strength]
        half_life_days = 180
        interaction_weight = 0.3
        [strength.weights]
        trust = 0.35
        [cadence]                    # contact targets in days per stakeholder type (0: none)
        customer = 30
    """
    env = os.environ if env is None else env
    if path is None:
        path = env.get("GRAPHCAP_CONFIG") or None
        if path is None and Path("graphcap.toml").exists():
            path = "graphcap.toml"
    data: dict[str, Any] = {}
    source = None
    if path is not None:
        source = Path(path)
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {source} does not exist (GRAPHCAP_CONFIG)") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {source} is not valid TOML: {exc}") from exc
    known = {"schema", "limits", "strength", "cadence", "access"}  # access: graphcap.access
    unknown = set(data) - known
    if unknown:
        raise ConfigError(
            f"config file {source}: unknown section(s) {sorted(unknown)}; known: {sorted(known)}"
        )
    sch = data.get("schema", {})
    schema = DEFAULT_SCHEMA.extend(
        node_types=sch.get("node_types") or None, rel_types=sch.get("rel_types") or None
    )
    lim = dict(data.get("limits", {}))
    t = _env_number(env, "GRAPHCAP_QUERY_TIMEOUT_S", float)
    if t is not None:
        lim["query_timeout_s"] = t
    r = _env_number(env, "GRAPHCAP_MAX_ROWS", int)
    if r is not None:
        lim["max_rows"] = r
    try:
        limits = Limits(**lim)
        strength = StrengthConfig(**data.get("strength", {}))
    except TypeError as exc:
        raise ConfigError(f"config file {source}: {exc}") from exc
    cadence = _cadence(data.get("cadence", {}), schema, source)
    return ProjectConfig(schema=schema, limits=limits, strength=strength, source=source,
                         cadence_days=cadence)
