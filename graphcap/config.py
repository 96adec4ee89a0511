"""Settings: where Neo4j is, the console's limits, metric parameters, the project's schema.

Every setting has a default and a help text (:data:`SETTINGS_HELP`). Values come, in order of
precedence, from keyword arguments, the environment (``NEO4J_URI``, ``GRAPHCAP_MAX_ROWS`` ...), the
project file ``graphcap.toml`` (path in ``GRAPHCAP_CONFIG`` or the current directory), then
defaults. Secrets (the Neo4j password) come only from the environment, Streamlit secrets (passed
in by the UI) or the local server's generated password file, never from code, and are never
printed: :class:`Neo4jSettings` hides the password in ``repr``.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from graphcap.errors import ConfigError
from graphcap.i18n import LANGUAGES, current_language, gettext, normalise_language
from graphcap.model.schema import DEFAULT_SCHEMA, QUALITY_DIMENSIONS, Schema

__all__ = [
    "LIMIT_SETTINGS",
    "SETTINGS_HELP",
    "DEFAULT_CURRENCY",
    "METRICS_ENGINES",
    "Limits",
    "Setting",
    "Neo4jSettings",
    "ProjectConfig",
    "StrengthConfig",
    "VALUE_KINDS",
    "ValueConfig",
    "check_currency",
    "check_language",
    "data_dir",
    "load_project_config",
    "redact_uri",
]

_CONNECTION_HELP: dict[str, str] = {
    "NEO4J_URI": "Bolt URI of the Neo4j to use, e.g. neo4j://127.0.0.1:7687. Unset: the local "
    "Neo4j that `graphcap neo4j start` runs.",
    "NEO4J_USER": "Neo4j user name (default neo4j).",
    "NEO4J_PASSWORD": "Neo4j password. Unset with the local server: its generated password.",
    "NEO4J_DATABASE": "Neo4j database name (default neo4j).",
    "GRAPHCAP_DATA_DIR": "Where the local Neo4j keeps its data, logs and password "
    "(default: the user's data dir).",
    "GRAPHCAP_NEO4J_PORT": "Bolt port of the local Neo4j (default 7687; bound to 127.0.0.1).",
    "GRAPHCAP_SNAPSHOT": "Snapshot file the app reads when no Neo4j is connected.",
    "GRAPHCAP_CONFIG": "Path of the project config (default ./graphcap.toml if present).",
    "GRAPHCAP_METRICS_ENGINE": "metrics.engine: who computes position and community measures. "
    "'local' (default): this process; 'gds': Neo4j Graph Data Science on the server (PageRank, "
    "betweenness, Leiden, k-core, articulation points, bridges; the rest stays local). Also "
    "[metrics] engine in graphcap.toml and `graphcap metrics --engine`.",
    "GRAPHCAP_LANG": "Language of the app, the reports and the command line: en (default) or de. "
    "Also [locale] language in graphcap.toml and --lang.",
    "GRAPHCAP_CURRENCY": "Currency of the amounts in reports and the app, an ISO 4217 code "
    "(default EUR). Also [locale] currency in graphcap.toml and `graphcap export --currency`.",
}

#: The currency amounts are in unless a project says otherwise.
DEFAULT_CURRENCY = "EUR"


def check_currency(value: Any, setting: str = "GRAPHCAP_CURRENCY") -> str:
    """``value`` as an ISO 4217 currency code (``"eur"`` → ``"EUR"``), or a
    :class:`ConfigError` naming ``setting``.

    >>> check_currency(" usd ")
    'USD'
    """
    from babel.numbers import list_currencies

    code = value.strip().upper() if isinstance(value, str) else None
    if not code or code not in list_currencies():
        raise ConfigError(
            gettext(
                "{setting} must be an ISO 4217 currency code such as EUR, USD or CHF, got {value!r}"
            ).format(setting=setting, value=value)
        )
    return code


def check_language(value: Any, setting: str = "GRAPHCAP_LANG") -> str:
    """``value`` as a language graphcap speaks (``"de-AT"`` → ``"de"``), or a
    :class:`ConfigError` naming ``setting`` and the languages there are."""

    code = normalise_language(value)
    if code is None:
        raise ConfigError(
            gettext("{setting} must be one of {languages}, got {value!r}").format(
                setting=setting, languages=", ".join(LANGUAGES), value=value
            )
        )
    return code


#: Values of metrics.engine.
METRICS_ENGINES = ("local", "gds")


def data_dir() -> Path:
    """The user's graphcap data dir (``GRAPHCAP_DATA_DIR`` or the platform's user data dir)."""
    explicit = os.environ.get("GRAPHCAP_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("graphcap", appauthor=False))


_SECRET_QUERY_KEYS = {"password", "pass", "pwd", "passwd", "token", "secret", "key", "auth",
                      "credentials", "apikey", "api_key"}  # fmt: skip
_USERINFO_RE = re.compile(r"(?<=//)[^/@\s]*@")


def redact_uri(uri: str) -> str:
    """``uri`` safe to show: user name and password inside it (``neo4j://u:pw@host``) and
    query values that look like secrets (``?password=...``) replaced by ``***``. The one
    function every message, log line and page uses to show a URI.

    >>> redact_uri("neo4j://neo4j:s3cret@db.example:7687")
    'neo4j://***@db.example:7687'
    >>> redact_uri("neo4j+s://db.example?policy=eu&password=x")
    'neo4j+s://db.example?policy=eu&password=***'
    """
    text = _USERINFO_RE.sub("***@", str(uri))
    head, sep, query = text.partition("?")
    if sep:
        parts = []
        for item in query.split("&"):
            key, eq, _ = item.partition("=")
            secret = eq and key.strip().lower() in _SECRET_QUERY_KEYS
            parts.append(f"{key}=***" if secret else item)
        text = head + "?" + "&".join(parts)
    return text


def _split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """(``uri`` without user info, the user, the password) -- None where the URI has none."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return _USERINFO_RE.sub("", uri), None, None
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return clean, unquote(user) or None, unquote(password) if colon else None


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach Neo4j. ``password`` is never shown in ``repr`` or messages.

    Credentials written into the URI (``neo4j://user:pw@host``) are taken out of it when the
    settings are made: they become ``user``/``password`` (unless those were given separately)
    and ``uri`` never holds them, so no message, log or page can show them.
    """

    uri: str = "neo4j://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"
    explicit: bool = False  # True when NEO4J_URI was given (no local server management)

    def __post_init__(self) -> None:
        clean, user, password = _split_userinfo(self.uri)
        if clean != self.uri:
            object.__setattr__(self, "uri", clean)
            if user and self.user in ("", "neo4j"):
                object.__setattr__(self, "user", user)
            if password is not None and not self.password:
                object.__setattr__(self, "password", password)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
    ) -> Neo4jSettings:
        """Settings from the environment, then Streamlit secrets (``[neo4j]`` table or flat keys),
        then the local server (its port and generated password)."""
        env = os.environ if env is None else env
        sec: Mapping[str, Any] = {}
        if secrets:
            sec = (
                secrets.get("neo4j", secrets)
                if isinstance(secrets.get("neo4j"), Mapping)
                else secrets
            )

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
            return cls(
                uri=uri, user=user, password=password or "", database=database, explicit=True
            )
        port = local_port(env)
        if password is None:
            remembered = remembered_server()
            home = remembered[0] if remembered else data_dir() / "neo4j"
            pw_file = home / "password"
            password = pw_file.read_text().strip() if pw_file.exists() else ""
        return cls(uri=f"neo4j://127.0.0.1:{port}", user=user, password=password, database=database)


#: where ``graphcap neo4j start`` remembers the local server it started (its folder and port)
REMEMBERED_SERVER = "neo4j-server.json"


def remembered_server() -> tuple[Path, int] | None:
    """``(home, port)`` of the local server ``graphcap neo4j start`` last started, if any: later
    commands and the app find it (and its password) without environment variables."""
    try:
        data = json.loads((data_dir() / REMEMBERED_SERVER).read_text(encoding="utf-8"))
        home, port = Path(str(data["home"])), int(data["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (home, port) if 1 <= port <= 65535 else None


def local_port(env: Mapping[str, str] | None = None) -> int:
    """``GRAPHCAP_NEO4J_PORT``, else the remembered local server's port, else 7687."""
    env = os.environ if env is None else env
    remembered = remembered_server()
    raw = env.get("GRAPHCAP_NEO4J_PORT") or str(remembered[1] if remembered else 7687)
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(
            gettext("GRAPHCAP_NEO4J_PORT must be a port number, got {raw!r}").format(raw=raw)
        ) from None
    if not 1 <= port <= 65535:
        raise ConfigError(
            gettext("GRAPHCAP_NEO4J_PORT must be between 1 and 65535, got {port}").format(port=port)
        )
    return port


def _grouped(number: int | float) -> str:
    """``number`` with thousands grouped (``f"{number:,}"``), in German with German signs.

    >>> _grouped(86_400), _grouped(0.001)
    ('86,400', '0.001')
    """
    text = f"{number:,}"
    if current_language() == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


@dataclass(frozen=True)
class Setting:
    """One numeric limit: its default, the range it must lie in, and what it means.

    ``kind`` is ``int`` or ``float``; a value is accepted only when it is of that kind (an
    ``int`` is fine for a ``float``; a ``bool`` never is), finite, and within
    ``[minimum, maximum]``.
    """

    name: str
    default: int | float
    kind: type
    minimum: int | float
    maximum: int | float
    help: str

    @property
    def env(self) -> str:
        """The environment variable that overrides it (``GRAPHCAP_`` + upper-case name)."""
        return "GRAPHCAP_" + self.name.upper()

    def check(self, value: Any, *, source: str = "") -> int | float:
        """``value`` if it is valid for this setting, else :class:`ConfigError` with one clear
        message naming the setting, the value, the rule and where to change it."""
        where = gettext(" (from {source})").format(source=source) if source else ""
        kind_ok = not isinstance(value, bool) and (
            isinstance(value, int) if self.kind is int else isinstance(value, int | float)
        )
        what = gettext("a whole number") if self.kind is int else gettext("a number")
        ok = kind_ok and math.isfinite(value) and self.minimum <= value <= self.maximum
        if not ok:
            raise ConfigError(
                gettext(
                    "{name} must be {what} from {minimum} to {maximum}, got {value!r}{where}; set {env} or [limits] {name} (default {default})"
                ).format(
                    name=self.name,
                    what=what,
                    minimum=_grouped(self.minimum),
                    maximum=_grouped(self.maximum),
                    value=value,
                    where=where,
                    env=self.env,
                    default=_grouped(self.default),
                )
            )
        return float(value) if self.kind is float else int(value)

    def parse(self, raw: str, *, source: str) -> int | float:
        """A value given as text (environment variable): parsed strictly, then checked."""
        text = raw.strip()
        try:
            value: int | float = int(text) if self.kind is int else float(text)
        except ValueError:
            what = gettext("a whole number") if self.kind is int else gettext("a number")
            raise ConfigError(
                gettext(
                    "{name} must be {what} from {minimum} to {maximum}, got {raw!r} (from {source}); default {default}"
                ).format(
                    name=self.name,
                    what=what,
                    minimum=_grouped(self.minimum),
                    maximum=_grouped(self.maximum),
                    raw=raw,
                    source=source,
                    default=_grouped(self.default),
                )
            ) from None
        return self.check(value, source=source)


_MB = 1024 * 1024

#: The limits table: every limit of the console and of file reading, with default and help.
#: docs/SECURITY.md lists the same table (a test keeps them equal).
LIMIT_SETTINGS: tuple[Setting, ...] = (
    Setting("query_timeout_s", 10.0, float, 0.001, 86_400,
            "Time limit of one console query in seconds; the server stops the query."),
    Setting("max_rows", 5000, int, 1, 10_000_000, "Row cap of one console query."),
    Setting("max_result_bytes", 64 * _MB, int, 1024, 4096 * _MB,
            "Byte cap of one console result (approximate size of the values read)."),
    Setting("max_file_bytes", 512 * _MB, int, 1024, 64 * 1024 * _MB,
            "Largest input file (as stored, compressed or not)."),
    Setting("max_uncompressed_bytes", 256 * _MB, int, 1024, 64 * 1024 * _MB,
            "Largest uncompressed content of a zipped CSV or of one XLSX part."),
    Setting("max_compression_ratio", 200, int, 2, 100_000,
            "Largest ratio uncompressed / compressed of a zip member (zip bombs exceed it)."),
    Setting("max_cell_chars", 32_767, int, 16, 10_000_000,
            "Longest text of one cell (32,767 is Excel's own cell limit)."),
    Setting("max_table_rows", 2_000_000, int, 1, 1_000_000_000,
            "Most data rows of one input table or sheet."),
    Setting("max_import_memory_mb", 2048, int, 64, 1_048_576,
            "Memory one import may take in MiB: a file whose reading would need more is "
            "refused before it is read, and reading stops when the process grows by more."),
    Setting("app_full_analysis_max_relationships", 200_000, int, 0, 10_000_000_000,
            "Above this many relationships the app and `graphcap export` do not analyse the "
            "whole network: they read the stored metrics (`graphcap metrics --write`), "
            "aggregate in Neo4j and draw a capped view."),
)  # fmt: skip
_BY_NAME = {s.name: s for s in LIMIT_SETTINGS}

#: Every environment variable graphcap reads, with its help text.
SETTINGS_HELP: Mapping[str, str] = {
    **_CONNECTION_HELP,
    **{
        s.env: f"{s.help} (default {s.default:,}; {s.minimum:,} to {s.maximum:,})"
        for s in LIMIT_SETTINGS
    },
}


@dataclass(frozen=True)
class Limits:
    """Limits of the console and of file reading (:data:`LIMIT_SETTINGS`). Never unlimited:
    every value is checked by type and range when the object is made."""

    query_timeout_s: float = 10.0
    max_rows: int = 5000
    max_result_bytes: int = 64 * _MB
    max_file_bytes: int = 512 * _MB
    max_uncompressed_bytes: int = 256 * _MB
    max_compression_ratio: int = 200
    max_cell_chars: int = 32_767
    max_table_rows: int = 2_000_000
    max_import_memory_mb: int = 2048
    app_full_analysis_max_relationships: int = 200_000

    def __post_init__(self) -> None:
        for setting in LIMIT_SETTINGS:
            object.__setattr__(self, setting.name, setting.check(getattr(self, setting.name)))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given: Any) -> Limits:
        """Limits from ``given`` (e.g. a config file's ``[limits]``), overridden by the
        environment (``GRAPHCAP_MAX_ROWS`` ...)."""
        env = os.environ if env is None else env
        unknown = set(given) - set(_BY_NAME)
        if unknown:
            raise ConfigError(
                gettext("unknown limit(s) {unknown}; known: {by_name}").format(
                    unknown=sorted(unknown), by_name=", ".join(_BY_NAME)
                )
            )
        values = dict(given)
        for setting in LIMIT_SETTINGS:
            raw = env.get(setting.env)
            if raw is not None and raw.strip():  # unset or blank: the file's value or default
                values[setting.name] = setting.parse(raw, source=setting.env)
        return cls(**values)


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
    #: Channels logged in one direction by nature (an order, a rating): no reciprocity from them.
    one_way_channels: tuple[str, ...] = ("order", "invoice", "payment", "rating", "register")
    #: Relationship types whose log is one-way by nature: no reciprocity for them.
    one_way_types: tuple[str, ...] = ()
    #: Edge sentiment at or below which a derived tie is negative (its strength is the sentiment).
    negative_sentiment: float = -0.5

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "one_way_channels", tuple(str(c).strip().lower() for c in self.one_way_channels)
        )
        object.__setattr__(
            self, "one_way_types", tuple(str(t).strip().upper() for t in self.one_way_types)
        )
        if not -1 <= self.negative_sentiment <= 0:
            raise ConfigError(gettext("[strength] negative_sentiment must be in [-1, 0]"))
        unknown = set(self.weights) - set(QUALITY_DIMENSIONS)
        if unknown:
            raise ConfigError(
                gettext(
                    "[strength] weights has unknown dimension(s) {unknown}; known: {quality_dimensions}"
                ).format(unknown=sorted(unknown), quality_dimensions=", ".join(QUALITY_DIMENSIONS))
            )
        if any((not isinstance(w, int | float)) or w < 0 for w in self.weights.values()):
            raise ConfigError(gettext("[strength] weights must be non-negative numbers"))
        if sum(self.weights.values()) <= 0:
            raise ConfigError(gettext("[strength] weights must not all be zero"))
        if not 0 <= self.interaction_weight <= 1:
            raise ConfigError(gettext("[strength] interaction_weight must be in [0, 1]"))
        if not self.half_life_days > 0:
            raise ConfigError(gettext("[strength] half_life_days must be positive"))


