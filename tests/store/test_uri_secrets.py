"""Credentials inside NEO4J_URI never show: not in `graphcap info` (text and JSON), not in
error messages, not in the app's sidebar or any element of a page; the connection still uses
them (against the real Neo4j)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.config.connection import Neo4jSettings, redact_uri
from graphcap.errors import AuthFailed
from graphcap.store import Neo4jStore

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("neo4j://neo4j:s3cret@db.example:7687", "neo4j://***@db.example:7687"),
        ("neo4j+s://user@db.example", "neo4j+s://***@db.example"),
        (
            "bolt://a:b@[::1]:7687/x?password=z&policy=eu",
            "bolt://***@[::1]:7687/x?password=***&policy=eu",
        ),
        ("neo4j://db.example:7687?token=abc", "neo4j://db.example:7687?token=***"),
        ("neo4j://db.example:7687", "neo4j://db.example:7687"),
        ("not a uri://x:y@z", "not a uri://***@z"),
    ],
)
def test_redact_uri(uri, shown):
    assert redact_uri(uri) == shown


def test_settings_take_credentials_out_of_the_uri():
    s = Neo4jSettings.from_env(env={"NEO4J_URI": "neo4j://alice:p%40ss%3Aw0rd@db.example:7687"})
    assert (s.uri, s.user, s.password) == ("neo4j://db.example:7687", "alice", "p@ss:w0rd")
    assert "p@ss" not in repr(s)
    given = Neo4jSettings.from_env(
        env={"NEO4J_URI": "neo4j://u:inuri@h:1", "NEO4J_PASSWORD": "given"}
    )
    assert given.password == "given" and given.uri == "neo4j://h:1"  # the explicit one wins


def secret_uri(settings: Neo4jSettings, password: str) -> str:
    """The settings' URI with user and ``password`` written into it."""
    scheme, rest = settings.uri.split("://", 1)
    return f"{scheme}://{settings.user}:{quote(password, safe='')}@{rest}"


def test_graphcap_info_connects_with_the_uri_credentials_and_never_prints_them(
    neo4j_settings, monkeypatch
):
    monkeypatch.setenv("NEO4J_URI", secret_uri(neo4j_settings, neo4j_settings.password))
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    for args in (["info"], ["info", "--json"]):
        done = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert done.exit_code == 0, done.output
        assert neo4j_settings.password not in done.output
        assert "Connected" in done.output or json.loads(done.output)["source"].startswith(
            "Neo4j at"
        )


def test_a_wrong_password_in_the_uri_is_not_echoed(neo4j_settings):
    wrong = "wr0ng-" + "Z" * 12
    settings = Neo4jSettings(uri=secret_uri(neo4j_settings, wrong), database=neo4j_settings.database,
                             explicit=True)  # fmt: skip
    with pytest.raises(AuthFailed) as info, Neo4jStore(settings) as store:
        store.verify()
    assert wrong not in str(info.value) and "refused user" in str(info.value)
    done = CliRunner().invoke(cli, ["info"], env={"NEO4J_URI": secret_uri(neo4j_settings, wrong),
                                                  "NEO4J_PASSWORD": ""})  # fmt: skip
    assert done.exit_code != 0 and wrong not in done.output + str(done.exception or "")
