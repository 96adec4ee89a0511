"""``graphcap assess / log / history / undo / overdue`` against the real Neo4j."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from graphcap.cli import main
from graphcap.model import Network

from .store.graphcheck import fingerprint

pytestmark = pytest.mark.integration


@pytest.fixture
def net(store, neo4j_env, monkeypatch):
    monkeypatch.setenv("GRAPHCAP_USER", "cli-user")
    nodes = pd.DataFrame(
        {"id": ["org", "c1"], "name": ["Us", "Kunde 1"], "type": ["organization", "customer"]}
    )
    edges = pd.DataFrame(
        {
            "source": ["c1"],
            "target": ["org"],
            "type": ["BUYS_FROM"],
            "trust": [0.5],
            "last_contact": pd.to_datetime(["2026-01-01"]),
        }
    )
    store.import_network(Network(nodes=nodes, edges=edges))
    return store


def test_assess_log_history_undo(net, capsys):
    assert (
        main(
            [
                "assess",
                "c1",
                "kauft bei",
                "org",
                "--trust",
                "80 %",
                "--date",
                "1.6.2026",
                "--comment",
                "after the audit",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Assessed relationship 'c1' -BUYS_FROM-> 'org': trust 0.5 -> 0.8" in out
    edge = net.read_network().edges.iloc[0]
    assert edge["trust"] == pytest.approx(0.8)
    assert main(["assess", "c1", "--satisfaction", "0,7", "--user", "survey"]) == 0
    assert net.read_network().nodes.set_index("id").loc["c1", "satisfaction"] == pytest.approx(0.7)
    assert (
        main(
            [
                "log",
                "org",
                "c1",
                "--date",
                "2026-06-02",
                "--channel",
                "meeting",
                "--sentiment",
                "0.5",
                "--text",
                "<script>x</script>",
            ]
        )
        == 0
    )
    assert net.read_network().interactions.iloc[0]["text"] == "<script>x</script>"
    capsys.readouterr()
    assert main(["history", "c1", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)  # one JSON document: a list of changes
    assert [(e["action"], e["who"], e["kind"]) for e in events] == [
        ("import", "import", "stakeholder"),  # the import that created c1
        ("assess", "cli-user", "relationship"),
        ("assess", "survey", "stakeholder"),
    ]
    assert events[0]["before"] is None and events[0]["after"]["id"] == "c1"
    events = events[1:]
    assert main(["undo", events[0]["id"]]) == 0
    assert net.read_network().edges.iloc[0]["trust"] == pytest.approx(0.5)
    capsys.readouterr()
    assert (
        main(
            [
                "history",
                "c1",
                "--type",
                "BUYS_FROM",
                "--target",
                "org",
                "--at",
                events[0]["at"],
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["trust"] == pytest.approx(0.8)
    assert main(["overdue", "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "c1" in out and "last contact 2026-06-02 is more than 60 days ago" in out


# exit codes from graphcap.cli.exits: 3 the input is invalid, 8 the store refused the change
@pytest.mark.parametrize(
    "args, why, code",
    [
        (["assess", "c1", "BUYS_FROM", "org", "--trust", "1.5"], "must be between 0 and 1", 3),
        (["assess", "c1", "BUYS_FROMM", "org", "--trust", "0.5"], "unknown relationship type", 3),
        (["assess", "c1", "BUYS_FROM", "nobody", "--trust", "0.5"], "does not exist", 8),
        (["assess", "c1", "--satisfaction", "viel"], "is not a number", 3),
        (
            ["assess", "c1", "BUYS_FROM", "org", "--date", "30.02.2026", "--trust", "0.1"],
            "no such day",
            3,
        ),
        (["log", "org", "c1", "--sentiment", "5"], "between -1 and 1", 3),
        (["log", "org", "c1\x00", "--text", "x"], "control character", 3),
        (["log", "org", "`) DETACH DELETE n //"], "is not a stakeholder", 8),
        (["undo", "no-such-id"], "there is no change with id", 8),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(net, capsys, args, why, code):
    before = fingerprint(net)
    assert main(args) == code
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err
    assert fingerprint(net) == before


def test_undo_of_another_users_change_needs_others(net, capsys):
    assert main(["assess", "c1", "BUYS_FROM", "org", "--trust", "0.9", "--user", "ann"]) == 0
    capsys.readouterr()
    main(["history", "c1", "--json"])
    event = json.loads(capsys.readouterr().out)[-1]
    assert main(["undo", event["id"], "--user", "bob"]) == 8  # refused by the store
    assert "only an admin" in capsys.readouterr().err
    assert main(["undo", event["id"], "--user", "bob", "--others"]) == 0


def test_edit_commands_print_json_and_csv_with_the_documented_keys(net, capsys):
    """--format json|csv on assess, log, undo, history and overdue (keys: docs/CLI.md)."""
    from graphcap.cli.edit_cmd import EVENT_KEYS, OVERDUE_KEYS
    from tests.test_cli_conventions import _csv, _doc_keys

    assert _doc_keys("history") == set(EVENT_KEYS) and _doc_keys("overdue") == set(OVERDUE_KEYS)
    args = ["assess", "c1", "BUYS_FROM", "org", "--trust", "0.9", "--format", "json"]
    assert main(args) == 0
    assessed = json.loads(capsys.readouterr().out)
    assert list(assessed) == EVENT_KEYS
    assert assessed["changes"] == {"trust": [0.5, 0.9]} and assessed["action"] == "assess"
    assert main(["log", "org", "c1", "--date", "2026-06-02", "--format", "csv"]) == 0
    (logged,) = _csv(capsys.readouterr().out)
    assert list(logged) == EVENT_KEYS and logged["action"] == "log"
    assert main(["-q", "undo", assessed["id"], "--format", "json"]) == 0
    undone = capsys.readouterr()
    assert json.loads(undone.out)["undoes"] == assessed["id"] and undone.err == ""
    assert main(["history", "c1", "--format", "json"]) == 0
    events = json.loads(capsys.readouterr().out)
    # the import that created c1, then the edits (a log is no change of c1)
    assert [e["action"] for e in events] == ["import", "assess", "undo"]
    assert all(list(e) == EVENT_KEYS for e in events)
    assert main(["history", "c1", "--format", "csv"]) == 0
    assert [r["id"] for r in _csv(capsys.readouterr().out)] == [e["id"] for e in events]
    assert main(["history", "nobody-here", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["overdue", "--today", "2026-12-01", "--format", "json"]) == 0
    (late,) = json.loads(capsys.readouterr().out)
    assert list(late) == OVERDUE_KEYS
    # by hand: the log of 2026-06-02 is the last contact; a customer's target is every 60 days
    assert late["id"] == "c1" and late["last_contact"].startswith("2026-06-02")
    assert late["days_overdue"] == (date(2026, 12, 1) - date(2026, 8, 1)).days
    assert main(["overdue", "--today", "2026-06-03", "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == ",".join(OVERDUE_KEYS)


def test_next_contacts_ranks_whom_to_contact_with_reasons(net, capsys):
    # c1's last contact 2026-01-01; customers' target is 60 days -> due 2026-03-02, so on
    # 2026-03-10 it is 8 days overdue: 25 * (1 + 8/60) * 0.5 (no value) * (1 + radar/100)
    assert main(["next-contacts", "--today", "2026-03-10", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"today", "days", "cadence", "contacts"}
    assert doc["today"] == "2026-03-10" and doc["days"] == 7
    (row,) = doc["contacts"]
    assert row["id"] == "c1" and row["days_overdue"] == 8 and row["due"] == "2026-03-02"
    radar = row["risk_score"]
    assert row["priority"] == pytest.approx(round(25 * (1 + 8 / 60) * 0.5 * (1 + radar / 100), 2))
    assert row["reason"].startswith("overdue by 8 days; last contact 2026-01-01")
    assert main(["next-contacts", "--today", "2026-03-10"]) == 0
    assert "c1  'Kunde 1' (customer), owner -: overdue by 8 days" in capsys.readouterr().out
    # a week before it falls due: listed as due in 1 day; two weeks before: nobody
    assert main(["next-contacts", "--today", "2026-03-01", "--format", "csv"]) == 0
    assert "due in 1 day;" in capsys.readouterr().out
    assert main(["next-contacts", "--today", "2026-02-20"]) == 0
    assert "Nobody to contact in the next 7 days." in capsys.readouterr().out
