"""Small stakeholder networks built in code for the UI tests and the rendering benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphcap.model import Network

HOSTILE_NAMES = (
    "<script>window.__pwned=1;alert('x')</script>",
    "<img src=http://canary.invalid/x.png onerror=alert(1)>",
    "Acme href=javascript:alert(1) GmbH",
    "Müller & Söhne <b>KG</b>",
    '=HYPERLINK("http://canary.invalid/x","click me")',
)
#: Names shaped like links (ids s00006 ...): no page may turn one into an <a> or <img>.
LINK_NAMES = (
    "http://phish.invalid/login",
    "www.phish.invalid",
    "mail boss@phish.invalid now",
    "[click here](http://phish.invalid/x)",
    "![logo](http://phish.invalid/logo.png)",
    "<http://phish.invalid/auto>",
)

_TYPES = ("customer", "supplier", "partner", "agency", "competitor")
_REL = {
    "customer": "BUYS_FROM",
    "supplier": "SUPPLIES",
    "partner": "PARTNERS_WITH",
    "agency": "REGULATES",
    "competitor": "COMPETES_WITH",
}


def make_network(
    n: int = 60, *, seed: int = 1, hostile: bool = True, extra_edges: float = 1.5
) -> Network:
    """A focal organisation plus ``n - 1`` stakeholders of every type, each tied to the focal
    organisation, plus about ``extra_edges * n`` REFERS/INFLUENCES ties between stakeholders."""
    rng = np.random.default_rng(seed)
    ids = [f"s{k:05d}" for k in range(n)]
    types = ["organization"] + [_TYPES[k % len(_TYPES)] for k in range(n - 1)]
    names = ["Focal AG"] + [f"Stakeholder {k}" for k in range(1, n)]
    if hostile:
        for k, name in enumerate(HOSTILE_NAMES + LINK_NAMES, start=1):
            if k < n:
                names[k] = name
    revenue = np.where(np.array(types) == "customer", np.round(rng.pareto(1.2, n) * 1e5, 0), np.nan)
    nodes = pd.DataFrame({"id": ids, "name": names, "type": types, "revenue": revenue})
    rows = []
    for k in range(1, n):
        rel = _REL[types[k]]
        rows.append((ids[k], ids[0], rel, float(rng.uniform(0.1, 1.0))))
    for _ in range(int(extra_edges * n)):
        a, b = rng.integers(1, n, 2)
        if a != b:
            rows.append(
                (
                    ids[a],
                    ids[b],
                    "REFERS" if rng.random() < 0.6 else "INFLUENCES",
                    float(rng.uniform(0.1, 1.0)),
                )
            )
    edges = pd.DataFrame(rows, columns=["source", "target", "type", "strength"])
    edges = edges.drop_duplicates(["source", "type", "target"]).reset_index(drop=True)
    days = rng.integers(0, 5 * 365, len(edges))
    edges["since"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")
    return Network(nodes=nodes, edges=edges)
