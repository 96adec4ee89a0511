"""The network's content hash (:func:`network_hash`): graphcap's one fingerprint of the three
frames.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from graphcap.model import Network

__all__ = ["network_hash"]


#: The key columns of each frame, by which :func:`network_hash` orders rows when asked to.
_FRAME_KEYS = {
    "nodes": ["id"],
    "edges": ["source", "type", "target"],
    "interactions": ["date", "source", "target"],
}


def network_hash(network: Network, *, exact: bool = False) -> str:
    """sha256 over the three frames: graphcap's one content hash.

    By default it is the source data's fingerprint: column order, row order and dtypes are
    ignored (cells compared as text), so the same network read from Neo4j or from a file gives the
    same hash. ``exact=True`` also tells row order and dtypes apart (the analysis cache, whose
    results follow the rows as given).

    >>> from graphcap.sample import sample_small
    >>> a, b = sample_small(), sample_small()
    >>> network_hash(a) == network_hash(b), len(network_hash(a))
    (True, 64)
    >>> shuffled = Network(nodes=a.nodes.iloc[::-1], edges=a.edges)
    >>> network_hash(shuffled) == network_hash(Network(nodes=a.nodes, edges=a.edges))
    True
    >>> network_hash(shuffled, exact=True) == network_hash(a, exact=True)
    False
    """
    h = hashlib.sha256()
    for name, frame in (
        ("nodes", network.nodes),
        ("edges", network.edges),
        ("interactions", network.interactions),
    ):
        cols = list(frame.columns) if exact else sorted(frame.columns, key=str)
        part = frame[cols]
        if not exact:
            keys = [k for k in _FRAME_KEYS[name] if k in cols]
            part = part.sort_values(keys, kind="stable") if keys and len(part) else part
        h.update(name.encode() + b"\0" + json.dumps([str(c) for c in cols]).encode())
        if exact:
            h.update(json.dumps([str(t) for t in part.dtypes]).encode())
        if len(part):
            values = pd.util.hash_pandas_object(part.astype(str), index=False).to_numpy()
            h.update(values.tobytes())
    return h.hexdigest()
