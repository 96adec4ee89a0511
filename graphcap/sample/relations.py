"""The relationships of the sample network and their quality dimensions.

Each block of relationships is drawn with numpy (no per-edge Python loops), so a network of
100 000 stakeholders and half a million relationships takes seconds. Who is linked to whom:

- customers BUY_FROM one or both business units (volume = their revenue, split), from
  competitors (shared customers), and end customers from dealers; customers REFER each other in
  chains; some OEMs are MEMBER_OF associations;
- suppliers SUPPLY the business units (``kind`` single_source / multi_source, computed from how
  many suppliers deliver the same commodity to the same unit), some also competitors, some each
  other (tier 2);
- partners: a joint venture with its co-parent, an alliance whose members also partner each
  other, a coalition (with competitors in it), associations and networks (MEMBER_OF), research;
- agencies REGULATE the units, competitors and suppliers, INFLUENCE (interest groups, the
  government body, associations lobbying regulators) and SERVE (PR, marketing, certification);
- competitors COMPETE_WITH the units and each other.

Quality dimensions come from one latent quality per relationship plus noise: trust, commitment,
responsiveness and mutual interest in [0, 1]. Relationships marked as cooling (valuable ones going
cold, the at-risk ones) get lower trust, responsiveness and commitment; their interaction history
thins out (:mod:`graphcap.sample.interactions`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphcap.sample.stakeholders import Roles, stratified_lognormal

__all__ = ["build_edges"]

_EMPTY = np.array([], dtype=object)


class _Edges:
    """Collects relationship blocks as arrays; helper columns start with ``_``."""

    def __init__(self, rng: np.random.Generator, as_of: np.datetime64, links: float) -> None:
        self.rng = rng
        self.links = links
        self.as_of = as_of
        self.blocks: list[pd.DataFrame] = []

    def add(
        self,
        source,
        target,
        type_,
        *,
        kind=None,
        volume=None,
        since=None,
        contract=0.0,
        rate=0.0,
        quality=(5.0, 3.0),
    ) -> None:
        source = np.asarray(source, dtype=object)
        target = np.broadcast_to(np.asarray(target, dtype=object), source.shape)
        n = source.size
        if n == 0:
            return
        rng = self.rng
        if since is None:
            since = self.as_of - (180 + rng.exponential(4 * 365, n)).astype("int64").astype(
                "timedelta64[D]"
            )
        self.blocks.append(
            pd.DataFrame(
                {
                    "source": source,
                    "target": np.array(target, dtype=object),
                    "type": type_,
                    "kind": np.broadcast_to(np.asarray(kind, dtype=object), (n,)),
                    "volume": np.broadcast_to(np.nan if volume is None else volume, (n,)).astype(
                        float
                    ),
                    "since": np.asarray(since, dtype="datetime64[D]"),
                    "_contract": rng.random(n) < np.broadcast_to(contract, (n,)),
                    "_rate": np.broadcast_to(np.asarray(rate, dtype=float), (n,)),
                    "_q": rng.beta(quality[0], quality[1], n),
                    "_cool": False,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        edges = pd.concat(self.blocks, ignore_index=True)
        edges = edges[edges["source"] != edges["target"]]
        return edges.drop_duplicates(["source", "type", "target"]).reset_index(drop=True)


def _many(rng, sources: np.ndarray, targets: np.ndarray, mean: float, cap: int | None = None):
    """Each source linked to Poisson(mean) random targets (duplicates and self-links dropped)."""
    if sources.size == 0 or targets.size == 0:
        return _EMPTY, _EMPTY
    k = rng.poisson(mean, sources.size)
    if cap is not None:
        k = np.minimum(k, cap)
    src = np.repeat(sources, k)
    tgt = targets[rng.integers(0, targets.size, src.size)]
    keep = src != tgt
    pairs = pd.DataFrame({"s": src[keep], "t": tgt[keep]}).drop_duplicates()
    return pairs["s"].to_numpy(object), pairs["t"].to_numpy(object)


def _subset(rng, ids: np.ndarray, share: float, cap: int | None = None) -> np.ndarray:
    chosen = ids[rng.random(ids.size) < share]
    if cap is not None and chosen.size > cap:
        chosen = rng.choice(chosen, cap, replace=False)
    return chosen


def _pct(values: np.ndarray) -> np.ndarray:
    return pd.Series(values).rank(pct=True).to_numpy()


def _customers(e: _Edges, nodes: pd.DataFrame, roles: Roles) -> None:
    rng, (bu1, bu2) = e.rng, roles.bu
    cust = nodes[nodes["type"] == "customer"]
    ids = cust["id"].to_numpy(object)
    n = ids.size
    revenue = cust["revenue"].to_numpy(float)
    since = cust["since"].to_numpy("datetime64[D]")
    key = cust["tags"].fillna("").str.contains("key account").to_numpy(bool)
    to1 = rng.random(n) < 0.85
    to2 = rng.random(n) < 0.4
    to1 |= ~to2
    share = np.where(to1 & to2, rng.uniform(0.55, 0.9, n), np.where(to1, 1.0, 0.0))
    pct = _pct(revenue)
    contract = np.where(key, 1.0, 0.55)
    e.add(
        ids[to1],
        bu1,
        "BUYS_FROM",
        volume=np.round(revenue * share, -2)[to1],
        since=since[to1],
        contract=contract[to1],
        rate=(0.4 + 3.6 * pct)[to1],
        quality=(6, 2.5),
    )
    span = (e.as_of - since).astype("int64")
    since2 = since + (rng.random(n) * span * (to1 & to2)).astype("int64").astype("timedelta64[D]")
    e.add(
        ids[to2],
        bu2,
        "BUYS_FROM",
        volume=np.round(revenue * (1 - share), -2)[to2],
        since=since2[to2],
        contract=contract[to2],
        rate=(0.3 + 1.5 * pct)[to2],
        quality=(6, 2.5),
    )
    s, t = _many(rng, ids, roles["competitor"], 1.6 * e.links)
    e.add(s, t, "BUYS_FROM", volume=stratified_lognormal(rng, s.size, 80_000, 1.5), quality=(4, 3))
    end = ids[cust["segment"].to_numpy(object) != "Dealer"]
    s, t = _many(rng, end, roles["dealer"], 0.6 * e.links)
    e.add(
        s,
        t,
        "BUYS_FROM",
        kind="spare_parts",
        volume=stratified_lognormal(rng, s.size, 15_000, 1.0),
        quality=(5, 2.5),
    )
    # referral chains: a random order of some customers cut into chains of 2 to 5
    m = int(min(1.0, 0.3 * e.links) * n)
    if m >= 2:
        order = rng.permutation(ids)[:m]
        chain = np.repeat(np.arange(m), rng.integers(2, 6, m))[:m]
        link = chain[:-1] == chain[1:]
        e.add(order[:-1][link], order[1:][link], "REFERS", quality=(6, 2))
    s, t = _many(rng, _subset(rng, roles["oem"], 0.15), roles["association"], 1.0, cap=1)
    e.add(s, t, "MEMBER_OF", rate=0.0, quality=(4, 3))


def _suppliers(e: _Edges, nodes: pd.DataFrame, roles: Roles) -> None:
    rng, (bu1, bu2) = e.rng, roles.bu
    sup = nodes[nodes["type"] == "supplier"]
    ids = sup["id"].to_numpy(object)
    n = ids.size
    critical = np.isin(ids, roles["critical_supplier"])
    since = sup["since"].to_numpy("datetime64[D]")
    volume = stratified_lognormal(rng, n, 150_000, 1.4)
    rate = 0.3 + 2.2 * _pct(volume)
    contract = np.where(critical, 1.0, 0.8)
    e.add(
        ids,
        bu1,
        "SUPPLIES",
        volume=volume,
        since=since,
        contract=contract,
        rate=rate,
        quality=(6, 2.5),
    )
    to2 = (rng.random(n) < 0.3) & ~critical
    e.add(
        ids[to2],
        bu2,
        "SUPPLIES",
        volume=np.round(volume[to2] * 0.3, -2),
        since=since[to2],
        contract=contract[to2],
        rate=rate[to2] * 0.5,
        quality=(6, 2.5),
    )
    # some suppliers also supply competitors; always at least one critical supplier
    sharers = ids[(rng.random(n) < 0.3) | (critical & (np.cumsum(critical) == 1))]
    s, t = _many(rng, sharers, roles["competitor"], 1.5)
    e.add(s, t, "SUPPLIES", volume=stratified_lognormal(rng, s.size, 100_000, 1.3), quality=(5, 3))
    s, t = _many(rng, _subset(rng, ids, 0.15), ids, 1.0, cap=1)
    e.add(s, t, "SUPPLIES", kind="tier_2", volume=stratified_lognormal(rng, s.size, 60_000, 1.0))
    s, t = _many(rng, _subset(rng, ids, 0.08), roles["association"], 1.0, cap=1)
    e.add(s, t, "MEMBER_OF")


def _partners(e: _Edges, nodes: pd.DataFrame, roles: Roles) -> None:
    rng, (bu1, bu2) = e.rng, roles.bu
    jv, parent = roles["jv"], roles["jv_parent"]
    e.add(
        [bu1],
        jv,
        "PARTNERS_WITH",
        kind="joint_venture",
        volume=4_500_000.0,
        contract=1.0,
        rate=2.5,
        quality=(8, 2),
    )
    e.add(parent, jv, "PARTNERS_WITH", kind="joint_venture", volume=4_500_000.0, contract=1.0)
    e.add(
        [bu1],
        parent,
        "PARTNERS_WITH",
        kind="joint_venture",
        contract=1.0,
        rate=1.5,
        quality=(7, 2.5),
    )
    ally = roles["alliance"]
    e.add(
        np.full(ally.size, bu1, dtype=object),
        ally,
        "PARTNERS_WITH",
        kind="alliance",
        contract=1.0,
        volume=np.round(rng.uniform(2e5, 1.5e6, ally.size), -3),
        rate=1.5,
        quality=(7, 3),
    )
    i, j = np.triu_indices(ally.size, 1)
    e.add(ally[i], ally[j], "PARTNERS_WITH", kind="alliance", quality=(6, 3))
    coalition = roles["coalition"]
    members = np.concatenate([roles.bu, ally[:2], rng.permutation(roles["direct_competitor"])[:2]])
    e.add(members, coalition, "PARTNERS_WITH", kind="coalition", rate=0.0, quality=(5, 3))
    assoc = roles["association"]
    e.add(np.full(assoc.size, bu1, dtype=object), assoc, "MEMBER_OF", rate=0.4, quality=(6, 3))
    e.add([bu2], assoc[:1], "MEMBER_OF", rate=0.2)
    e.add(parent, assoc[-1:], "MEMBER_OF")
    comp = roles["competitor"]
    e.add(comp[rng.random(comp.size) < 0.6], assoc[0], "MEMBER_OF")
    e.add(
        [bu1],
        roles["research"],
        "PARTNERS_WITH",
        kind="research",
        contract=1.0,
        rate=0.8,
        volume=180_000.0,
        quality=(7, 2),
    )
    other = roles["partner"]
    kinds = nodes.set_index("id").loc[other, "segment"].str.split(" ").str[0].str.lower()
    bus = np.where(rng.random(other.size) < 0.7, bu1, bu2).astype(object)
    e.add(
        bus,
        other,
        "PARTNERS_WITH",
        kind=kinds.to_numpy(object),
        contract=0.6,
        rate=0.7,
        volume=stratified_lognormal(rng, other.size, 120_000, 1.0),
    )
    reg = roles["regulator"]
    s, t = _many(rng, assoc, reg, 2.0)
    e.add(s, t, "INFLUENCES", quality=(4, 3))


def _agencies(e: _Edges, nodes: pd.DataFrame, roles: Roles) -> None:
    rng, (bu1, bu2) = e.rng, roles.bu
    comp, sup = roles["competitor"], roles["supplier"]
    regulated = np.concatenate(
        [
            roles.bu,
            _subset(rng, comp, 1.0, cap=200),
            roles["critical_supplier"],
            _subset(rng, sup, 0.1, cap=200),
        ]
    )
    for reg in roles["regulator"]:
        targets = np.unique(regulated)
        rate = np.where(np.isin(targets, roles.bu), 0.25, 0.0)
        e.add(
            np.full(targets.size, reg, dtype=object),
            targets,
            "REGULATES",
            rate=rate,
            quality=(4, 4),
        )
    for gov in roles["government"]:
        e.add([gov], bu1, "INFLUENCES", rate=0.2, quality=(5, 3))
        e.add([gov], bu1, "SERVES", kind="funding", volume=250_000.0, contract=1.0, rate=0.3)
    interest = roles["interest"]
    e.add(interest, bu1, "INFLUENCES", rate=0.2, quality=(3, 3))
    s, t = _many(rng, interest, np.concatenate([roles["regulator"], roles["government"]]), 1.2)
    e.add(s, t, "INFLUENCES", quality=(4, 3))
    service = roles["agency_service"]
    fees = stratified_lognormal(rng, service.size, 60_000, 0.8)
    e.add(
        service[:2],
        bu1,
        "SERVES",
        kind="marketing",
        volume=fees[:2],
        contract=1.0,
        rate=1.2,
        quality=(6, 2.5),
    )
    e.add(
        service[1:2],
        bu2,
        "SERVES",
        kind="marketing",
        volume=fees[1:2] * 0.4,
        contract=1.0,
        rate=0.6,
    )
    s, t = _many(rng, service[2:], comp, 1.2)
    e.add(s, t, "SERVES", kind="marketing", volume=stratified_lognormal(rng, s.size, 50_000, 0.8))
    also = service[2:][rng.random(max(service.size - 2, 0)) < 0.3]
    e.add(
        also,
        bu1,
        "SERVES",
        kind="marketing",
        volume=stratified_lognormal(rng, also.size, 30_000, 0.8),
        contract=0.5,
        rate=0.5,
    )
    for cert in roles["certifier"]:
        targets = np.concatenate([roles.bu, _subset(rng, sup, 0.2, cap=300)])
        rate = np.where(np.isin(targets, roles.bu), 0.3, 0.0)
        e.add(
            np.full(targets.size, cert, dtype=object),
            targets,
            "SERVES",
            kind="certification",
            contract=1.0,
            rate=rate,
            volume=np.where(np.isin(targets, roles.bu), 35_000.0, np.nan),
        )


def _competitors(e: _Edges, nodes: pd.DataFrame, roles: Roles) -> None:
    rng, (bu1, bu2) = e.rng, roles.bu
    comp = nodes[nodes["type"] == "competitor"]
    ids, seg = comp["id"].to_numpy(object), comp["segment"].to_numpy(object)
    niche = seg == "Niche competitor"
    niche_bu = np.where(rng.random(ids.size) < 0.5, bu1, bu2).astype(object)
    e.add(ids[~niche], bu1, "COMPETES_WITH", quality=(2, 5))
    e.add(ids[seg == "Direct competitor"], bu2, "COMPETES_WITH", quality=(2, 5))
    e.add(ids[niche], niche_bu[niche], "COMPETES_WITH", quality=(2, 5))
    s, t = _many(rng, ids, ids, min(2.0, ids.size / 4))
    lo, hi = np.minimum(s, t), np.maximum(s, t)  # one relationship per competitor pair
    e.add(lo, hi, "COMPETES_WITH", quality=(2, 5))


def _mark_cooling(rng, edges: pd.DataFrame, bu: list[str], history_start: np.datetime64) -> None:
    """Choose the valuable relationships that go cold: high-volume customer and supplier
    relationships of the units and one alliance partnership, all older than the history (so
    their first year shows the full rate they lose)."""
    logged = (edges["_rate"] > 0) & (edges["since"] <= history_start)
    cool = np.zeros(len(edges), dtype=bool)
    for type_, share, least in (("BUYS_FROM", 0.15, 3), ("SUPPLIES", 0.05, 1)):
        cand = edges.index[logged & (edges["type"] == type_) & edges["target"].isin(bu)]
        vol = edges.loc[cand, "volume"]
        top = cand[vol >= vol.quantile(0.6)]
        k = min(top.size, max(least, int(share * top.size)))
        cool[rng.choice(top, k, replace=False)] = True
    ally = edges.index[logged & (edges["kind"] == "alliance")]
    if ally.size:
        cool[rng.choice(ally)] = True
    edges["_cool"] = cool


def _quality(rng, edges: pd.DataFrame, as_of: np.datetime64) -> None:
    n = len(edges)
    q = edges["_q"].to_numpy(float)
    cool = edges["_cool"].to_numpy(bool)

    def unit(x):
        return np.round(np.clip(x, 0, 1), 3)

    edges["trust"] = unit(np.where(cool, 0.7, 1.0) * (q + rng.normal(0, 0.07, n)))
    edges["commitment"] = unit(
        np.where(cool, 0.8, 1.0) * (q + 0.08 * edges["_contract"] + rng.normal(0, 0.1, n))
    )
    edges["responsiveness"] = unit(
        np.where(cool, 0.55, 1.0) * (0.5 * q + 0.5 * rng.beta(5, 2.5, n))
    )
    edges["mutual_interest"] = unit(0.5 * q + 0.5 * rng.beta(4, 3, n))
    days = np.where(
        rng.random(n) < np.where(cool, 0.35, 0.14),
        rng.integers(3, 91, n),
        rng.integers(91, 1100, n),
    )
    until = as_of + days.astype("timedelta64[D]")
    edges["contract_until"] = np.where(edges["_contract"], until, np.datetime64("NaT"))


def build_edges(
    rng: np.random.Generator,
    nodes: pd.DataFrame,
    roles: Roles,
    as_of: np.datetime64,
    *,
    links: float = 1.0,
    years: int = 3,
) -> pd.DataFrame:
    """The relationship frame with its quality dimensions and contract dates; helper columns
    (``_rate`` interaction rate per month, ``_cool``, ``_q``) are for the history generator."""
    e = _Edges(rng, as_of, links)
    for part in (_customers, _suppliers, _partners, _agencies, _competitors):
        part(e, nodes, roles)
    edges = e.frame()
    # single or multiple sources: how many suppliers deliver a commodity to the same unit
    sup = (edges["type"] == "SUPPLIES") & edges["target"].isin(roles.bu)
    commodity = edges["source"].map(nodes.set_index("id")["segment"])
    n_src = edges[sup].groupby([edges["target"], commodity])["source"].transform("nunique")
    edges.loc[sup, "kind"] = np.where(n_src == 1, "single_source", "multi_source")
    _mark_cooling(rng, edges, roles.bu, as_of - np.timedelta64(365 * years, "D"))
    _quality(rng, edges, as_of)
    return edges
