"""The allow-lists and settings every other part relies on."""

from __future__ import annotations

import re

import pytest

from graphcap.config import load_project_config
from graphcap.config.connection import Neo4jSettings
from graphcap.config.limits import Limits
from graphcap.config.metric_params import StrengthConfig
from graphcap.errors import ConfigError, SchemaError
from graphcap.model.schema import DEFAULT_SCHEMA, NODE_TYPES, REL_TYPES, Schema

HOSTILE = [
    "BUYS_FROM` DETACH DELETE n //",
    "BUYS_FROM\u0060",
    "buys from",
    "BUYS_FROM]->() MATCH (n) DETACH DELETE n //",
    "ＢＵＹＳ_FROM",  # full-width look-alike
    "",
    "REL\nTYPE",
    None,
    42,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_relationship_types_are_refused(value):
    with pytest.raises(SchemaError, match="is not allowed"):
        DEFAULT_SCHEMA.rel_type(value)


@pytest.mark.parametrize("value", ["Customer`) DETACH DELETE n //", "kunde", "CUSTOMER", "", None])
def test_unknown_or_hostile_stakeholder_types_are_refused(value):
    with pytest.raises(SchemaError, match="is not allowed"):
        DEFAULT_SCHEMA.label_for(value)


def test_every_builtin_type_maps_to_a_safe_label():
    for name, label in NODE_TYPES.items():
        assert DEFAULT_SCHEMA.label_for(name) == label
        assert DEFAULT_SCHEMA.type_for_label(label) == name
    for rel in REL_TYPES:
        assert DEFAULT_SCHEMA.rel_type(rel.lower()) == rel


@pytest.mark.parametrize(
    "node_types, rel_types",
    [
        ({"investor": "Inv`estor"}, None),
        ({"Investor": "Investor"}, None),
        ({"investor": "Stakeholder"}, None),  # reserved label
        (None, {"FUNDS`": "x"}),
        (None, {"funds": "x"}),
    ],
)
def test_project_config_cannot_add_unsafe_types(node_types, rel_types):
    with pytest.raises(SchemaError):
        Schema().extend(node_types=node_types, rel_types=rel_types)


def test_project_config_extends_the_allow_list(tmp_path):
    cfg = tmp_path / "graphcap.toml"
    cfg.write_text(
        '[schema.node_types]\ninvestor = "Investor"\n'
        '[schema.rel_types]\nFUNDS = "investor funds the organisation"\n'
        "[limits]\nquery_timeout_s = 3\nmax_rows = 100\n"
        "[strength]\nhalf_life_days = 90\n"
    )
    pc = load_project_config(cfg, env={})
    assert pc.schema.label_for("investor") == "Investor"
    assert pc.schema.rel_type("funds") == "FUNDS"
    assert pc.limits == Limits(query_timeout_s=3, max_rows=100)
    assert pc.strength.half_life_days == 90
    # the environment wins over the file
    pc2 = load_project_config(cfg, env={"GRAPHCAP_MAX_ROWS": "7"})
    assert pc2.limits.max_rows == 7


@pytest.mark.parametrize(
    "text, message",
    [
        ("[limits]\nmax_rows = 0\n", "max_rows must be a whole number from 1 to"),
        ("[limits]\nquery_timeout_s = -1\n", "query_timeout_s must be a number from 0.001 to"),
        ("[limits]\nquery_timeout_s = true\n", r"query_timeout_s must be a number .* got True"),
        ("[limits]\nmax_rows = true\n", r"max_rows must be a whole number .* got True"),
        ("[limits]\nmax_rows = 5.0\n", r"max_rows must be a whole number .* got 5\.0"),
        ("[limits]\nquery_timeout_s = inf\n", r"query_timeout_s must be a number .* got inf"),
        ("[limits]\nquery_timeout_s = nan\n", r"query_timeout_s must be a number .* got nan"),
        ("[limits]\nquery_timeout_s = '10'\n", r"got '10'"),
        ("[limits]\nmax_cell_chars = 1e400\n", r"max_cell_chars must be a whole number .* got inf"),
        ("[limitz]\nmax_rows = 5\n", "unknown section"),
        ("[limits\n", "is not valid TOML"),
        ("[strength.weights]\ntrustt = 1\n", "unknown dimension"),
        ("[limits]\nmax_rowz = 5\n", r"unknown limit\(s\) \['max_rowz'\]"),
    ],
)
def test_bad_project_config_names_the_setting(tmp_path, text, message):
    cfg = tmp_path / "graphcap.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_project_config(cfg, env={})


@pytest.mark.parametrize("raw", ["0", "-5", "abc", "1e3", "true", "inf", "99999999999"])
def test_limits_from_env_are_never_unlimited(raw):
    with pytest.raises(ConfigError, match="GRAPHCAP_MAX_ROWS") as info:
        load_project_config(None, env={"GRAPHCAP_MAX_ROWS": raw})
    assert "max_rows must be a whole number from 1 to 10,000,000" in str(info.value)


@pytest.mark.parametrize("raw", ["inf", "-inf", "nan", "Infinity", "1e999", "0", "true", "", " "])
def test_the_query_timeout_is_a_finite_positive_number(raw):
    if not raw.strip():  # unset or blank: the default
        assert (
            load_project_config(None, env={"GRAPHCAP_QUERY_TIMEOUT_S": raw}).limits.query_timeout_s
            == 10
        )
        return
    with pytest.raises(ConfigError) as info:
        load_project_config(None, env={"GRAPHCAP_QUERY_TIMEOUT_S": raw})
    assert str(info.value).startswith("query_timeout_s must be a number from 0.001 to 86,400")
    assert "GRAPHCAP_QUERY_TIMEOUT_S" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_rows", True),
        ("max_rows", 1.5),
        ("query_timeout_s", False),
        ("query_timeout_s", float("inf")),
        ("query_timeout_s", float("nan")),
        ("max_result_bytes", 10),
        ("max_compression_ratio", 1),
    ],
)
def test_limits_are_checked_by_type_and_range_in_python_too(field, value):
    with pytest.raises(ConfigError, match=f"^{field} must be"):
        Limits(**{field: value})


