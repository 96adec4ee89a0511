"""Hand-built portfolios for the RCI scenario suite (tests/metrics/test_rci_scenarios.py).

One healthy, diversified portfolio and seven variants, each changing one thing:

- 20 customers with revenue falling evenly from 150 to 55 (top 20 % bring 28 %), each also
  tied to one of five prospects the organisation does not deal with (referrals);
- 8 suppliers, two per supply category (``segment``), 100 of spend each, each also supplying
  one of two competitors we have no relationship with;
- two partners and a regulator on good terms;
- ties to the organisation at strength 0.8, recent contact, contracts running for another year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphcap.model import Network

AS_OF = pd.Timestamp("2025-06-30")
CUSTOMERS = [f"C{i:02d}" for i in range(1, 21)]
SUPPLIERS = [f"S{i}" for i in range(1, 9)]


def _days(n: int) -> pd.Timestamp:
    return AS_OF + pd.Timedelta(days=n)


def healthy(
    *,
    strength: float = 0.8,
    onward: float = 0.7,
    contract_days: int = 400,
    revenue: list[float] | None = None,
    single_sourced: bool = False,
    onward_ties: bool = True,
    lost: tuple[str, ...] = (),
    regulator: float = 0.6,
) -> Network:
    """The healthy portfolio, with the knobs the variants turn."""
    revenue = revenue or [150.0 - 5 * i for i in range(20)]
    nodes = [("O", "organization", np.nan, None)]
    nodes += [(c, "customer", r, "industry") for c, r in zip(CUSTOMERS, revenue, strict=True)]
    if single_sourced:  # four critical categories, one supplier each, same total spend
        suppliers = SUPPLIERS[:4]
        segments = ["castings", "chips", "bearings", "steel"]
    else:
        suppliers = SUPPLIERS
        segments = [
            "castings",
            "castings",
            "chips",
            "chips",
            "bearings",
            "bearings",
            "steel",
            "steel",
        ]
    nodes += [(s, "supplier", np.nan, seg) for s, seg in zip(suppliers, segments, strict=True)]
    nodes += [
        ("P1", "partner", np.nan, None),
        ("P2", "partner", np.nan, None),
        ("R", "agency", np.nan, None),
    ]
    nodes += [(f"X{i}", "customer", np.nan, "prospect") for i in range(1, 6)]
    nodes += [("K1", "competitor", np.nan, None), ("K2", "competitor", np.nan, None)]
    frame = pd.DataFrame(nodes, columns=["id", "type", "revenue", "segment"])
    frame["name"] = frame["id"]
    spend = 800.0 / len(suppliers)
    rows = []
    for c in CUSTOMERS:
        if c not in lost:
            rows.append((c, "O", "BUYS_FROM", strength, np.nan, _days(contract_days), _days(-20)))
    for s in suppliers:
        rows.append((s, "O", "SUPPLIES", strength, spend, _days(contract_days), _days(-20)))
    rows += [
        ("P1", "O", "PARTNERS_WITH", strength, np.nan, pd.NaT, _days(-20)),
        ("P2", "O", "PARTNERS_WITH", strength, np.nan, pd.NaT, _days(-20)),
        ("R", "O", "REGULATES", regulator, np.nan, pd.NaT, _days(-20)),
    ]
    if onward_ties:
        for i, c in enumerate(CUSTOMERS):
            if c not in lost:
                rows.append((c, f"X{i % 5 + 1}", "REFERS", onward, np.nan, pd.NaT, pd.NaT))
        for i, s in enumerate(suppliers):
            rows.append((s, f"K{i % 2 + 1}", "SUPPLIES", onward, np.nan, pd.NaT, pd.NaT))
    edges = pd.DataFrame(
        rows,
        columns=[
            "source",
            "target",
            "type",
            "strength",
            "volume",
            "contract_until",
            "last_contact",
        ],
    )
    return Network(
        frame[["id", "name", "type", "revenue", "segment"]], edges, meta={"as_of": AS_OF}
    )


def one_customer_sixty_percent() -> Network:
    rest = [145.0 - 5 * i for i in range(19)]  # 1,900 from the other nineteen
    return healthy(revenue=[1.5 * sum(rest)] + rest)  # 2,850 of 4,750 = 60 %


def scenarios() -> dict[str, Network]:
    """Name -> network, in no particular order."""
    return {
        "many weak ties": healthy(strength=0.15, onward=0.15),
        "hostile regulator": healthy(regulator=-0.9),
        "healthy and diversified": healthy(),
        "all contracts end within 90 days": healthy(contract_days=45),
        "one customer brings 60% of revenue": one_customer_sixty_percent(),
        "after losing the top three customers": healthy(lost=("C01", "C02", "C03")),
        "star without ties among stakeholders": healthy(onward_ties=False),
        "strong ties, single-sourced critical supplies": healthy(
            strength=0.95, single_sourced=True
        ),
    }
