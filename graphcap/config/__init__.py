"""The project's settings: ``graphcap.toml`` and the environment read into :class:`ProjectConfig`.

Every setting has a default and a help text (:data:`SETTINGS_HELP`). Values come, in order of
precedence, from keyword arguments, the environment (``NEO4J_URI``, ``GRAPHCAP_MAX_ROWS`` ...), the
project file ``graphcap.toml`` (path in ``GRAPHCAP_CONFIG`` or the current directory), then
defaults. Secrets (the Neo4j password) come only from the environment, Streamlit secrets (passed
in by the UI) or the local server's generated password file, never from code, and are never
printed: :class:`~graphcap.config.connection.Neo4jSettings` hides the password in ``repr``.

The parts, one concept each: :mod:`graphcap.config.connection` (where Neo4j is),
:mod:`graphcap.config.limits` (the console's and file reading's limits),
:mod:`graphcap.config.metric_params` (strength and value parameters); this module reads the
project file (schema, cadence, metrics engine, language, currency) and puts them together.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graphcap.config.connection import data_dir, redact_uri
from graphcap.config.limits import LIMIT_SETTINGS, Limits
from graphcap.config.metric_params import StrengthConfig, ValueConfig
from graphcap.errors import ConfigError
from graphcap.i18n import LANGUAGES, gettext, normalise_language
from graphcap.model.schema import DEFAULT_SCHEMA, Schema

__all__ = [
    "LIMIT_SETTINGS",
    "SETTINGS_HELP",
    "DEFAULT_CURRENCY",
    "METRICS_ENGINES",
    "ProjectConfig",
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


#: Every environment variable graphcap reads, with its help text.
SETTINGS_HELP: Mapping[str, str] = {
    **_CONNECTION_HELP,
    **{
        s.env: f"{s.help} (default {s.default:,}; {s.minimum:,} to {s.maximum:,})"
        for s in LIMIT_SETTINGS
    },
}


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
