"""A tiny stakeholder network whose query answers are worked out by hand in the tests.

::

    Alpha(c1) ──BUYS_FROM .8──> Orbit(o1) <──BUYS_FROM .5── Beta(c2) <──REFERS── Alpha
    Gamma(c3) ──BUYS_FROM .9──> Orbit     <──BUYS_FROM .2── Delta(c4)      Beta ──REFERS──> Gamma
    Steel Co(s1, steel) ──SUPPLIES .7──> Orbit <──SUPPLIES .6/.4── Chips A / Chips B (electronics)
    Alpha ──BUYS_FROM .5──> Rival(k1) <──SUPPLIES .6── Steel Co        Orbit ──COMPETES_WITH──> Rival
    Orbit ──PARTNERS_WITH .7──> Bridge Alliance(p1) <──MEMBER_OF .5── Epsilon(x1, customer)
    Regulator(a1) ──REGULATES──> Alpha,  Regulator ──INFLUENCES──> Beta

Dates are relative to :data:`AS_OF`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graphcap.model import Network

AS_OF = dt.date(2026, 6, 30)


def day(offset: int) -> pd.Timestamp:
    return pd.Timestamp(AS_OF + dt.timedelta(days=offset))


def tiny_network() -> Network:
    nodes = pd.DataFrame(
        [
            ("o1", "Orbit", "organization", None, None, None, None),
            ("c1", "Alpha", "customer", "retail", 500.0, 0.2, 0.7),
            ("c2", "Beta", "customer", "retail", 300.0, None, None),
            ("c3", "Gamma", "customer", "oem", 100.0, None, None),
            ("c4", "Delta", "customer", "oem", 50.0, None, None),
            ("x1", "Epsilon", "customer", "oem", 70.0, None, None),
            ("s1", "Steel Co", "supplier", "steel", None, None, None),
            ("s2", "Chips A", "supplier", "electronics", None, None, None),
            ("s3", "Chips B", "supplier", "electronics", None, None, None),
            ("p1", "Bridge Alliance", "partner", None, None, None, None),
            ("a1", "Regulator", "agency", None, None, 0.9, 0.9),
            ("k1", "Rival", "competitor", None, None, 0.8, 0.3),
        ],
        columns=["id", "name", "type", "segment", "revenue", "power", "interest"],
    )
    nan = None
    edges = pd.DataFrame(
        [
            ("c1", "o1", "BUYS_FROM", 0.8, 500.0, 0.9, day(-10), day(20)),
            ("c2", "o1", "BUYS_FROM", 0.5, 300.0, nan, day(-200), day(100)),
            ("c3", "o1", "BUYS_FROM", 0.9, 100.0, nan, day(-400), nan),
            ("c4", "o1", "BUYS_FROM", 0.2, 50.0, nan, nan, nan),
            ("c1", "k1", "BUYS_FROM", 0.5, 80.0, nan, nan, nan),
            ("c1", "c2", "REFERS", nan, nan, nan, day(-300), nan),
            ("c2", "c3", "REFERS", nan, nan, nan, nan, nan),
            ("s1", "o1", "SUPPLIES", 0.7, 200.0, nan, day(-30), day(5)),
            ("s2", "o1", "SUPPLIES", 0.6, 150.0, nan, nan, nan),
            ("s3", "o1", "SUPPLIES", 0.4, 120.0, nan, nan, nan),
            ("s1", "k1", "SUPPLIES", 0.6, nan, nan, nan, nan),
            ("o1", "p1", "PARTNERS_WITH", 0.7, nan, nan, nan, nan),
            ("x1", "p1", "MEMBER_OF", 0.5, nan, nan, nan, nan),
            ("a1", "c1", "REGULATES", nan, nan, nan, nan, nan),
            ("a1", "c2", "INFLUENCES", nan, nan, nan, nan, nan),
            ("o1", "k1", "COMPETES_WITH", nan, nan, nan, nan, nan),
        ],
        columns=[
            "source",
            "target",
            "type",
            "strength",
            "volume",
            "trust",
            "last_contact",
            "contract_until",
        ],
    )
    for col in ("last_contact", "contract_until"):
        edges[col] = pd.to_datetime(edges[col])
    for col in ("strength", "volume", "trust"):
        edges[col] = edges[col].astype(float)
    interactions = pd.DataFrame(
        [
            (day(-250), "c1", "o1", 1.0),
            (day(-220), "o1", "c1", 1.0),
            (day(-190), "c1", "o1", 1.0),
            (day(-10), "c1", "o1", -1.0),
            (day(-50), "c2", "o1", 0.0),
            (day(-40), "o1", "c2", nan),
        ],
        columns=["date", "source", "target", "sentiment"],
    )
    interactions["date"] = pd.to_datetime(interactions["date"])
    interactions["sentiment"] = interactions["sentiment"].astype(float)
    interactions["channel"] = "meeting"
    return Network(nodes=nodes, edges=edges, interactions=interactions, meta={"as_of": AS_OF})
