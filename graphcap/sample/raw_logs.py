"""The two log-shaped raw exports of :mod:`graphcap.sample.raw`: a meeting register in Excel and
a headerless rating log.

Meeting register: one row per date, unit and initiative, the organisations met listed in one
cell separated by ``"; "`` (with stray spaces); a quarter of the organisations met more than
once appear in some rows under a variant of their name: in capitals without accents, without
the legal form, or as the acronym of a long name (never a variant that two organisations could
have: that one nobody can resolve). The variants are returned as ground truth.

Rating log: ``rater,ratee,rating,epoch`` without a header, only the first unit's contacts (the
unit that runs the rating system), the rating is the contact's sentiment x 10 rounded to a whole
number (-10..+10), the time is the day's midnight UTC in epoch seconds; one self-rating is
planted (the recipe drops it).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from graphcap.model import Network

__all__ = ["name_variant", "write_meetings", "write_ratings"]

_LEGAL_TAIL = re.compile(
    r"\s+(GmbH & Co\. KG|GmbH|AG|KG|e\.V\.|e\.K\.|GesmbH|S\.A\.S\.|S\.A\.|S\.L\.|S\.r\.l\.|"
    r"S\.p\.A\.|S\.a\.s\.|Sp\. z o\.o\.|B\.V\.|N\.V\.|Ltd\.?|plc|Oy|AB|A/S|s\.r\.o\.|SE|SA|AS|"
    r"Sp\.j\.|a\.s\.|ApS|SARL|S\.L\.U\.)$"
)
_SMALL = {
    "für",
    "der",
    "die",
    "das",
    "und",
    "des",
    "de",
    "la",
    "le",
    "of",
    "the",
    "and",
    "for",
    "du",
    "di",
    "del",
    "della",
    "et",
    "e",
    "y",
    "i",
    "a",
    "von",
}
_TOPICS = [
    "Genehmigungsverfahren",
    "Normung",
    "Energiepreise",
    "Fachkräfte",
    "Exportkontrolle",
    "Förderprogramm",
    "Lieferketten",
    "Emissionen",
    "Forschungskooperation",
]


def _plain_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def name_variant(name: str, kind: int) -> str | None:
    """A variant of ``name`` as a register clerk would type it, or None if that kind does not
    apply: 0 capitals without accents, 1 without the legal form, 2 the acronym."""
    if kind == 0:
        out = _plain_upper(name)
    elif kind == 1:
        out = _LEGAL_TAIL.sub("", name)
    else:
        base = _LEGAL_TAIL.sub("", re.sub(r"\s*\([^)]*\)", "", name))
        words = [w for w in re.split(r"[\s\-,]+", base) if w and w.casefold() not in _SMALL]
        if len(words) < 3:
            return None
        if not all(w[0].isalnum() or w[0] == "&" for w in words):
            return None
        out = "".join(_plain_upper(w[0]) for w in words)
    return out if out and out != name else None


def write_meetings(net: Network, folder: Path, rng: np.random.Generator) -> dict[str, Any]:
    names = dict(zip(net.nodes["id"], net.nodes["name"], strict=True))
    units = set(net.nodes.loc[net.nodes["type"] == "organization", "id"])
    log = net.interactions
    meet = log[log["channel"] == "meeting"].reset_index(drop=True)
    inbound = ~meet["source"].isin(units)
    other = np.where(inbound, meet["source"], meet["target"])
    unit = np.where(inbound, meet["target"], meet["source"])
    frame = pd.DataFrame(
        {"date": meet["date"], "unit": unit, "other": other, "inbound": inbound.to_numpy()}
    )
    seen = frame["other"].value_counts()
    often = sorted(seen[seen >= 2].index)
    chosen = (
        [often[i] for i in sorted(rng.choice(len(often), size=len(often) // 4, replace=False))]
        if often
        else []
    )
    variants: dict[str, str] = {}
    taken = set(names.values())
    # a variant two organisations could have (a stem or an acronym they share) is left out:
    # nobody could tell whose it is, so it is no ground truth
    shared = pd.Series([name_variant(n, k) for n in names.values() for k in (1, 2)]).value_counts()
    for k, who in enumerate(chosen):
        for kind in (k % 3, 0):
            found = name_variant(names[who], kind)
            if found and found not in taken and shared.get(found, 0) <= 1:
                variants[who] = found
                taken.add(found)
                break
    used: dict[str, int] = {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append(["Datum", "Einheit", "Initiative", "Teilnehmende Organisationen", "Thema"])
    for (day, who_unit, inb), group in frame.groupby(["date", "unit", "inbound"], sort=True):
        cells = []
        for other_id in group["other"]:
            name = names[other_id]
            if other_id in variants:
                used[other_id] = used.get(other_id, 0) + 1
                if used[other_id] % 2 == 0:  # every second meeting under the variant
                    name = variants[other_id]
            pad = " " * int(rng.integers(0, 2))
            cells.append(f"{pad}{name}{pad}")
        ws.append(
            [
                pd.Timestamp(day).to_pydatetime(),
                names[who_unit],
                "extern" if inb else "wir",
                "; ".join(cells),
                _TOPICS[int(rng.integers(0, len(_TOPICS)))],
            ]
        )
    wb.save(folder / "Sitzungsregister.xlsx")
    planted = {variants[w]: names[w] for w in variants if used.get(w, 0) >= 2}
    return {"variants": planted}


def write_ratings(net: Network, folder: Path) -> None:
    units = net.nodes.loc[net.nodes["type"] == "organization", "id"].tolist()
    focal = units[0]
    log = net.interactions
    log = log[((log["source"] == focal) | (log["target"] == focal)) & log["sentiment"].notna()]
    epoch = (log["date"].astype("datetime64[s]").astype("int64")).tolist()
    rating = np.rint(log["sentiment"].to_numpy() * 10).astype(int).tolist()
    rows = [
        [s, t, r, e] for s, t, r, e in zip(log["source"], log["target"], rating, epoch, strict=True)
    ]
    rows.insert(len(rows) // 2, [focal, focal, 10, epoch[0] if epoch else 0])  # a self-rating
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / "ratings.csv").write_text(buf.getvalue(), encoding="utf-8")
