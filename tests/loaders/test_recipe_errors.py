"""Bad recipes: each gives one clear message naming the recipe line or file/row/column, reads
nothing outside the recipe's folder, and leaves Neo4j exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.errors import LoaderError, ValidationError
from loaders import load_path
from loaders.resolve import accepted_merges, save_merges, several_organisations, write_review
from loaders.resolve import candidates as merge_candidates

ORDERS = "kunde,tag,betrag\nK1,2024-01-03,100.5\nK1,2024-02-03,50\nK2,2024-03-01,10\n"
KUNDEN = "id;name\nK1;Müller GmbH\nK2;Dupont SA\n"
GOOD = """recipe: 1
organisation: {id: ORG, name: Acme AG}
sources:
  kunden: {file: kunden.csv, delimiter: ";"}
  orders: {file: orders.csv}
tables:
  nodes: |
    SELECT id, name, 'customer' AS type FROM kunden
  edges:
    grain: orders
    sql: |
      SELECT kunde AS source, (SELECT id FROM focal) AS target, 'BUYS_FROM' AS type,
             sum(betrag) AS volume, count(*) AS interactions
      FROM orders GROUP BY kunde
"""


def _folder(tmp_path: Path, recipe: str = GOOD) -> Path:
    (tmp_path / "kunden.csv").write_text(KUNDEN, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    path = tmp_path / "r.yaml"
    path.write_text(recipe, encoding="utf-8")
    return path


def _error(tmp_path: Path, recipe: str) -> str:
    with pytest.raises(LoaderError) as info:
        load_path(_folder(tmp_path, recipe))
    return str(info.value)


def test_the_good_recipe_adds_up_orders_and_the_focal_organisation(tmp_path):
    net = load_path(_folder(tmp_path)).network
    assert sorted(net.nodes["id"]) == ["K1", "K2", "ORG"]
    assert net.nodes.set_index("id").loc["ORG", "type"] == "organization"
    edges = net.edges.set_index("source")
    assert edges.loc["K1", "volume"] == 150.5 and edges.loc["K1", "interactions"] == 2
    assert edges.loc["K2", "volume"] == 10.0 and edges.loc["K2", "interactions"] == 1


BAD = [
    ("syntax", GOOD.replace("tables:", "tables: [", 1), "recipe r.yaml line 7: not valid YAML"),
    (
        "sql",
        GOOD.replace("FROM orders GROUP", "FROM orders GROUPP"),
        "recipe r.yaml line 14 (tables.edges): SQL error: Parser Error",
    ),
    (
        "column",
        GOOD.replace("sum(betrag)", "sum(betrg)"),
        'recipe r.yaml line 13 (tables.edges): SQL error: Binder Error: Referenced column "betrg"',
    ),
    (
        "missing file",
        GOOD.replace("orders.csv}", "nope.csv}"),
        "recipe r.yaml line 5: file 'nope.csv' not found",
    ),
    ("outside", GOOD.replace("orders.csv}", "../orders.csv}"), "leads out of the recipe's folder"),
    ("absolute", GOOD.replace("orders.csv}", "/etc/passwd.csv}"), "is an absolute path"),
    (
        "multiplying join",
        GOOD.replace(
            "FROM orders GROUP BY kunde", "FROM orders, orders o2 GROUP BY orders.kunde, o2.tag"
        )
        .replace("SELECT kunde", "SELECT orders.kunde")
        .replace("sum(betrag)", "sum(o2.betrag)"),
        "the query gives 6 rows but source 'orders' has 3: a join multiplies rows",
    ),
    (
        "two statements",
        GOOD.replace("FROM kunden\n", "FROM kunden; SELECT 1\n"),
        "must be exactly one SELECT",
    ),
    (
        "copy",
        GOOD.replace("SELECT id, name, 'customer' AS type FROM kunden", "COPY kunden TO 'x.csv'"),
        "must be exactly one SELECT",
    ),
    (
        "no focal",
        GOOD.replace("organisation: {id: ORG, name: Acme AG}\n", "").replace(
            "(SELECT id FROM focal)", "'K2'"
        ),
        "no focal organisation",
    ),
    ("unknown key", GOOD.replace("grain: orders", "grian: orders"), "unknown key 'grian'"),
]


@pytest.mark.parametrize(("case", "recipe", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_recipe_gives_one_clear_message(tmp_path, case, recipe, message):
    assert message in _error(tmp_path, recipe)


def test_sql_cannot_read_files_even_inside_the_folder(tmp_path):
    recipe = GOOD.replace(
        "SELECT id, name, 'customer' AS type FROM kunden", "SELECT * FROM read_csv('kunden.csv')"
    )
    text = _error(tmp_path, recipe)
    assert "file system operations are disabled" in text


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("a\n1\n", encoding="utf-8")
    inside = tmp_path / "in"
    inside.mkdir()
    os.symlink(outside / "secret.csv", inside / "orders.csv")
    (inside / "kunden.csv").write_text(KUNDEN, encoding="utf-8")
    (inside / "r.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(LoaderError, match="a link that leads out"):
        load_path(inside / "r.yaml")


def test_hostile_type_from_sql_meets_the_allow_list(tmp_path):
    recipe = GOOD.replace("'customer' AS type", "'Customer`) DETACH DELETE n //' AS type")
    with pytest.raises(ValidationError) as info:
        load_path(_folder(tmp_path, recipe))
    first = str(info.value.problems[0])
    assert first.startswith("r.yaml (tables.nodes), row 1, column 'type': unknown stakeholder type")


def test_validation_problems_name_the_raw_file_and_line(tmp_path):
    recipe = GOOD.replace(
        "SELECT id, name, 'customer' AS type FROM kunden",
        "SELECT id, CASE WHEN id = 'K2' THEN NULL ELSE name END AS name, "
        "'customer' AS type, _file, _line FROM kunden",
    )
    with pytest.raises(ValidationError) as info:
        load_path(_folder(tmp_path, recipe))
    assert str(info.value.problems[0]).startswith("kunden.csv, row 3, column 'name': empty name")


def test_duplicate_key_in_a_source_is_named(tmp_path):
    recipe = GOOD.replace("orders: {file: orders.csv}", "orders: {file: orders.csv, key: [kunde]}")
    assert "key kunde is not unique: 'K1' 2 times (lines 2, 3)" in _error(tmp_path, recipe)


def test_organisation_on_the_command_line(tmp_path):
    recipe = GOOD.replace("organisation: {id: ORG, name: Acme AG}\n", "")
    net = load_path(_folder(tmp_path, recipe), organisation="Brenner AG").network
    assert net.nodes.set_index("id").loc["Brenner AG", "type"] == "organization"
    assert set(net.edges["target"]) == {"Brenner AG"}


def test_bare_edge_list_infers_stakeholders(tmp_path):
    recipe = """recipe: 1