#: The kinds of money a relationship can carry; never added together.
VALUE_KINDS: tuple[str, ...] = ("revenue", "spend", "flow")


@dataclass(frozen=True)
class ValueConfig:
    """Which kind of money the ``volume`` of each relationship type is (graphcap.metrics.value).

    ``revenue``: the counterparty pays us (a customer BUYS_FROM the organisation); ``spend``: we
    pay the counterparty (a supplier SUPPLIES us, an agency SERVES us). Read in the type's usual
    direction (counterparty -> organisation); the other direction swaps revenue and spend (the
    organisation SUPPLIES a customer: revenue). Types not listed carry ``flow`` (other money).
    """

    kinds: Mapping[str, str] = field(
        default_factory=lambda: {"BUYS_FROM": "revenue", "SUPPLIES": "spend", "SERVES": "spend"}
    )

    def __post_init__(self) -> None:
        clean = {}
        for rel, kind in dict(self.kinds).items():
            if kind not in VALUE_KINDS:
                raise ConfigError(
                    gettext(
                        "[value.kinds] {rel} = {kind!r}: the kind must be one of {value_kinds}"
                    ).format(rel=rel, kind=kind, value_kinds=", ".join(VALUE_KINDS))
                )
            clean[str(rel).strip().upper()] = kind
        object.__setattr__(self, "kinds", clean)

    def kind_of(self, rel_type: str) -> str:
        """The kind of a relationship type's volume (``flow`` when not listed).

        >>> ValueConfig().kind_of("buys_from"), ValueConfig().kind_of("TRANSFERS")
        ('revenue', 'flow')
        """
        return self.kinds.get(str(rel_type).upper(), "flow")


