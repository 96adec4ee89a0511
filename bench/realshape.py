"""A network shaped like a real meeting register (the shape issue 14 reports), generated.

The real register had 9,367 stakeholders in 8 types, most of them project types, 15,825
relationships and 19,576 interactions, and was slow where the synthetic benchmarks (few types, big
batches) are fast. This generator reproduces that shape, not its content:

- ~10k stakeholders over 9 types: the focal organisation, the five standard types, and three
  project types a project config adds (``project``, ``programme``, ``workstream``), most
  stakeholders being projects;
- 500 ``employee``-like stakeholders of one type (``advisor``) each tied to dozens of others, so
  together they hold thousands of ties (the hubs of a meeting register);
- ~16k relationships over 8 types (two added by the config: ``ADVISES``, ``PART_OF``);
- ~20k interactions (meetings: date, channel, value, sentiment), most of them advisor-project;
- the usual properties with gaps, and names with non-ASCII characters.

``real_shaped(seed)`` returns ``(network, schema, toml)``: the frames, the extended schema, and the
``graphcap.toml`` text that declares it (for the CLI).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA, Schema

__all__ = ["TOML", "real_shaped", "schema"]

EXTRA_NODE_TYPES = {
    "project": "Project",
    "programme": "Programme",
    "workstream": "Workstream",
    "advisor": "Advisor",
}
EXTRA_REL_TYPES = {
    "ADVISES": "an advisor works with a project or stakeholder",
    "PART_OF": "a project belongs to a programme or workstream",
}
TOML = """[schema.node_types]
project = "Project"
programme = "Programme"
workstream = "Workstream"
advisor = "Advisor"
[schema.rel_types]
ADVISES = "an advisor works with a project or stakeholder"
PART_OF = "a project belongs to a programme or workstream"
"""
COUNTS = {
    "organization": 1,
    "customer": 700,
    "supplier": 450,
    "partner": 300,
    "agency": 120,
    "competitor": 40,
    "project": 7000,
    "programme": 240,
    "workstream": 520,
    "advisor": 500,
}
PREFIXES = {
    "organization": "ORG",
    "customer": "CUS",
    "supplier": "SUP",
    "partner": "PAR",
    "agency": "AGY",
    "competitor": "CMP",
    "project": "PRJ",
    "programme": "PGM",
    "workstream": "WKS",
    "advisor": "ADV",
}
_SYLLABLES = [
    "Nord",
    "Süd",
    "Wald",
    "Berg",
    "Stadt",
    "Łódź",
    "Öko",
    "Grün",
    "Brücke",
    "Hafen",
    "Licht",
    "Netz",
    "Kraft",
    "Fluss",
    "Zukunft",
]


def schema() -> Schema:
    return DEFAULT_SCHEMA.extend(node_types=EXTRA_NODE_TYPES, rel_types=EXTRA_REL_TYPES)


def _names(rng: np.random.Generator, kind: str, n: int) -> list[str]:
    a = rng.choice(_SYLLABLES, n)
    b = rng.choice(_SYLLABLES, n)
    return [f"{kind.title()} {x}{y.lower()} {i}" for i, (x, y) in enumerate(zip(a, b, strict=True))]


def real_shaped(seed: int = 14, scale: float = 1.0) -> tuple[Network, Schema, str]:
    """The network (see the module docstring); ``scale`` multiplies every count."""
    rng = np.random.default_rng(seed)
    counts = {
        t: max(1, int(round(n * scale))) if t != "organization" else 1 for t, n in COUNTS.items()
    }
    ids: dict[str, np.ndarray] = {}
    frames = []
    for t, n in counts.items():
        prefix = PREFIXES[t]
        ids[t] = np.array([f"{prefix}-{i:05d}" for i in range(n)], dtype=object)
        frames.append(
            pd.DataFrame(
                {
                    "id": ids[t],
                    "name": _names(rng, t, n),
                    "type": t,
                    "region": rng.choice(["Nord", "Süd", "West", "Ost", None], n),
                    "since": pd.to_datetime("2015-01-01")
                    + pd.to_timedelta(rng.integers(0, 3600, n), "D"),
                    "revenue": np.where(
                        rng.random(n) < 0.3, rng.lognormal(10, 1.2, n).round(2), np.nan
                    )
                    if t in ("customer", "partner")
                    else np.nan,
                }
            )
        )
    nodes = pd.concat(frames, ignore_index=True)
    org = ids["organization"][0]
    edges: list[pd.DataFrame] = []

    def tie(src: np.ndarray, dst: np.ndarray, rel: str) -> None:
        n = len(src)
        edges.append(
            pd.DataFrame(
                {
                    "source": src,
                    "target": dst,
                    "type": rel,
                    "trust": np.where(
                        rng.random(n) < 0.6, rng.uniform(0.2, 1.0, n).round(3), np.nan
                    ),
                    "commitment": np.where(
                        rng.random(n) < 0.5, rng.uniform(0.1, 1.0, n).round(3), np.nan
                    ),
                    "volume": np.where(
                        rng.random(n) < 0.2, rng.lognormal(9, 1, n).round(0), np.nan
                    ),
                }
            )
        )

    tie(ids["customer"], np.full(counts["customer"], org, dtype=object), "BUYS_FROM")
    tie(ids["supplier"], np.full(counts["supplier"], org, dtype=object), "SUPPLIES")
    tie(np.full(counts["partner"], org, dtype=object), ids["partner"], "PARTNERS_WITH")
    tie(ids["agency"], np.full(counts["agency"], org, dtype=object), "REGULATES")
    tie(ids["competitor"], np.full(counts["competitor"], org, dtype=object), "COMPETES_WITH")
    # projects belong to a programme or a workstream
    parents = np.concatenate([ids["programme"], ids["workstream"]])
    tie(ids["project"], rng.choice(parents, counts["project"]), "PART_OF")
    # the 500 advisors: each tied to a skewed number of projects and stakeholders (hubs)
    per = np.minimum((rng.pareto(1.1, counts["advisor"]) * 8 + 4).astype(int), 400)
    per = (per * (6300 * scale / max(per.sum(), 1))).astype(int) + 1
    others = np.concatenate([ids["project"], ids["customer"], ids["partner"], ids["agency"]])
    src = np.repeat(ids["advisor"], per)
    dst = rng.choice(others, len(src))
    tie(src, dst, "ADVISES")
    # advisors also work for the organisation; some projects serve customers
    tie(ids["advisor"], np.full(counts["advisor"], org, dtype=object), "SERVES")
    k = int(800 * scale)
    tie(rng.choice(ids["project"], k), rng.choice(ids["customer"], k), "SERVES")
    edge_frame = pd.concat(edges, ignore_index=True).drop_duplicates(["source", "target", "type"])
    edge_frame = edge_frame.reset_index(drop=True)
    # interactions: meetings along the advisor ties and a few with the organisation
    meet = edge_frame[edge_frame["type"].isin(["ADVISES", "SERVES", "BUYS_FROM"])]
    m = int(19_600 * scale)
    pick = meet.iloc[rng.integers(0, len(meet), m)]
    inter = pd.DataFrame(
        {
            "source": pick["source"].to_numpy(),
            "target": pick["target"].to_numpy(),
            "date": pd.to_datetime("2023-01-01") + pd.to_timedelta(rng.integers(0, 1000, m), "D"),
            "channel": rng.choice(["meeting", "call", "email", "workshop"], m),
            "value": np.where(rng.random(m) < 0.1, rng.uniform(100, 5000, m).round(2), np.nan),
            "sentiment": rng.uniform(-1, 1, m).round(2),
        }
    )
    net = Network(nodes=nodes, edges=edge_frame, interactions=inter, meta={"as_of": "2025-10-01"})
    return net, schema(), TOML
