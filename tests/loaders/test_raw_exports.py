"""Each raw export of the sample + its shipped recipe, imported into the real Neo4j, equals the
canonical sample for what the raw shape carries; a second import changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.sample import sample_small
from graphcap.sample.raw import write_raw
from graphcap.store import Neo4jStore
from loaders import RECIPES_DIR, load_path
from loaders.recipe import load_recipe
from loaders.recipe_run import run_recipe
from loaders.resolve import candidates, save_merges
from tests.loaders.rawcases import (
    aggregated_edges,
    expected_nodes,
    expected_ratings,
    partner_log,
)
from tests.store.graphcheck import assert_same_frame, fingerprint

pytestmark = pytest.mark.integration

NET = sample_small()


def _export(shape: str, folder: Path) -> tuple[Path, dict]:
    truth = write_raw(NET, shape, folder)
    recipe = folder / "recipe.yaml"
    recipe.write_bytes((RECIPES_DIR / f"{shape}.yaml").read_bytes())
    return recipe, truth


def _import(recipe: Path) -> dict[str, tuple[int, int, int]]:
    result = CliRunner().invoke(cli, ["import", str(recipe)])
    assert result.exit_code == 0, result.output
    counts = {}
    for kind in ("nodes", "edges", "interactions"):
        found = re.search(
            rf"^\s+{kind}\s+(\d+) created\s+(\d+) updated\s+(\d+) unchanged",
            result.stdout,
            re.MULTILINE,
        )
        assert found, result.stdout
        counts[kind] = tuple(int(x) for x in found.groups())
    return counts


def _same(expected: pd.DataFrame, got: pd.DataFrame, key: list[str], what: str) -> None:
    cols = list(expected.columns)
    extra = [c for c in got.columns if c not in cols]
    assert not [c for c in extra if got[c].notna().any()], f"{what}: unexpected {extra}"
    assert_same_frame(expected.reset_index(drop=True), got[cols].reset_index(drop=True), key, what)


def _second_run_changes_nothing(store: Neo4jStore, recipe: Path) -> None:
    before = fingerprint(store)
    again = _import(recipe)
    assert all(c[0] == 0 and c[1] == 0 for c in again.values()), again
    assert fingerprint(store) == before


def test_erp_export_equals_the_sample(tmp_path, store, neo4j_env):
    recipe, _ = _export("erp", tmp_path)
    _import(recipe)
    got = store.read_network()
    _same(expected_nodes(NET, "erp"), got.nodes, ["id"], "erp nodes")
    log = partner_log(NET, ("customer", "supplier"))
    _same(
        log[["date", "source", "target", "channel", "value"]],
        got.interactions,
        ["date", "source", "target", "channel", "value"],
        "erp interactions",
    )
    edges = aggregated_edges(log)
    _same(edges, got.edges, ["source", "type", "target"], "erp relationships")
    _second_run_changes_nothing(store, recipe)


def test_crm_export_equals_the_sample(tmp_path, store, neo4j_env):
    recipe, _ = _export("crm", tmp_path)
    _import(recipe)
    got = store.read_network()
    _same(expected_nodes(NET, "crm"), got.nodes, ["id"], "crm nodes")
    cols = ["date", "source", "target", "channel", "value", "sentiment"]
    _same(NET.interactions[cols], got.interactions, cols, "crm interactions")
    edges = aggregated_edges(partner_log(NET, ("customer", "supplier")), sentiment=True)
    _same(edges, got.edges, ["source", "type", "target"], "crm relationships")
    _second_run_changes_nothing(store, recipe)


def test_rating_log_equals_the_sample(tmp_path, store, neo4j_env):
    recipe, _ = _export("ratings", tmp_path)
    _import(recipe)
    got = store.read_network()
    edges, inter = expected_ratings(NET)
    _same(inter, got.interactions, list(inter.columns), "rating interactions")
    _same(edges, got.edges, ["source", "type", "target"], "rating relationships")
    focal = NET.nodes.iloc[0]
    ids = sorted(set(inter["source"]) | set(inter["target"]))
    assert got.nodes["id"].tolist() == ids  # inferred from the ids, the self-rating dropped
    named = dict(zip(got.nodes["id"], got.nodes["name"], strict=True))
    assert named.pop(focal["id"]) == focal["name"]
    assert all(k == v for k, v in named.items())
    assert set(got.nodes.loc[got.nodes["id"] != focal["id"], "type"]) == {"partner"}
    _second_run_changes_nothing(store, recipe)


def test_meeting_register_resolves_variants_and_equals_the_sample(tmp_path, store, neo4j_env):
    recipe, truth = _export("meetings", tmp_path)
    planted = truth["variants"]  # variant name -> real name
    assert len(planted) >= 3
    raw = run_recipe(load_recipe(recipe))
    nodes = raw.tables["nodes"].frame
    found = candidates(nodes)
    pairs = {frozenset((c.keep_id, c.merge_id)) for c in found}
    true = {frozenset(p) for p in planted.items()}
    recall = len(pairs & true) / len(true)
    precision = len(pairs & true) / len(pairs)
    assert recall >= 0.95, (recall, sorted(map(sorted, true - pairs)))
    assert precision >= 0.9, (precision, sorted(map(sorted, pairs - true)))
    # the person accepts the true candidates (keeping the real name) and rejects the others
    save_merges(
        recipe,
        {variant: real for variant, real in planted.items() if frozenset((variant, real)) in pairs},
    )
    assert load_recipe(recipe).merges
    _import(recipe)
    got = store.read_network()
    names = dict(zip(NET.nodes["id"], NET.nodes["name"], strict=True))
    meet = NET.interactions[NET.interactions["channel"] == "meeting"]
    expected = pd.DataFrame(
        {
            "date": meet["date"],
            "source": meet["source"].map(names),
            "target": meet["target"].map(names),
            "channel": "meeting",
        }
    )
    _same(expected, got.interactions, list(expected.columns), "meetings")
    assert set(got.nodes["name"]) == set(expected["source"]) | set(expected["target"])
    # the meetings added up into one relationship per organisation met and unit (pandas, by hand)
    units = set(NET.nodes.loc[NET.nodes["type"] == "organization", "name"])
    inbound = ~expected["source"].isin(units)
    pairs = pd.DataFrame(
        {
            "source": expected["source"].where(inbound, expected["target"]),
            "target": expected["target"].where(inbound, expected["source"]),
            "date": pd.to_datetime(expected["date"]),
        }
    )
    summed = (
        pairs.groupby(["source", "target"])["date"]
        .agg(interactions="count", since="min", last_contact="max")
        .reset_index()
    )
    edges = got.edges.sort_values(["source", "target"]).reset_index(drop=True)
    assert set(edges["type"]) == {"INFLUENCES"} and set(edges["kind"]) == {"meeting"}
    assert edges["source"].tolist() == summed["source"].tolist()
    assert edges["target"].tolist() == summed["target"].tolist()
    assert edges["interactions"].astype(int).tolist() == summed["interactions"].tolist()
    assert pd.to_datetime(edges["since"]).dt.date.tolist() == summed["since"].dt.date.tolist()
    assert (
        pd.to_datetime(edges["last_contact"]).dt.date.tolist()
        == summed["last_contact"].dt.date.tolist()
    )
    _second_run_changes_nothing(store, recipe)


def test_recipe_runs_the_same_from_python(tmp_path):
    recipe, _ = _export("erp", tmp_path)
    result = load_path(recipe)
    assert result.network.counts == {
        "nodes": len(expected_nodes(NET, "erp")),
        "edges": len(aggregated_edges(partner_log(NET, ("customer", "supplier")))),
        "interactions": len(partner_log(NET, ("customer", "supplier"))),
    }
    assert result.network.meta["recipe"] == "recipe.yaml"
