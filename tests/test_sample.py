"""The sample network: determinism, the invariants every loader checks, and the stories it is
meant to tell (Pareto revenue, single sources, cooling relationships, expiring contracts), each
recomputed here from the frames; and ``graphcap sample`` writing files that read back equal."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.errors import ConfigError
from graphcap.model import Network
from graphcap.model.schema import NODE_TYPES, QUALITY_DIMENSIONS, REL_TYPES
from graphcap.sample import SCALES, generate_sample, sample_small
from graphcap.snapshot import read_snapshot

SMALL = SCALES["small"]


@pytest.fixture(scope="module")
def default() -> Network:
    return generate_sample()


@pytest.fixture(scope="module")
def nets(default: Network) -> dict[str, Network]:
    return {
        "default": default,
        "small": sample_small(),
        "small-7": generate_sample(seed=7, **SMALL),
        "mid-3": generate_sample(
            seed=3,
            customers=1500,
            suppliers=200,
            partners=40,
            agencies=20,
            competitors=25,
            years=2,
            as_of=date(2025, 3, 31),
        ),
    }


CASES = ["default", "small", "small-7", "mid-3"]


def as_of(net: Network) -> pd.Timestamp:
    return pd.Timestamp(net.meta["as_of"])


def pair_key(a: pd.Series, b: pd.Series) -> pd.Series:
    """An undirected key for a pair of node ids."""
    return pd.Series(np.where(a < b, a + "|" + b, b + "|" + a), index=a.index)


# -- determinism --------------------------------------------------------------------------------


def test_same_seed_same_frames() -> None:
    a, b = generate_sample(seed=11, **SMALL), generate_sample(seed=11, **SMALL)
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.edges, b.edges)
    pd.testing.assert_frame_equal(a.interactions, b.interactions)
    assert a.meta == b.meta
    c = generate_sample(seed=12, **SMALL)
    assert not a.nodes["name"].equals(c.nodes["name"])
    assert not a.edges[["source", "target"]].equals(c.edges[["source", "target"]])


def test_meta() -> None:
    net = generate_sample(seed=5, as_of=date(2025, 6, 30), years=2, **SMALL)
    assert net.meta["as_of"] == date(2025, 6, 30)
    assert (
        net.meta["seed"] == 5
        and net.meta["generator"] == "graphcap.sample"
        and net.meta["years"] == 2
    )


@pytest.mark.parametrize(
    ("kw", "what"),
    [
        ({"customers": 3}, "customers must be a whole number >= 10"),
        ({"suppliers": 2}, "suppliers must be"),
        ({"partners": 1.5}, "partners must be"),
        ({"years": 0}, "years must be between 1 and 20"),
        ({"links": 0}, "links must be positive"),
    ],
)
def test_bad_parameters(kw: dict, what: str) -> None:
    with pytest.raises(ConfigError, match=what):
        generate_sample(**{**SMALL, **kw})


# -- invariants ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_invariants(nets: dict[str, Network], case: str) -> None:
    net = nets[case]
    nodes, edges, log = net.nodes, net.edges, net.interactions
    today = as_of(net)
    # ids: unique, non-empty strings; types canonical
    assert all(isinstance(v, str) and v for v in nodes["id"])
    assert nodes["id"].is_unique and nodes["name"].is_unique
    assert set(nodes["type"]) == set(NODE_TYPES)
    assert set(edges["type"]) <= set(REL_TYPES)
    # every edge and interaction between known nodes, no self-loops, one edge per (s, type, t)
    ids = set(nodes["id"])
    for frame in (edges, log):
        assert frame["source"].isin(ids).all() and frame["target"].isin(ids).all()
        assert (frame["source"] != frame["target"]).all()
    assert not edges.duplicated(["source", "type", "target"]).any()
    # ranges
    for col in ("satisfaction", "loyalty", "power", "interest"):
        assert nodes[col].dropna().between(0, 1).all(), col
    for col in QUALITY_DIMENSIONS:
        assert edges[col].notna().all() and edges[col].between(0, 1).all(), col
    for frame in (edges, log):
        assert frame["sentiment"].dropna().between(-1, 1).all()
    assert (nodes["revenue"].dropna() > 0).all() and (edges["volume"].dropna() > 0).all()
    assert set(log["channel"]) <= {"meeting", "call", "email", "visit", "event"}
    # dates: no future history; contracts run from as_of on
    assert (nodes["since"] <= today).all() and (edges["since"] <= today).all()
    assert (edges["last_contact"].dropna() <= today).all()
    assert (
        (edges["last_contact"] >= edges["since"]).where(edges["last_contact"].notna(), True).all()
    )
    assert (edges["contract_until"].dropna() >= today).all()
    first = today - pd.Timedelta(days=365 * net.meta["years"])
    assert log["date"].between(first, today).all()
    # dtypes as the model describes them
    for frame, text in (
        (nodes, ["id", "name", "type", "segment"]),
        (edges, ["source", "target", "type", "kind"]),
    ):
        for col in text:
            assert frame[col].dtype == object
            assert {type(v) for v in frame[col]} <= {str, type(None)}
    assert str(edges["interactions"].dtype) == "Int64"
    for col in ("since", "contract_until", "last_contact"):
        assert str(edges[col].dtype) == "datetime64[ns]"
    assert str(log["date"].dtype) == "datetime64[ns]"


@pytest.mark.parametrize("case", CASES)
def test_edge_figures_agree_with_the_log(nets: dict[str, Network], case: str) -> None:
    net = nets[case]
    edges, log = net.edges, net.interactions
    keys = pair_key(edges["source"], edges["target"])
    single = keys[~keys.duplicated(keep=False)]
    by_pair = log.assign(key=pair_key(log["source"], log["target"])).groupby("key")
    counts, last = by_pair.size(), by_pair["date"].max()
    checked = 0
    for i, key in single.items():
        if key in counts.index:
            assert edges.at[i, "interactions"] == counts[key]
            assert edges.at[i, "last_contact"] == last[key]
            checked += 1
    assert checked >= 0.2 * len(edges) / (3 if case == "mid-3" else 1)
    assert edges.loc[edges["type"] == "COMPETES_WITH", "interactions"].isna().all()


def test_names_look_european(default: Network) -> None:
    names = default.nodes["name"]
    assert names.str.contains("[äöüÄÖÜß]").sum() >= 20
    assert names.str.contains("[\u0400-\u04ff]").any()  # Cyrillic
    assert names.str.contains("[ąęłńśźżčřěůøåé]").any()  # other European letters
    assert names.str.contains(r"GmbH|AG|KG").sum() >= 50
    assert default.nodes["country"].nunique() >= 8
    assert len(default.nodes) == 2 + sum(SCALES["default"].values())


# -- the stories --------------------------------------------------------------------------------


def top_share(values: pd.Series, share: float = 0.2) -> float:
    """Share of the total held by the top ``share`` of values (computed by sorting)."""
    v = sorted(values.tolist(), reverse=True)
    k = math.ceil(share * len(v))
    return sum(v[:k]) / sum(v)


@pytest.mark.parametrize("case", CASES)
def test_revenue_is_pareto(nets: dict[str, Network], case: str) -> None:
    net = nets[case]
    revenue = net.nodes.loc[net.nodes["type"] == "customer", "revenue"]
    assert revenue.notna().all()
    assert 0.72 <= top_share(revenue) <= 0.88
    # a customer's revenue is what it buys from the business units
    e = net.edges
    to_us = e[(e["type"] == "BUYS_FROM") & e["target"].isin(net.focal_ids())]
    bought = to_us.groupby("source")["volume"].sum()
    diff = (bought - net.nodes.set_index("id").loc[bought.index, "revenue"]).abs()
    assert (diff <= 100).all()


def test_single_source_suppliers(default: Network) -> None:
    nodes, e = default.nodes.set_index("id"), default.edges
    sup = e[(e["type"] == "SUPPLIES") & e["target"].isin(default.focal_ids())].copy()
    sup["commodity"] = nodes.loc[sup["source"], "segment"].to_numpy()
    per = sup.groupby(["target", "commodity"])["source"].nunique()
    sole = per[per == 1]
    assert len(sole) >= 3
    expected = sup.set_index(["target", "commodity"]).index.isin(sole.index)
    assert (sup["kind"] == np.where(expected, "single_source", "multi_source")).all()
    critical = nodes.index[
        (nodes["type"] == "supplier") & nodes["tags"].fillna("").str.contains("critical")
    ]
    assert len(critical) >= 3
    # a critical commodity has one supplier in the whole network
    all_sup = nodes[nodes["type"] == "supplier"]
    for sid in critical:
        assert (all_sup["segment"] == nodes.at[sid, "segment"]).sum() == 1
    # some suppliers also supply competitors, among them a critical one
    competitors = set(nodes.index[nodes["type"] == "competitor"])
    to_comp = set(e.loc[(e["type"] == "SUPPLIES") & e["target"].isin(competitors), "source"])
    assert len(to_comp & set(sup["source"])) >= 5
    assert to_comp & set(critical)


def test_partners_agencies_competitors(default: Network) -> None:
    nodes, e = default.nodes.set_index("id"), default.edges
    ntype = e["target"].map(nodes["type"]), e["source"].map(nodes["type"])
    tgt_type, src_type = ntype
    kinds = set(e.loc[e["type"] == "PARTNERS_WITH", "kind"])
    assert {"alliance", "joint_venture", "coalition"} <= kinds
    jv = nodes.index[nodes["segment"] == "Joint venture"]
    assert len(jv) == 1
    assert (e["target"].eq(jv[0]) & e["kind"].eq("joint_venture")).sum() >= 2
    member_of = e[e["type"] == "MEMBER_OF"]
    assert set(member_of["target"].map(nodes["segment"])) <= {"Association", "Network"}
    assert member_of["source"].isin(default.focal_ids()).sum() >= 2
    for rel in ("REGULATES", "INFLUENCES", "SERVES"):
        by_agency = e[(e["type"] == rel) & (src_type == "agency") & (tgt_type == "organization")]
        assert len(by_agency) >= 1, rel
    servers = e[(e["type"] == "SERVES") & e["target"].isin(default.focal_ids())]["source"].map(
        nodes["segment"]
    )
    assert {"PR agency", "Marketing agency"} <= set(servers)
    regulators = e.loc[e["type"] == "REGULATES", "source"].map(nodes["segment"])
    assert set(regulators) == {"Regulator"}
    comp = e[e["type"] == "COMPETES_WITH"]
    assert (
        comp["target"].isin(default.focal_ids()).sum()
        >= len(nodes[nodes["type"] == "competitor"]) * 0.8
    )
    # competitors share customers and suppliers with us
    buys = e[e["type"] == "BUYS_FROM"]
    ours = set(buys.loc[buys["target"].isin(default.focal_ids()), "source"])
    theirs = set(buys.loc[buys["target"].map(nodes["type"]) == "competitor", "source"])
    assert len(ours & theirs) >= 0.3 * len(ours)


def test_referral_chains(default: Network) -> None:
    e = default.edges
    refs = e[e["type"] == "REFERS"]
    types = default.nodes.set_index("id")["type"]
    assert (refs["source"].map(types) == "customer").all() and (
        refs["target"].map(types) == "customer"
    ).all()
    nxt = dict(zip(refs["source"], refs["target"], strict=True))
    longest = 0
    for start in set(refs["source"]) - set(refs["target"]):
        n, node = 0, start
        while node in nxt:
            node, n = nxt[node], n + 1
        longest = max(longest, n)
    assert longest >= 3


@pytest.mark.parametrize("case", CASES)
def test_cooling_relationships(nets: dict[str, Network], case: str) -> None:
    net = nets[case]
    today, years = as_of(net), net.meta["years"]
    log = net.interactions.assign(key=lambda f: pair_key(f["source"], f["target"]))
    first = log[log["date"] < today - pd.Timedelta(days=365 * (years - 1))].groupby("key").size()
    last = log[log["date"] >= today - pd.Timedelta(days=365)].groupby("key").size()
    freq = pd.DataFrame({"first": first, "last": last}).fillna(0)
    planted = [p.split("|") for p in net.meta["planted_cooling"]]
    assert len(planted) >= 4
    e = net.edges.set_index(["source", "type", "target"])
    keys = pair_key(pd.Series([p[0] for p in planted]), pd.Series([p[2] for p in planted]))
    for s, t, tg in planted:  # last contact long ago
        assert (today - e.loc[(s, t, tg), "last_contact"]).days >= 100
    # contacts in the last year well below the first year, for them and not for the others
    busy = freq[freq["first"] >= 6]
    ratio = busy["last"] / busy["first"]
    cooled = busy.index.isin(list(keys))
    assert cooled.sum() >= 3
    assert (ratio[cooled] <= 0.5).mean() >= 0.9 and ratio[cooled].median() <= 0.3
    assert (ratio[~cooled] <= 0.5).mean() < 0.05  # the others keep their rhythm
    # the cooling ones are valuable: customer relationships in the top 40% by volume
    bf = net.edges[(net.edges["type"] == "BUYS_FROM") & net.edges["target"].isin(net.focal_ids())]
    pct = bf["volume"].rank(pct=True)
    planted_bf = [(s, tg) for s, t, tg in planted if t == "BUYS_FROM"]
    idx = bf.reset_index().set_index(["source", "target"]).loc[planted_bf, "index"]
    assert (pct.loc[idx] >= 0.55).all()
    # their sentiment falls: last-year mean below first-year mean
    mine = log[log["key"].isin(list(keys))]
    early = mine[mine["date"] < today - pd.Timedelta(days=365 * (years - 1))]["sentiment"].mean()
    late = mine[mine["date"] >= today - pd.Timedelta(days=365)]["sentiment"].mean()
    assert late < early - 0.2


@pytest.mark.parametrize("case", CASES)
def test_some_contracts_expire_soon(nets: dict[str, Network], case: str) -> None:
    net = nets[case]
    today = as_of(net)
    until = net.edges["contract_until"]
    soon = until.between(today, today + pd.Timedelta(days=90))
    assert soon.sum() >= 5
    assert (until > today + pd.Timedelta(days=365)).sum() > soon.sum()


@pytest.mark.slow
def test_bench_scale_size() -> None:
    net = generate_sample(**SCALES["bench"])
    assert len(net.nodes) == 100_000
    assert 450_000 <= len(net.edges) <= 550_000
    assert len(net.interactions) <= 250_000 * 1.05
    assert net.nodes["name"].is_unique and net.nodes["id"].is_unique
    assert not net.edges.duplicated(["source", "type", "target"]).any()
    revenue = net.nodes.loc[net.nodes["type"] == "customer", "revenue"]
    assert 0.76 <= top_share(revenue) <= 0.84


# -- the command --------------------------------------------------------------------------------


def test_cli_writes_snapshot_csv_and_xlsx_that_read_back_equal(tmp_path: Path) -> None:
    from loaders import load_path

    expected = generate_sample(seed=9, **SMALL)
    result = CliRunner().invoke(
        cli,
        [
            "sample",
            "--scale",
            "small",
            "--seed",
            "9",
            "--out",
            str(tmp_path / "s.gcap"),
            "--csv",
            str(tmp_path / "csv"),
            "--xlsx",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        f"{len(expected.nodes)} stakeholders, {len(expected.edges)} relationships" in result.output
    )
    snap = read_snapshot(tmp_path / "s.gcap")
    assert snap.meta["source"] == "graphcap sample" and snap.meta["seed"] == 9
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "edges.csv",
        "interactions.csv",
        "nodes.csv",
    ]
    head = (tmp_path / "csv" / "edges.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ",BUYS_FROM," in head and "2026-" in head  # comma separated, ISO dates
    for back in (snap, load_path(tmp_path / "csv").network, load_path(tmp_path / "s.xlsx").network):
        pd.testing.assert_frame_equal(back.nodes, expected.nodes)
        pd.testing.assert_frame_equal(back.edges, expected.edges)
        pd.testing.assert_frame_equal(back.interactions, expected.interactions)


def test_cli_default_target_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(tmp_path / "default.gcap"))
    runner = CliRunner()
    result = runner.invoke(cli, ["sample", "--scale", "small", "--customers", "12"])
    assert result.exit_code == 0, result.output
    net = read_snapshot(tmp_path / "default.gcap")
    assert (net.nodes["type"] == "customer").sum() == 12
    assert runner.invoke(cli, ["sample", "--replace"]).exit_code == 2
    assert "--replace only applies to --neo4j" in runner.invoke(cli, ["sample", "--replace"]).output
    bad_date = runner.invoke(cli, ["sample", "--as-of", "01.11.2026"])
    assert bad_date.exit_code == 2 and "is not a date like 2026-11-01" in bad_date.output
    assert runner.invoke(cli, ["sample", "--customers", "3"]).exit_code == 2
    bad_xlsx = runner.invoke(cli, ["sample", "--scale", "small", "--xlsx", str(tmp_path / "a.xls")])
    assert bad_xlsx.exit_code == 11 and "must end in .xlsx" in bad_xlsx.stderr  # ExportError


@pytest.mark.integration
def test_cli_imports_into_neo4j(neo4j_env) -> None:
    from graphcap.store import Neo4jStore

    s = neo4j_env
    expected = sample_small()
    runner = CliRunner()
    for _ in range(2):  # --replace: the second run gives the same graph, not twice the data
        result = runner.invoke(cli, ["sample", "--scale", "small", "--neo4j", "--replace"])
        assert result.exit_code == 0, result.output
        assert "Imported into" in result.output
    with Neo4jStore(s) as store:
        counts = store.counts()
        back = store.read_network()
    by_type = expected.counts_by_type()
    assert counts["nodes"] == by_type["nodes"] and counts["edges"] == by_type["edges"]
    assert counts["interactions"]["total"] == len(expected.interactions)
    assert set(back.nodes["name"]) == set(expected.nodes["name"])

    # --if-empty (what `make run` uses) leaves a database with data alone ...
    kept = runner.invoke(cli, ["sample", "--scale", "default", "--neo4j", "--if-empty"])
    assert kept.exit_code == 0, kept.output
    assert (
        f"already holds {len(expected.nodes)} stakeholders; the sample was not loaded"
        in kept.output
    )
    with Neo4jStore(s) as store:
        assert store.counts() == counts
        store.clear()
    # ... and loads into an empty one
    loaded = runner.invoke(cli, ["sample", "--scale", "small", "--neo4j", "--if-empty"])
    assert loaded.exit_code == 0 and "Imported into" in loaded.output, loaded.output
    with Neo4jStore(s) as store:
        assert store.counts() == counts
    assert runner.invoke(cli, ["sample", "--if-empty"]).exit_code == 2


def test_default_sample_passes_the_loaders_unchanged(tmp_path: Path, default: Network) -> None:
    from graphcap.export.tables import export_csv
    from loaders import load_path

    files = export_csv(default, tmp_path, stem="sample")
    result = load_path(files[0].parent)
    assert result.warnings == [] and result.errors == [] and result.rejected_rows == 0
    pd.testing.assert_frame_equal(result.network.nodes, default.nodes)
    pd.testing.assert_frame_equal(result.network.edges, default.edges)
    pd.testing.assert_frame_equal(result.network.interactions, default.interactions)
