"""Ego-only data declared at import (``graphcap import --ego-only``, recipe key ``ego_only:
true``): stored with the data in Neo4j and in snapshots, read back by every analysis.

The network: the organisation ``o``, customers ``a`` and ``b`` (revenue 50 each), supplier ``c``
and partner ``p``; every relationship has strength 0.5 and runs to ``o``, plus one partnership
``p``-``a``. Checked by hand (docs/METRICS.md):

- undeclared, the partnership makes it no star: ``b`` and ``c`` hang on one relationship each and
  are flagged single-threaded (15 points); health = 1 - 0.5 * 15/50 (``b`` carries half the
  revenue, ``c`` none) = 0.85; base = 0.4 * 0.5 (strength) + 0.3 * 0.420169 (diversification of
  two equal customers) + 0.3 * 0 (brokerage) = 0.326051; RCI = 100 * 0.326051 * 0.85 = 27.714;
- declared ego-only, nobody is flagged one by one (health 1) and brokerage is left out, its
  weight shared by the others: RCI = 100 * (0.4 * 0.5 + 0.3 * 0.420169) / 0.7 = 46.579.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.analysis import analyze
from graphcap.cli import cli
from graphcap.errors import LoaderError
from graphcap.history import list_snapshots
from graphcap.model import Network
from graphcap.snapshot import read_snapshot
from loaders import load_path
from loaders.recipe import load_recipe
from tests.loaders.test_recipe_errors import GOOD, _folder

UNDECLARED, DECLARED = 27.714313, 46.578677
LAST_CONTACT = "2024-03-31"


def _network(**meta: object) -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["o", "a", "b", "c", "p"],
            "name": ["Org", "Alpha", "Beta", "Gamma", "Pi"],
            "type": ["organization", "customer", "customer", "supplier", "partner"],
            "revenue": [None, 50.0, 50.0, None, None],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "c", "p", "p"],
            "target": ["o", "o", "o", "o", "a"],
            "type": ["BUYS_FROM", "BUYS_FROM", "SUPPLIES", "PARTNERS_WITH", "PARTNERS_WITH"],
            "strength": [0.5] * 5,
            "last_contact": pd.to_datetime([LAST_CONTACT] * 5),
        }
    )
    return Network(nodes, edges, meta=dict(meta))


def _single_threaded(analysis: object) -> list[str]:
    risks = analysis.risks  # type: ignore[attr-defined]
    if not len(risks):
        return []
    return sorted(risks.loc[risks["single_threaded"].fillna(False).astype(bool), "id"])


def test_the_hand_checked_figures_with_and_without_the_declaration() -> None:
    plain = analyze(_network())
    assert plain.rci.score == pytest.approx(UNDECLARED, abs=1e-5)
    assert _single_threaded(plain) == ["b", "c"] and not plain.params["ego_only"]
    ego = analyze(_network(ego_only=True))
    assert ego.rci.score == pytest.approx(DECLARED, abs=1e-5)
    assert _single_threaded(ego) == [] and ego.params["ego_only"]
    assert "brokerage" not in set(ego.rci.dimensions["dimension"])


# -- the recipe key --------------------------------------------------------------------------


def test_the_recipe_key_declares_the_data_ego_only(tmp_path: Path) -> None:
    path = _folder(tmp_path, GOOD + "ego_only: true\n")
    assert load_recipe(path).ego_only is True
    assert load_path(path).network.meta["ego_only"] is True
    plain = _folder(tmp_path, GOOD)
    assert load_recipe(plain).ego_only is False
    assert "ego_only" not in load_path(plain).network.meta


@pytest.mark.parametrize("value", ['"yes please"', "1", "[true]"])
def test_a_recipe_ego_only_that_is_not_true_or_false_names_its_line(
    tmp_path: Path, value: str
) -> None:
    path = _folder(tmp_path, GOOD + f"ego_only: {value}\n")
    with pytest.raises(LoaderError) as info:
        load_recipe(path)
    assert str(info.value).startswith("recipe r.yaml line 15: ego_only must be true or false")


# -- stored with the data in Neo4j -----------------------------------------------------------


@pytest.mark.integration
def test_the_declaration_is_stored_with_the_data_and_read_back(store) -> None:
    store.import_network(_network(ego_only=True))
    back = store.read_network()
    assert back.meta["ego_only"] is True
    assert pd.Timestamp(back.meta["as_of"]).date().isoformat() == LAST_CONTACT
    read = analyze(back)
    assert read.rci.score == pytest.approx(DECLARED, abs=1e-5)
    assert _single_threaded(read) == [] and read.params["ego_only"]
    assert read.params["as_of_source"] == "stored with the data"
    # another import into the graph declares it too: still ego-only
    store.import_network(_network(ego_only=True))
    assert store.read_network().meta.get("ego_only") is True
    # an import without the declaration may bring ties among stakeholders: no longer ego-only
    store.import_network(_network())
    plain = store.read_network()
    assert "ego_only" not in plain.meta
    assert analyze(plain).rci.score == pytest.approx(UNDECLARED, abs=1e-5)
    assert _single_threaded(analyze(plain)) == ["b", "c"]
    # ... and a later declared import alone does not make it ego-only again
    store.import_network(_network(ego_only=True))
    assert "ego_only" not in store.read_network().meta
    # a replace makes the graph exactly what it imports, declaration included
    store.import_network(_network(ego_only=True), replace=True)
    assert store.read_network().meta["ego_only"] is True
    store.clear()
    assert "ego_only" not in store.read_network().meta


@pytest.mark.integration
def test_import_ego_only_then_snapshot_keeps_the_flag_and_the_date(
    store, neo4j_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "in"
    folder.mkdir()
    net = _network()
    net.nodes.to_csv(folder / "nodes.csv", index=False)
    net.edges.assign(last_contact=LAST_CONTACT).to_csv(folder / "edges.csv", index=False)
    runner = CliRunner()
    res = runner.invoke(
        cli, ["import", str(folder), "--ego-only", "--format", "json"], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["ego_only"] is True and doc["as_of"] == LAST_CONTACT
    assert doc["imported"]["nodes"]["created"] == 5
    res = runner.invoke(cli, ["import", str(folder), "--ego-only"], catch_exceptions=False)
    assert "Ego-only data: it shows only relationships with the organisation" in res.stderr
    assert store.read_network().meta["ego_only"] is True

    # snapshots keep the declaration and the data's date; analyses of them read both back
    res = runner.invoke(cli, ["snapshot", "create", "--name", "ego"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        cli,
        ["snapshot", "create", "--name", "earlier", "--as-of", "2024-01-31"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    # by name: both were created within the same second, so their listed order is not fixed
    by_name = {info.name: info for info in list_snapshots()}
    ego, earlier = by_name["ego"], by_name["earlier"]
    snap = read_snapshot(ego.path)
    assert snap.meta["ego_only"] is True
    assert snap.meta["as_of"] == LAST_CONTACT and snap.meta["data_as_of"] == LAST_CONTACT
    again = analyze(snap)
    assert again.params["as_of"] == LAST_CONTACT
    assert again.params["as_of_source"] == "stored with the data"
    assert again.params["ego_only"] and again.rci.score == pytest.approx(DECLARED, abs=1e-5)
    assert snap.meta["rci"] == pytest.approx(DECLARED, abs=1e-5)
    # figures for another date: that date is the snapshot's as_of, the data's own date stays
    then = read_snapshot(earlier.path)
    assert then.meta["as_of"] == "2024-01-31" and then.meta["data_as_of"] == LAST_CONTACT
    assert analyze(then).params["as_of"] == "2024-01-31"
    res = runner.invoke(
        cli, ["snapshot", "show", str(ego.path), "--format", "json"], catch_exceptions=False
    )
    assert json.loads(res.stdout)["as_of"] == LAST_CONTACT