organisation: ORG
defaults: {node_type: partner}
sources: {orders: orders.csv}
tables:
  edges: |
    SELECT DISTINCT kunde AS source, 'ORG' AS target, 'PARTNERS_WITH' AS type FROM orders
"""
    net = load_path(_folder(tmp_path, recipe)).network
    assert sorted(zip(net.nodes["id"], net.nodes["type"], strict=True)) == [
        ("K1", "partner"),
        ("K2", "partner"),
        ("ORG", "organization"),
    ]


@pytest.mark.integration
def test_bad_recipes_leave_neo4j_unchanged(tmp_path, store, neo4j_env):
    from tests.store.graphcheck import fingerprint, hostile_network

    store.import_network(hostile_network())
    before = fingerprint(store)
    for case, recipe, _ in BAD:
        folder = tmp_path / case.replace(" ", "_")
        folder.mkdir()
        result = CliRunner().invoke(cli, ["import", str(_folder(folder, recipe))])
        assert result.exit_code == 3, (case, result.output)  # validation
        assert fingerprint(store) == before, case


def test_review_file_round_trip_keeps_merges_in_the_recipe(tmp_path):
    import pandas as pd

    nodes = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": [
                "BEUC",
                "Bureau Européen des Unions de Consommateurs (BEUC)",
                "Rousseau Équipements S.A.S.",
                "ROUSSEAU EQUIPEMENTS SAS",
            ],
        }
    )
    found = merge_candidates(nodes)
    assert {frozenset((c.keep_id, c.merge_id)) for c in found} == {frozenset("ab"), frozenset("cd")}
    review = tmp_path / "review.csv"
    assert write_review(found, review) == 2
    text = review.read_text(encoding="utf-8-sig").splitlines()
    text[1] = "accept" + text[1]
    text[2] = "reject" + text[2]
    review.write_text("\n".join(text) + "\n", encoding="utf-8")
    merges = accepted_merges(review)
    assert len(merges) == 1
    recipe = _folder(tmp_path)
    save_merges(recipe, merges)
    assert load_path(recipe).network.counts["nodes"] == 3  # the recipe still runs
    from loaders.recipe import load_recipe

    assert load_recipe(recipe).merges == merges


@pytest.mark.parametrize(
    ("cell", "several"),
    [
        ("Acme, Inc.", False),
        ("Dupont S.A.", False),
        ("Widget Ltd.", False),
        ("Strauß & Haas GmbH", False),
        ("A, B, C, D.", True),
        ("Müller GmbH, Schmidt AG; Weber KG", True),
        ("BEUC; ANEC", True),
    ],
)
def test_cells_with_several_organisations_are_flagged_not_split(cell, several):
    assert several_organisations(cell) is several
