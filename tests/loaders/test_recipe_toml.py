"""TOML recipes: the same schema as YAML, the same result, the same messages naming the line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graphcap.errors import LoaderError
from loaders import load_path
from loaders.recipe import load_recipe
from loaders.resolve import save_merges
from tests.loaders.test_recipe_errors import GOOD, _folder

TOML = '''recipe = 1
organisation = {id = "ORG", name = "Acme AG"}
[sources]
kunden = {file = "kunden.csv", delimiter = ";"}
orders = {file = "orders.csv"}
[tables]
nodes = """
SELECT id, name, 'customer' AS type FROM kunden
"""
[tables.edges]
grain = "orders"
sql = """
SELECT kunde AS source, (SELECT id FROM focal) AS target, 'BUYS_FROM' AS type,
       sum(betrag) AS volume, count(*) AS interactions
FROM orders GROUP BY kunde
"""
'''


def _toml(tmp_path: Path, text: str = TOML) -> Path:
    _folder(tmp_path)
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_recipe_gives_the_same_network_as_the_yaml_one(tmp_path):
    from_yaml = load_path(_folder(tmp_path, GOOD)).network
    from_toml = load_path(_toml(tmp_path)).network
    for kind in ("nodes", "edges"):
        a = getattr(from_yaml, kind).sort_index(axis=1).reset_index(drop=True)
        b = getattr(from_toml, kind).sort_index(axis=1).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    edges = from_toml.edges.set_index("source")
    assert edges.loc["K1", "volume"] == 150.5 and edges.loc["K1", "interactions"] == 2


BAD = [
    ("syntax", TOML.replace("[tables]", "[tables", 1), "recipe r.toml line 6: not valid TOML"),
    (
        "sql",
        TOML.replace("FROM orders GROUP", "FROM orders GROUPP"),
        "recipe r.toml line 15 (tables.edges): SQL error: Parser Error",
    ),
    (
        "column",
        TOML.replace("sum(betrag)", "sum(betrg)"),
        'recipe r.toml line 14 (tables.edges): SQL error: Binder Error: Referenced column "betrg"',
    ),
    (
        "one-line sql",
        TOML.replace('nodes = """\nSELECT', 'nodes = """SELECT').replace(
            "FROM kunden", "FROM kundn"
        ),
        "recipe r.toml line 7 (tables.nodes): SQL error: Catalog Error",
    ),
    (
        "missing file",
        TOML.replace('"orders.csv"', '"nope.csv"'),
        "recipe r.toml line 5: file 'nope.csv' not found",
    ),
    (
        "outside",
        TOML.replace('"orders.csv"', '"../orders.csv"'),
        "leads out of the recipe's folder",
    ),
    (
        "unknown key",
        TOML.replace('grain = "orders"', 'grian = "orders"'),
        "line 10: unknown key 'grian'",
    ),
    (
        "unknown source key",
        TOML.replace('delimiter = ";"', 'delimitr = ";"'),
        "recipe r.toml line 4: unknown key 'delimitr' in source 'kunden' (did you mean 'delimiter'?)",
    ),
    (
        "version",
        TOML.replace("recipe = 1", "recipe = 2"),
        "recipe r.toml line 1: this graphcap reads",
    ),
]


@pytest.mark.parametrize(("case", "recipe", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_toml_recipe_gives_the_message_yaml_gives(tmp_path, case, recipe, message):
    with pytest.raises(LoaderError) as info:
        load_path(_toml(tmp_path, recipe))
    assert message in str(info.value)


def test_accepted_merges_are_kept_in_a_toml_recipe(tmp_path):
    path = _toml(tmp_path)
    save_merges(path, {"Müller GmbH & Co": "K1"})
    save_merges(path, {'Dupont "SA"': "K2"})
    assert load_recipe(path).merges == {"Müller GmbH & Co": "K1", 'Dupont "SA"': "K2"}
    text = path.read_text(encoding="utf-8")
    assert text.count("[merges]") == 1 and text.startswith(TOML)