#: Default contact targets in days per stakeholder type (graphcap.metrics.cadence; 0: none).
DEFAULT_CADENCE_DAYS: Mapping[str, int] = {
    "customer": 60,
    "partner": 90,
    "supplier": 120,
    "agency": 180,
}
_DEFAULT_CADENCE = DEFAULT_CADENCE_DAYS


def _cadence(raw: Any, schema: Schema, source: Path | None) -> dict[str, int]:
    out = dict(_DEFAULT_CADENCE)
    if not isinstance(raw, dict):
        raise ConfigError(
            gettext("config file {source}: [cadence] must be a table of type = days").format(
                source=source
            )
        )
    for kind, days in raw.items():
        if kind not in schema.node_types:
            raise ConfigError(
                gettext(
                    "config file {source}: [cadence] {kind!r} is not a stakeholder type; known: {node_types}"
                ).format(source=source, kind=kind, node_types=", ".join(sorted(schema.node_types)))
            )
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            raise ConfigError(
                gettext(
                    "config file {source}: [cadence] {kind} must be whole days between 1 and 3650, or 0 for no target"
                ).format(source=source, kind=kind)
            )
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
    value: ValueConfig = field(default_factory=ValueConfig)
    source: Path | None = None
    #: contact targets in days per stakeholder type (graphcap.metrics.cadence); ``[cadence]``
    cadence_days: Mapping[str, int] = field(default_factory=lambda: dict(_DEFAULT_CADENCE))
    metrics_engine: str = "local"
    #: ``[locale] language``: the project's language (None: not set; GRAPHCAP_LANG wins)
    language: str | None = None
    #: ``[locale] currency`` or GRAPHCAP_CURRENCY: ISO 4217 code of the amounts
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if self.metrics_engine not in METRICS_ENGINES:
            raise ConfigError(
                gettext(
                    "metrics engine must be one of {metrics_engines}, got {metrics_engine!r} (set GRAPHCAP_METRICS_ENGINE or [metrics] engine)"
                ).format(
                    metrics_engines=", ".join(METRICS_ENGINES), metrics_engine=self.metrics_engine
                )
            )

    def with_limits(self, **changes: Any) -> ProjectConfig:
        return replace(self, limits=replace(self.limits, **changes))


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
        [value.kinds]                # kind of money per relationship type: revenue, spend, flow
        SERVES = "spend"
        [metrics]
        engine = "local"             # or "gds": Neo4j Graph Data Science (GRAPHCAP_METRICS_ENGINE)
        [cadence]                    # contact targets in days per stakeholder type (0: none)
        customer = 30
        [locale]
        language = "de"              # en or de (GRAPHCAP_LANG and --lang win)
        currency = "EUR"             # ISO 4217 (GRAPHCAP_CURRENCY and --currency win)
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
            raise ConfigError(
                gettext("config file {source} does not exist (GRAPHCAP_CONFIG)").format(
                    source=source
                )
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                gettext("config file {source} is not valid TOML: {exc}").format(
                    source=source, exc=exc
                )
            ) from exc
    known = {
        "schema",
        "limits",
        "strength",
        "value",
        "metrics",
        "cadence",
        "access",
        "locale",
    }  # access: graphcap.access
    unknown = set(data) - known
    if unknown:
        raise ConfigError(
            gettext("config file {source}: unknown section(s) {unknown}; known: {known}").format(
                source=source, unknown=sorted(unknown), known=sorted(known)
            )
        )
    sch = data.get("schema", {})
    schema = DEFAULT_SCHEMA.extend(
        node_types=sch.get("node_types") or None, rel_types=sch.get("rel_types") or None
    )
    limits = Limits.from_env(env, **dict(data.get("limits", {})))
    met = dict(data.get("metrics", {}))
    unknown_m = set(met) - {"engine"}
    if unknown_m:
        raise ConfigError(
            gettext(
                "config file {source}: unknown [metrics] key(s) {unknown_m}; known: ['engine']"
            ).format(source=source, unknown_m=sorted(unknown_m))
        )
    engine = env.get("GRAPHCAP_METRICS_ENGINE") or met.get("engine", "local")
    try:
        st = dict(data.get("strength", {}))
        for key in ("one_way_channels", "one_way_types"):
            if key in st:
                if not isinstance(st[key], list) or not all(isinstance(x, str) for x in st[key]):
                    raise ConfigError(
                        gettext(
                            "config file {source}: [strength] {key} must be a list of names"
                        ).format(source=source, key=key)
                    )
                st[key] = tuple(st[key])
        strength = StrengthConfig(**st)
        val = dict(data.get("value", {}))
        kinds = val.pop("kinds", None)
        if val:
            raise ConfigError(
                gettext("config file {source}: [value] knows only 'kinds', got {val}").format(
                    source=source, val=sorted(val)
                )
            )
        value = ValueConfig(kinds={**ValueConfig().kinds, **(kinds or {})})
    except TypeError as exc:
        raise ConfigError(
            gettext("config file {source}: {exc}").format(source=source, exc=exc)
        ) from exc
    cadence = _cadence(data.get("cadence", {}), schema, source)
    loc = data.get("locale", {})
    if not isinstance(loc, dict) or set(loc) - {"language", "currency"}:
        raise ConfigError(
            gettext("config file {source}: [locale] knows only 'language' and 'currency'").format(
                source=source
            )
        )
    language = (
        check_language(loc["language"], f"config file {source}: [locale] language")
        if "language" in loc
        else None
    )
    if env.get("GRAPHCAP_CURRENCY"):
        currency = check_currency(env["GRAPHCAP_CURRENCY"])
    elif "currency" in loc:
        currency = check_currency(loc["currency"], f"config file {source}: [locale] currency")
    else:
        currency = DEFAULT_CURRENCY
    return ProjectConfig(
        schema=schema,
        limits=limits,
        strength=strength,
        value=value,
        source=source,
        cadence_days=cadence,
        metrics_engine=str(engine).strip().lower() if isinstance(engine, str) else engine,
        language=language,
        currency=currency,
    )
