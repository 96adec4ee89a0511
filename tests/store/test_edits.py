"""Edits against the real Neo4j: every path valid and hostile, refusals change nothing,
optimistic concurrency, retire/restore, undo, the audit trail."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from graphcap.errors import EditConflict, EditRefused, SchemaError
from graphcap.model import Network
from graphcap.store.edits import Editor, Target
from loaders.edit_input import EditInvalid, check_relationship, check_stakeholder

from .graphcheck import HOSTILE, fingerprint, hostile_network

pytestmark = pytest.mark.integration


def _small() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1", "s1"],
            "name": ["Us", "Kunde 1", "Lieferant 1"],
            "type": ["organization", "customer", "supplier"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "s1"],
            "target": ["org", "org"],
            "type": ["BUYS_FROM", "SUPPLIES"],
            "trust": [0.5, 0.7],
        }
    )
    return Network(nodes=nodes, edges=edges)


@pytest.fixture
def editor(store):
    store.import_network(_small())
    return Editor(store, user="alice")


def test_create_change_retire_restore_stakeholder_with_history(store, editor):
    fields = check_stakeholder(
        {"id": "c2", "name": "Kunde 2", "type": "Kunde", "satisfaction": "80 %"}, new=True
    )
    created = editor.create_stakeholder(fields)
    assert created["action"] == "create" and created["who"] == "alice" and created["version"] == 1
    assert created["before"] is None
    assert created["after"] == {
        "id": "c2",
        "name": "Kunde 2",
        "type": "customer",
        "satisfaction": 0.8,
    }
    net = store.read_network()
    row = net.nodes.set_index("id").loc["c2"]
    assert row["name"] == "Kunde 2" and row["satisfaction"] == 0.8
    assert "__gc_version" not in net.nodes.columns

    target = Target.stakeholder("c2", store.schema)
    state, version = editor.current(target)
    assert version == 1
    changed = editor.change_stakeholder(
        "c2", check_stakeholder({"loyalty": "0,4", "satisfaction": None}), version=version
    )
    assert changed["changes"] == {"loyalty": (None, 0.4), "satisfaction": (0.8, None)}
    row = store.read_network().nodes.set_index("id").loc["c2"]
    assert row["loyalty"] == 0.4 and pd.isna(row["satisfaction"])

    # a type change swaps the label (allow-listed)
    editor.change_stakeholder("c2", {"type": "partner"}, version=2)
    with store.driver.session(database=store.database) as s:
        labels = s.run("MATCH (n:Stakeholder {id: 'c2'}) RETURN labels(n) AS l").single()["l"]
    assert sorted(labels) == ["Partner", "Stakeholder"]

    editor.retire_stakeholder("c2", version=3)
    assert "c2" not in store.read_network().nodes["id"].tolist()
    with pytest.raises(EditRefused, match="retired: restore it"):
        editor.change_stakeholder("c2", {"name": "x"}, version=4)
    editor.restore_stakeholder("c2", version=4)
    assert "c2" in store.read_network().nodes["id"].tolist()
    actions = [e["action"] for e in editor.history(target)]
    assert actions == ["create", "change", "change", "retire", "restore"]
    assert [e["version"] for e in editor.history(target)] == [1, 2, 3, 4, 5]


def test_retired_relationship_and_ends_leave_the_views(store, editor):
    editor.retire_relationship("c1", "buys_from", "org", version=0)
    edges = store.read_network().edges
    assert list(zip(edges["source"], edges["type"], strict=True)) == [("s1", "SUPPLIES")]
    editor.retire_stakeholder("s1", version=0)
    net = store.read_network()
    assert net.edges.empty and sorted(net.nodes["id"]) == ["c1", "org"]
    editor.restore_relationship("c1", "BUYS_FROM", "org", version=1)
    editor.restore_stakeholder("s1", version=1)
    assert len(store.read_network().edges) == 2


def test_relationship_create_and_change(store, editor):
    s, t, b, fields = check_relationship(
        "c1", "refers", "s1", {"trust": "0.9", "owner": "bob", "next_contact": "2027-01-15"}
    )
    e = editor.create_relationship(s, t, b, fields)
    assert e["key"] == '["c1","REFERS","s1"]'
    edge = (
        store.read_network()
        .edges.set_index(["source", "type", "target"])
        .loc[("c1", "REFERS", "s1")]
    )
    assert edge["trust"] == 0.9 and edge["owner"] == "bob"
    assert edge["next_contact"] == pd.Timestamp("2027-01-15")
    editor.change_relationship("c1", "REFERS", "s1", {"trust": 0.2}, version=1)
    with pytest.raises(EditRefused, match="already exists"):
        editor.create_relationship("c1", "REFERS", "s1", {})


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_values_are_stored_as_text(store, editor, name):
    clean = name
    try:
        fields = check_stakeholder(
            {"id": name, "name": name, "type": "agency", "segment": name}, new=True
        )
    except EditInvalid as exc:  # control characters etc: refused with the importers' text
        before = fingerprint(store)
        assert "nothing was changed" in str(exc)
        assert fingerprint(store) == before
        return
    editor.create_stakeholder(fields)
    editor.create_relationship(fields["id"], "REGULATES", "org", {"kind": clean})
    net = store.read_network()
    row = net.nodes.set_index("id").loc[fields["id"]]
    assert row["name"] == fields["name"] and row["segment"] == fields["segment"]
    assert store.counts()["nodes"]["organization"] == 1  # nothing was deleted by an injection


HOSTILE_FIELDS = [
    ({"name": "a\x00b"}, "control character"),
    ({"type": "Kundee"}, "unknown stakeholder type"),
    ({"type": "customer` DETACH DELETE n //"}, "unknown stakeholder type"),
    ({"satisfaction": "1.7"}, "must be between 0 and 1"),
    ({"satisfaction": "sehr gut"}, "is not a number"),
    ({"since": "31.02.2024"}, "no such day"),
    ({"revenue": "1e999"}, "too large"),
    ({"__gc_version": 99}, "reserved"),
    ({"m_degree": 1.0}, "reserved"),
    ({"id": "other"}, "cannot be changed"),
]


@pytest.mark.parametrize(("fields", "why"), HOSTILE_FIELDS)
def test_hostile_stakeholder_changes_are_refused_and_change_nothing(store, editor, fields, why):
    before = fingerprint(store), store.version()
    with pytest.raises(EditInvalid) as err:
        editor.change_stakeholder("c1", check_stakeholder(fields), version=0)
    assert why in str(err.value) and "nothing was changed" in str(err.value)
    assert (fingerprint(store), store.version()) == before


@pytest.mark.parametrize(
    "call",
    [
        lambda ed: ed.change_stakeholder("c1", {"__gc_retired_at": None}, version=0),
        lambda ed: ed.change_stakeholder("c1", {"x": {"nested": 1}}, version=0),
        lambda ed: ed.change_stakeholder("c1", {"x": float("inf")}, version=0),
        lambda ed: ed.change_stakeholder("c1", {"type": "Wizard"}, version=0),
        lambda ed: ed.change_stakeholder("nobody", {"name": "x"}, version=0),
        lambda ed: ed.change_stakeholder("c1", {"name": "x"}, version=7),
        lambda ed: ed.create_stakeholder({"id": "c1", "name": "dup", "type": "customer"}),
        lambda ed: ed.create_stakeholder({"id": "x", "name": "x", "type": "Customer`) //"}),
        lambda ed: ed.create_relationship("c1", "SUPPLIES` ]->() DELETE n //", "org"),
        lambda ed: ed.create_relationship("c1", "SUPPLIES", "nobody"),
        lambda ed: ed.change_relationship("c1", "BUYS_FROM", "org", {"source": "s1"}, version=0),
        lambda ed: ed.retire_stakeholder("c1", version=3),
        lambda ed: ed.restore_stakeholder("c1", version=0),
        lambda ed: ed.undo("no-such-event"),
    ],
)
def test_refused_store_calls_change_nothing(store, editor, call):
    before = fingerprint(store), store.version()
    with pytest.raises((EditRefused, SchemaError)):
        call(editor)
    assert (fingerprint(store), store.version()) == before


def test_second_save_of_a_stale_version_is_refused_naming_the_other_change(store, editor):
    bob = Editor(store, user="bob")
    _, version = editor.current(Target.relationship("c1", "BUYS_FROM", "org", store.schema))
    bob.change_relationship("c1", "BUYS_FROM", "org", {"trust": 0.9}, version=version)
    before = fingerprint(store)
    with pytest.raises(EditConflict) as err:
        editor.change_relationship("c1", "BUYS_FROM", "org", {"trust": 0.1}, version=version)
    message = str(err.value)
    assert "'bob'" in message and "trust 0.5 -> 0.9" in message and "not saved" in message
    assert err.value.other["who"] == "bob"
    assert fingerprint(store) == before
    edge = store.read_network().edges.set_index("source").loc["c1"]
    assert edge["trust"] == 0.9


def test_two_sessions_saving_at_once_one_wins_one_is_refused(store, editor):
    results: list[object] = []
    barrier = threading.Barrier(2)

    def save(user: str, trust: float) -> None:
        ed = Editor(store, user=user)
        barrier.wait()
        try:
            results.append(
                ed.change_relationship("c1", "BUYS_FROM", "org", {"trust": trust}, version=0)
            )
        except EditConflict as exc:
            results.append(exc)

    threads = [threading.Thread(target=save, args=(u, v)) for u, v in (("ann", 0.1), ("ben", 0.2))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    saved = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, EditConflict)]
    assert len(saved) == 1 and len(refused) == 1
    winner = saved[0]
    edge = store.read_network().edges.set_index("source").loc["c1"]
    assert edge["trust"] == winner["after"]["trust"]
    assert repr(winner["who"]) in str(refused[0])


def test_an_import_update_counts_as_a_change(store, editor):
    net = _small()
    net.edges.loc[0, "trust"] = 0.6
    store.import_network(net)
    with pytest.raises(EditConflict, match="changed by an import"):
        editor.change_relationship("c1", "BUYS_FROM", "org", {"trust": 0.1}, version=0)
    editor.change_relationship("c1", "BUYS_FROM", "org", {"trust": 0.1}, version=1)


def test_undo_own_change_and_admin_undo_of_others(store, editor):
    e1 = editor.change_stakeholder("c1", {"segment": "A"}, version=0)
    e2 = editor.change_stakeholder("c1", {"segment": "B"}, version=1)
    with pytest.raises(EditConflict, match="'alice'.*segment 'A' -> 'B'"):
        editor.undo(e1["id"])  # a later change exists: undo that first
    u2 = editor.undo(e2["id"])
    assert u2["action"] == "undo" and u2["undoes"] == e2["id"]
    assert store.read_network().nodes.set_index("id").loc["c1", "segment"] == "A"
    with pytest.raises(EditRefused, match="already undone"):
        editor.undo(e2["id"])
    bob = Editor(store, user="bob")
    before = fingerprint(store)
    with pytest.raises(EditRefused, match="only an admin"):
        bob.undo(u2["id"])
    assert fingerprint(store) == before
    bob.undo(u2["id"], others=True)  # redo
    assert store.read_network().nodes.set_index("id").loc["c1", "segment"] == "B"
    created = editor.create_stakeholder({"id": "n1", "name": "New", "type": "customer"})
    editor.undo(created["id"])  # undoing a creation retires, never deletes
    assert "n1" not in store.read_network().nodes["id"].tolist()
    state, _ = editor.current(Target.stakeholder("n1", store.schema))
    assert state is not None and "__gc_retired_at" in state


def test_state_at_a_past_time(store, editor):
    target = Target.stakeholder("c1", store.schema)
    t0 = datetime.now(UTC)
    e1 = editor.change_stakeholder("c1", {"since": date(2020, 1, 31)}, version=0)
    e2 = editor.change_stakeholder("c1", {"name": "Kunde Eins"}, version=1)
    assert editor.state_at(target, t0) == {"id": "c1", "name": "Kunde 1", "type": "customer"}
    assert editor.state_at(target, e1["at"])["since"] == date(2020, 1, 31)
    assert editor.state_at(target, e1["at"])["name"] == "Kunde 1"
    assert editor.state_at(target, e2["at"])["name"] == "Kunde Eins"
    assert e1["at"] < e2["at"] and e2["seq"] == e1["seq"] + 1


def test_hostile_network_edits_keep_the_rest_intact(store):
    store.clear()
    net = hostile_network()
    store.import_network(net)
    ed = Editor(store, user="Zoë 🚀 `admin`")
    sid = net.nodes.loc[0, "id"]
    ed.change_stakeholder(sid, check_stakeholder({"segment": HOSTILE[5]}), version=0)
    got = store.read_network()
    assert got.nodes.set_index("id").loc[sid, "segment"] == HOSTILE[5]
    assert len(got.nodes) == len(net.nodes) and len(got.edges) == len(net.edges)
    assert ed.recent(limit=1)[0]["who"] == "Zoë 🚀 `admin`"


def test_counts_leave_out_retired_items_as_the_views_do(store, editor):
    from graphcap.store.assess import log_interaction
    from loaders.edit_input import check_interaction

    log_interaction(
        editor, check_interaction({"date": "2026-05-01", "source": "s1", "target": "org"})
    )

    def counted() -> tuple[int, int, int, int, int]:
        c = store.counts()
        return (
            c["nodes"]["supplier"],
            sum(c["nodes"].values()),
            c["edges"]["SUPPLIES"],
            c["edges"]["BUYS_FROM"],
            c["interactions"]["total"],
        )

    def viewed() -> tuple[int, int, int, int, int]:
        net = store.read_network()
        types = net.edges["type"].tolist()
        return (
            int((net.nodes["type"] == "supplier").sum()),
            len(net.nodes),
            types.count("SUPPLIES"),
            types.count("BUYS_FROM"),
            len(net.interactions),
        )

    assert counted() == viewed() == (1, 3, 1, 1, 1)
    editor.retire_stakeholder("s1", version=0)  # its relationship and interaction go with it
    assert counted() == viewed() == (0, 2, 0, 1, 0)
    editor.retire_relationship("c1", "BUYS_FROM", "org", version=0)
    assert counted() == viewed() == (0, 2, 0, 0, 0)
    editor.restore_stakeholder("s1", version=1)
    assert counted() == viewed() == (1, 3, 1, 0, 1)
