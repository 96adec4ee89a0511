"""Purging retired items for good: admins only (store and ``graphcap purge``), one ``purge``
event per item, and the past state still shows what was purged -- against the real Neo4j."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from graphcap.access import hash_password
from graphcap.cli import main
from graphcap.errors import EditRefused
from graphcap.model import Network
from graphcap.store.assess import log_interaction
from graphcap.store.edits import Editor

from .store.graphcheck import fingerprint

pytestmark = pytest.mark.integration


@pytest.fixture
def retired(store, neo4j_env, monkeypatch):
    """org, c1, c2, s1; c1 retired (with its relationship and a logged interaction), the
    relationship s1 -> org retired; c2 -> org stays."""
    monkeypatch.delenv("GRAPHCAP_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("GRAPHCAP_PASSWORD", raising=False)
    monkeypatch.setenv("GRAPHCAP_CONFIG", "/nonexistent/graphcap.toml")
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1", "c2", "s1"],
            "name": ["Us", "Kunde 1", "Kunde 2", "Lieferant"],
            "type": ["organization", "customer", "customer", "supplier"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c2", "s1"],
            "target": ["org", "org", "org"],
            "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES"],
            "trust": [0.5, 0.6, 0.7],
        }
    )
    store.import_network(Network(nodes=nodes, edges=edges))
    ed = Editor(store, user="ed")
    log_interaction(ed, {"date": date(2026, 1, 2), "source": "org", "target": "c1"})
    ed.retire_stakeholder("c1", version=0)
    ed.retire_relationship("s1", "SUPPLIES", "org", version=0)
    return store


def _all_ids(store) -> tuple[set, int, int]:
    def work(tx):
        ids = {r["id"] for r in tx.run("MATCH (n:Stakeholder) RETURN n.id AS id")}
        rels = tx.run("MATCH (:Stakeholder)-[r]->(:Stakeholder) RETURN count(r) AS c").single()
        inter = tx.run("MATCH (i:Interaction) RETURN count(i) AS c").single()
        return ids, rels["c"], inter["c"]

    return store._read(work, "test")


def test_purge_is_refused_without_the_admin_role(retired):
    before = fingerprint(retired)
    with pytest.raises(EditRefused, match="only an admin"):
        Editor(retired, user="ed").purge(admin=False)
    assert fingerprint(retired) == before


def test_an_admin_purge_deletes_retired_items_and_records_them(retired):
    view = retired.read_network()
    before_purge = datetime.now(UTC)
    past = retired.read_network_at(before_purge)
    events = Editor(retired, user="boss").purge(admin=True)
    # c1's interaction and relationship, the retired SUPPLIES, then c1 itself
    assert [(e["action"], e["kind"]) for e in events] == [
        ("purge", "interaction"),
        ("purge", "relationship"),
        ("purge", "relationship"),
        ("purge", "stakeholder"),
    ]
    assert {e["key"] for e in events if e["kind"] == "relationship"} == {
        '["c1","BUYS_FROM","org"]',
        '["s1","SUPPLIES","org"]',
    }
    assert all(e["who"] == "boss" and e["after"] is None for e in events)
    assert events[-1]["before"]["__gc_retired_at"] is not None  # its last state, retired
    assert _all_ids(retired) == ({"org", "c2", "s1"}, 1, 0)
    # what the views show does not change (retired items were never shown) ...
    assert retired.read_network().nodes.equals(view.nodes)
    assert retired.read_network().edges.equals(view.edges)
    # ... and a past state from before the purge is rebuilt as before
    again = retired.read_network_at(before_purge)
    assert again.nodes.equals(past.nodes) and again.edges.equals(past.edges)
    assert Editor(retired, user="boss").purge(admin=True) == []  # nothing retired any more


def _purge_events(store) -> list[tuple[int, str, str]]:
    return store._read(
        lambda tx: [
            (r["seq"], r["kind"], r["key"])
            for r in tx.run(
                "MATCH (e:GraphcapEvent {action: 'purge'}) "
                "RETURN e.seq AS seq, e.kind AS kind, e.key AS key ORDER BY seq"
            )
        ],
        "test",
    )


class _Stop(Exception):
    pass


def test_an_interrupted_purge_leaves_a_consistent_state_and_finishes_when_run_again(retired):
    """Batches of 2, stopped after the first (as a crash between two transactions): what the
    first batch deleted is gone with its events, everything else is still there, retired, and
    has no purge event; the past state is unchanged; a second purge finishes the job."""
    before_purge = datetime.now(UTC)
    past = retired.read_network_at(before_purge)

    def stop(_n: int) -> None:
        raise _Stop

    with pytest.raises(_Stop):
        Editor(retired, user="boss").purge(admin=True, batch_size=2, on_batch=stop)
    first = _purge_events(retired)
    assert [(k, key) for _s, k, key in first] == [
        ("interaction", first[0][2]),
        ("relationship", '["c1","BUYS_FROM","org"]'),
    ]
    # c1 and the retired SUPPLIES are still there; c1's relationship and interaction are gone
    assert _all_ids(retired) == ({"org", "c1", "c2", "s1"}, 2, 0)
    again = retired.read_network_at(before_purge)
    assert again.nodes.equals(past.nodes) and again.edges.equals(past.edges)
    rest = Editor(retired, user="boss").purge(admin=True, batch_size=2)
    assert [(e["kind"], e["key"]) for e in rest] == [
        ("relationship", '["s1","SUPPLIES","org"]'),
        ("stakeholder", "c1"),
    ]
    assert _all_ids(retired) == ({"org", "c2", "s1"}, 1, 0)
    seqs = [s for s, _k, _key in _purge_events(retired)]
    assert seqs == sorted(seqs) and len(seqs) == 4 and seqs[1] == seqs[0] + 1
    again = retired.read_network_at(before_purge)
    assert again.nodes.equals(past.nodes) and again.edges.equals(past.edges)


def test_cli_purge_needs_yes_and_an_admin(retired, tmp_path, monkeypatch, capsys):
    toml = tmp_path / "graphcap.toml"
    toml.write_text(
        "[access.users.ed]\n"
        f'role = "editor"\npassword_hash = "{hash_password("editor-pass1")}"\n'
        "[access.users.boss]\n"
        f'role = "admin"\npassword_hash = "{hash_password("admin-pass1")}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("GRAPHCAP_CONFIG", str(toml))
    before = fingerprint(retired)
    assert main(["purge", "--user", "boss"]) == 2  # no --yes: a usage error
    assert "add --yes" in capsys.readouterr().err
    monkeypatch.setenv("GRAPHCAP_PASSWORD", "editor-pass1")
    assert main(["purge", "--yes", "--user", "ed"]) == 8  # an editor: refused
    assert "only an admin" in capsys.readouterr().err
    monkeypatch.setenv("GRAPHCAP_PASSWORD", "wrong")
    assert main(["purge", "--yes", "--user", "boss"]) == 8  # wrong password: refused
    assert fingerprint(retired) == before
    monkeypatch.setenv("GRAPHCAP_PASSWORD", "admin-pass1")
    assert main(["purge", "--yes", "--user", "boss", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["purged"] == {"interaction": 1, "relationship": 2, "stakeholder": 1}
    assert [e["kind"] for e in doc["events"]] == [
        "interaction",
        "relationship",
        "relationship",
        "stakeholder",
    ]
    assert _all_ids(retired) == ({"org", "c2", "s1"}, 1, 0)
    assert main(["purge", "--yes", "--user", "boss"]) == 0
    assert "Nothing is retired" in capsys.readouterr().out
    assert main(["history", "c1", "--format", "json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert history[-1]["action"] == "purge" and history[-1]["who"] == "boss"
