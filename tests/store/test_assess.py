"""Assessments and the interaction log against the real Neo4j: combination, strength follows,
undo, hostile input, timeline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graphcap.analysis import analyze
from graphcap.errors import EditRefused
from graphcap.model import Network
from graphcap.store.assess import assess, assessments, log_interaction, timeline
from graphcap.store.edits import Editor, Target
from loaders.edit_input import EditInvalid, check_interaction

from .graphcheck import HOSTILE, fingerprint

pytestmark = pytest.mark.integration


@pytest.fixture
def editor(store):
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
            "commitment": [0.5, 0.5],
        }
    )
    store.import_network(Network(nodes=nodes, edges=edges))
    return Editor(store, user="ann")


def _edge(store, source="c1"):
    return store.read_network().edges.set_index("source").loc[source]


def test_assessments_combine_as_the_mean_of_each_assessors_newest(store, editor):
    rel = Target.relationship("c1", "BUYS_FROM", "org", store.schema)
    strength_before = analyze(store.read_network()).edges.set_index("source").loc["c1", "strength"]
    assess(editor, rel, {"trust": 0.2}, on=date(2026, 3, 1))
    assess(editor, rel, {"trust": 0.8, "commitment": 0.9}, on=date(2026, 6, 1))
    bob = Editor(store, user="bob")
    last = assess(bob, rel, {"trust": 0.4}, on=date(2026, 4, 1), comment="after the workshop")
    # hand calculation: ann's newest trust 0.8, bob's 0.4 -> 0.6; commitment only ann: 0.9
    edge = _edge(store)
    assert edge["trust"] == pytest.approx(0.6) and edge["commitment"] == pytest.approx(0.9)
    assert last["action"] == "assess" and last["changes"]["trust"] == (
        pytest.approx(0.8),
        pytest.approx(0.6),
    )
    strength_after = analyze(store.read_network()).edges.set_index("source").loc["c1", "strength"]
    assert strength_after != strength_before
    # an older assessment entered later does not override the newer one of the same assessor
    assess(editor, rel, {"trust": 0.0}, on=date(2026, 1, 1))
    assert _edge(store)["trust"] == pytest.approx(0.6)
    rows = assessments(editor, rel)
    assert [r["assessor"] for r in rows] == ["ann", "bob", "ann", "ann"]
    assert rows[1]["comment"] == "after the workshop"
    # undo bob's assessment: retracted, trust back to ann's alone
    editor_admin = Editor(store, user="root")
    events = editor.history(rel)
    bob_event = next(e for e in events if e["who"] == "bob")
    with pytest.raises(EditRefused, match="only an admin"):
        editor.undo(bob_event["id"])
    undone = editor_admin.undo(bob_event["id"], others=True)  # later assessments exist: fine
    assert _edge(store)["trust"] == pytest.approx(0.8)
    assert [r["retracted"] for r in assessments(editor, rel)] == [False, True, False, False]
    editor_admin.undo(undone["id"])  # undo the undo: bob's rating counts again
    assert _edge(store)["trust"] == pytest.approx(0.6)
    for e in [e for e in editor.history(rel) if e["who"] == "ann"]:
        editor.undo(e["id"])  # all of ann's: trust is bob's, commitment back to the imported 0.5
    edge = _edge(store)
    assert edge["trust"] == pytest.approx(0.4) and edge["commitment"] == pytest.approx(0.5)


def test_customer_satisfaction_and_loyalty(store, editor):
    who = Target.stakeholder("c1", store.schema)
    assess(editor, who, {"satisfaction": 0.7, "loyalty": 0.9}, on=date(2026, 5, 1))
    assess(Editor(store, user="survey"), who, {"satisfaction": 0.3}, on=date(2026, 5, 2))
    row = store.read_network().nodes.set_index("id").loc["c1"]
    assert row["satisfaction"] == pytest.approx(0.5) and row["loyalty"] == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("ratings", "why"),
    [
        ({"trust": 1.5}, "between 0 and 1"),
        ({"trust": float("nan")}, "between 0 and 1"),
        ({"trust": "0.5"}, "between 0 and 1"),
        ({"satisfaction": 0.5}, "rate trust"),
        ({"trust` }) //": 0.5}, "rate trust"),
        ({}, "at least one rating"),
        ({"trust": None}, "at least one"),
    ],
)
def test_bad_assessments_are_refused_and_change_nothing(store, editor, ratings, why):
    rel = Target.relationship("c1", "BUYS_FROM", "org", store.schema)
    before = fingerprint(store)
    with pytest.raises(EditRefused, match=why):
        assess(editor, rel, ratings, on=date(2026, 1, 1))
    assert fingerprint(store) == before


def test_assessing_a_missing_or_retired_relationship_is_refused(store, editor):
    before = fingerprint(store)
    with pytest.raises(EditRefused, match="does not exist"):
        assess(
            editor,
            Target.relationship("c1", "SUPPLIES", "org", store.schema),
            {"trust": 0.1},
            on=date(2026, 1, 1),
        )
    assert fingerprint(store) == before


def test_log_interactions_timeline_and_undo(store, editor):
    rel = Target.relationship("c1", "BUYS_FROM", "org", store.schema)
    fields = check_interaction(
        {
            "date": "2026-05-04",
            "source": "org",
            "target": "c1",
            "channel": "meeting",
            "sentiment": "0,5",
            "value": "€ 1 200",
            "text": HOSTILE[5],
        }
    )
    logged = log_interaction(editor, fields)
    assert logged["kind"] == "interaction" and logged["after"]["by"] == "ann"
    inter = store.read_network().interactions
    assert (
        len(inter) == 1
        and inter.loc[0, "channel"] == "meeting"
        and inter.loc[0, "text"] == HOSTILE[5]
    )
    assert inter.loc[0, "value"] == 1200.0
    assess(editor, rel, {"trust": 0.9}, on=date(2026, 5, 5))
    rows = timeline(editor, rel)
    assert [r["what"] for r in rows] == ["assess", "interaction"]
    assert "meeting" in rows[1]["detail"]
    editor.undo(logged["id"])
    assert store.read_network().interactions.empty


@pytest.mark.parametrize(
    "fields",
    [
        {"date": "2026-02-30", "source": "org", "target": "c1"},
        {"date": "2026-01-01", "source": "org", "target": "c1", "sentiment": "2"},
        {"date": "2026-01-01", "source": "org", "target": "c1", "channel": "a\x07b"},
        {"source": "org", "target": "c1"},
    ],
)
def test_bad_interactions_are_refused_with_the_importers_words(store, editor, fields):
    before = fingerprint(store)
    with pytest.raises(EditInvalid, match="nothing was changed"):
        log_interaction(editor, check_interaction(fields))
    assert fingerprint(store) == before


def test_an_interaction_with_an_unknown_stakeholder_is_refused(store, editor):
    before = fingerprint(store)
    with pytest.raises(EditRefused, match="'nobody' is not a stakeholder"):
        log_interaction(
            editor, check_interaction({"date": "2026-01-01", "source": "org", "target": "nobody"})
        )
    assert fingerprint(store) == before