def test_every_limit_has_its_environment_variable_and_help():
    from graphcap.config import SETTINGS_HELP
    from graphcap.config.limits import LIMIT_SETTINGS

    for setting in LIMIT_SETTINGS:
        assert setting.env in SETTINGS_HELP
        assert getattr(Limits(), setting.name) == setting.default
        assert setting.minimum <= setting.default <= setting.maximum


def test_password_never_in_repr():
    s = Neo4jSettings.from_env(
        env={"NEO4J_URI": "neo4j://db.example:7687", "NEO4J_PASSWORD": "s3cr3t-value"}
    )
    assert s.explicit and s.uri == "neo4j://db.example:7687" and s.password == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(s) and "s3cr3t-value" not in str(s)


def test_streamlit_secrets_table_is_read_when_env_is_empty():
    s = Neo4jSettings.from_env(
        env={},
        secrets={"neo4j": {"uri": "neo4j+s://x.databases.neo4j.io", "password": "pw12345678"}},
    )
    assert s.uri == "neo4j+s://x.databases.neo4j.io" and s.password == "pw12345678"


def test_local_default_reads_the_generated_password(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path))
    (tmp_path / "neo4j").mkdir()
    (tmp_path / "neo4j" / "password").write_text("generated-pw\n")
    s = Neo4jSettings.from_env(env={"GRAPHCAP_NEO4J_PORT": "7999"})
    assert s.uri == "neo4j://127.0.0.1:7999" and s.password == "generated-pw" and not s.explicit


def test_strength_config_refuses_all_zero_weights():
    with pytest.raises(ConfigError, match="must not all be zero"):
        StrengthConfig(weights={"trust": 0, "commitment": 0})


def test_security_doc_lists_every_limit_as_the_code_defines_it():
    from pathlib import Path

    from graphcap.config.limits import LIMIT_SETTINGS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    for s in LIMIT_SETTINGS:
        row = f"| `{s.name}` | `{s.env}` | {s.default:,} | {s.minimum:,} to {s.maximum:,} | {s.help} |"
        assert row in doc, row


@pytest.mark.parametrize("raw", ["abc", "-1", "1e99", "12 000", "0x10", "nan"])
def test_every_limit_refuses_garbage_from_the_environment(raw):
    """Each limit (the newest, app_full_analysis_max_relationships, too) names itself, the
    variable and the bad value; nothing falls back silently to the default."""
    from graphcap.config.limits import LIMIT_SETTINGS
    from graphcap.errors import ConfigError

    for s in LIMIT_SETTINGS:
        if s.kind is float and raw in ("1e99",):
            continue  # a float setting parses 1e99; its maximum is checked below
        with pytest.raises(ConfigError, match=re.escape(s.name)) as err:
            Limits.from_env(env={s.env: raw})
        assert s.env in str(err.value)
    for s in LIMIT_SETTINGS:
        with pytest.raises(ConfigError, match=re.escape(s.name)):
            Limits.from_env(env={s.env: str(s.maximum * 10 + 1)})
