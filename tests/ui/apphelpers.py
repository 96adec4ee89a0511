"""Reading what a page shows in AppTest."""

from __future__ import annotations

import json
import re


def metric(at, label: str) -> str:  # type: ignore[no-untyped-def]
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def drawn_payload(at) -> dict:  # type: ignore[no-untyped-def]
    """The data block of the network drawing on the page (parsed from the iframe's HTML)."""
    frames = at.get("iframe")
    assert frames, "no network drawing on the page"
    html = frames[0].proto.srcdoc
    block = re.search(r'<script type="application/json" id="gc-data">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))
