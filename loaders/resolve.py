"""Entity resolution: the same organisation under several names or ids, proposed for a merge.

:func:`candidates` compares every pair of stakeholders (rapidfuzz, in C) and proposes a merge
when the evidence is strong, with the evidence spelt out:

* the same name once accents, case, punctuation and legal forms (GmbH, S.A., Ltd., e.V., ...)
  are set aside (``Rousseau Équipements S.A.S.`` = ``ROUSSEAU EQUIPEMENTS SAS``);
* a name that is the other's acronym, in parentheses or in front (``BEUC``, ``Bureau Européen
  des Unions de Consommateurs (BEUC)``, ``BEUC - The European Consumer Organisation``);
* a close spelling (token-sort similarity >= ``threshold``), supported by shared neighbours.

A person decides: the CLI writes a review file (:func:`write_review`), a person marks each row
``accept`` or ``reject``, and :func:`accepted_merges` + :func:`save_merges` keep the accepted
ones in the recipe (``merges:``) so the next import repeats them (the recipe's ``canon()``).

:func:`several_organisations` flags a cell that seems to hold several organisations
(``"Müller GmbH, Schmidt AG; Weber KG"``); it never splits: ``"Acme, Inc."`` is one.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from rapidfuzz import fuzz, process

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l

__all__ = [
    "Candidate",
    "accepted_merges",
    "acronyms",
    "candidates",
    "legal_form",
    "normalise_name",
    "save_merges",
    "several_organisations",
    "write_review",
]

_LEGAL = [
    "gmbh & co. kg",
    "gmbh & co kg",
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "e.k.",
    "e.v.",
    "gbr",
    "ug",
    "gesmbh",
    "se",
    "s.a.s.",
    "sas",
    "s.a.",
    "sa",
    "s.a.r.l.",
    "sarl",
    "s.r.l.",
    "srl",
    "s.p.a.",
    "spa",
    "s.l.",
    "sl",
    "sp. z o.o.",
    "sp.z o.o.",
    "s.c.",
    "b.v.",
    "bv",
    "n.v.",
    "nv",
    "ltd.",
    "ltd",
    "limited",
    "plc",
    "inc.",
    "inc",
    "llc",
    "corp.",
    "corp",
    "co.",
    "oy",
    "ab",
    "a/s",
    "aps",
    "as",
    "a.s.",
    "s.r.o.",
    "spol. s r.o.",
    "kft.",
    "zrt.",
    "d.o.o.",
    "oü",
]
_LEGAL_FORMS = sorted({f.replace(".", "").replace(" ", "") for f in _LEGAL}, key=len, reverse=True)
_STOP = {
    "the",
    "of",
    "and",
    "for",
    "de",
    "des",
    "du",
    "la",
    "le",
    "les",
    "der",
    "die",
    "das",
    "und",
    "für",
    "fur",
    "von",
    "del",
    "della",
    "di",
    "e",
    "et",
    "y",
    "i",
    "a",
}
_PAREN = re.compile(r"\(([^()]*)\)")
_NON_WORD = re.compile(r"[^\w&]+")
_SEPARATORS = re.compile(r"\s*[;|/\n]\s*|,\s+")


def _plain(text: str) -> str:
    """Lower case, accents removed (ß -> ss), ASCII-ish."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_legal(words: list[str]) -> list[str]:
    """Drop a legal form at the end (it may span words: ``sp z o o``, ``gmbh & co kg``)."""
    while words:
        for n in (4, 3, 2, 1):
            if len(words) > n:
                tail = "".join(words[-n:])
                if tail in _LEGAL_FORMS:
                    words = words[:-n]
                    break
        else:
            return words
    return words


def legal_form(name: str) -> str:
    """The legal form a name ends with, normalised (``"S.A.S."`` -> ``"sas"``), or ``""``.

    >>> legal_form("Groß Schweißtechnik GmbH & Co. KG"), legal_form("BEUC")
    ('gmbh&cokg', '')
    """
    text = _PAREN.sub(" ", _plain(name))
    words = [w for w in _NON_WORD.sub(" ", text.replace(".", "")).split() if w]
    kept = _strip_legal(words)
    return "".join(words[len(kept) :])


def normalise_name(name: str) -> str:
    """The name compared: no accents, case, punctuation, parenthesised part or legal form.

    >>> normalise_name("Rousseau Équipements S.A.S.")
    'rousseau equipements'
    >>> normalise_name("Bureau Européen des Unions de Consommateurs (BEUC)")
    'bureau europeen des unions de consommateurs'
    >>> normalise_name("Nowak Technika Sp. z o.o.")
    'nowak technika'
    """
    text = _PAREN.sub(" ", _plain(name))
    text = text.split(" - ")[0] if " - " in text and len(text.split(" - ")[0]) > 1 else text
    words = [w for w in _NON_WORD.sub(" ", text.replace(".", "")).split() if w]
    words = _strip_legal(words)
    return " ".join(words)


def acronyms(name: str) -> set[str]:
    """Acronyms a name states or is: ``(BEUC)``, ``BEUC - ...``, ``BEUC``, and the initials of
    a long name (``Bureau Européen des Unions de Consommateurs`` -> ``beuc``)."""
    out: set[str] = set()
    plain = name.strip()
    for inner in _PAREN.findall(plain):
        if re.fullmatch(r"[A-ZÄÖÜ][A-ZÄÖÜ0-9&.\-]{1,11}", inner.strip()):
            out.add(_plain(inner.strip()).replace(".", ""))
    head = re.split(r"\s+[-–]\s+", plain)[0].strip()
    if re.fullmatch(r"[A-ZÄÖÜ][A-ZÄÖÜ0-9&.\-]{1,11}", head):
        out.add(_plain(head).replace(".", ""))
    words = [w for w in normalise_name(name).split() if w not in _STOP and not w.isdigit()]
    if len(words) >= 3:
        out.add("".join(w[0] for w in words))
    return out


@dataclass(frozen=True)
class Candidate:
    """A proposed merge: ``merge_id`` into ``keep_id``, with the evidence and a score."""

    keep_id: str
    keep_name: str
    merge_id: str
    merge_name: str
    score: float
    evidence: str


def _neighbours(edges: pd.DataFrame | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    if edges is None or edges.empty:
        return out
    for a, b in zip(edges["source"].astype(str), edges["target"].astype(str), strict=True):
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def candidates(
    nodes: pd.DataFrame, edges: pd.DataFrame | None = None, *, threshold: float = 92.0
) -> list[Candidate]:
    """Merge candidates among ``nodes`` (``id``, ``name``), best first.

    ``edges`` (``source``, ``target``) gives the shared neighbours; the stakeholder with more
    neighbours (then the one not in capitals, then the longer name) is the one kept.
    """
    ids = nodes["id"].astype(str).tolist()
    names = nodes["name"].fillna("").astype(str).tolist()
    normal = [normalise_name(n) for n in names]
    acro = [acronyms(n) for n in names]
    forms = [legal_form(n) for n in names]
    first = [n.split()[0] if n else "" for n in normal]
    near = _neighbours(edges)
    scores = process.cdist(
        normal,
        normal,
        scorer=fuzz.token_sort_ratio,
        dtype=np.uint8,
        score_cutoff=int(threshold),
        workers=1,
    )
    pairs: dict[tuple[int, int], list[str]] = {}
    by_name: dict[str, set[str]] = {}
    for n, f in zip(normal, forms, strict=True):
        by_name.setdefault(n, set()).add(f)
    for i, j in zip(*np.nonzero(scores), strict=True):
        if i < j and normal[i] and normal[j]:
            bare = i if not forms[i] else j if not forms[j] else None
            if bare is not None and len(by_name[normal[bare]] - {""}) > 1:
                continue  # a name without legal form, two companies with one: ambiguous
            if forms[i] and forms[j] and forms[i] != forms[j]:
                continue  # two legal forms: two companies
            if normal[i] == normal[j]:
                pairs[(i, j)] = ["same name without legal form and accents"]
            elif fuzz.ratio(first[i], first[j]) >= threshold:
                pairs[(i, j)] = [f"similar names ({int(scores[i, j])}/100)"]
    by_acronym: dict[str, list[int]] = {}
    for i, stated in enumerate(acro):
        for a in stated:
            by_acronym.setdefault(a, []).append(i)
    for i, name in enumerate(normal):
        key = name.replace(" ", "")
        letters = sum(c.isalnum() for c in key)
        owners = [j for j in by_acronym.get(key, []) if j != i]
        if len(owners) != 1 or letters < (2 if "&" in key else 3):
            continue  # no owner, several owners (ambiguous) or too short to mean anything
        for j in owners:
            said = pairs.setdefault((min(i, j), max(i, j)), [])
            if not any("acronym" in e for e in said):
                said.append(f"{names[i]!r} is the acronym of {names[j]!r}")
    out: list[Candidate] = []
    for (i, j), evidence in pairs.items():
        if ids[i] == ids[j]:
            continue
        near_i, near_j = near.get(ids[i], set()), near.get(ids[j], set())
        shared = len(near_i & near_j)
        if shared:
            evidence = [*evidence, f"{shared} shared neighbour(s)"]
        score = float(scores[i, j]) if scores[i, j] else 90.0
        score = min(100.0, score + 2 * shared)
        # kept: more neighbours, then the name as written (not capitals), then the fuller one
        rank_i = (len(near_i), names[i] != names[i].upper(), len(names[i]))
        rank_j = (len(near_j), names[j] != names[j].upper(), len(names[j]))
        keep, drop = (i, j) if rank_i >= rank_j else (j, i)
        out.append(
            Candidate(
                keep_id=ids[keep],
                keep_name=names[keep],
                merge_id=ids[drop],
                merge_name=names[drop],
                score=score,
                evidence="; ".join(evidence),
            )
        )
    out.sort(key=lambda c: (-c.score, c.keep_id, c.merge_id))
    return out


_LEGAL_ONLY = set(_LEGAL_FORMS) | {
    "and",
    "und",
    "co",
    "cie",
    "partner",
    "partners",
    "sons",
    "söhne",
    "sohne",
}


def several_organisations(cell: str) -> bool:
    """True when ``cell`` seems to list several organisations (never used to split).

    >>> several_organisations("Acme, Inc.")
    False
    >>> several_organisations("Müller GmbH, Schmidt AG; Weber KG")
    True
    >>> several_organisations("Strauß & Haas GmbH")
    False
    """
    parts = [p for p in _SEPARATORS.split(cell.strip().rstrip(".")) if p.strip()]
    if len(parts) < 2:
        return False
    organisations = 0
    for part in parts:
        key = _plain(part).replace(".", "").replace(" ", "")
        if key and key not in _LEGAL_ONLY and any(c.isalpha() for c in key):
            organisations += 1
    return organisations >= 2


_REVIEW_COLUMNS = [
    "decision",
    "keep_id",
    "keep_name",
    "merge_id",
    "merge_name",
    "score",
    "evidence",
]
_ACCEPT = {"accept", "accepted", "yes", "y", "ja", "x", "1", "merge"}
_REJECT = {"reject", "rejected", "no", "n", "nein", "0", ""}


def write_review(found: Iterable[Candidate], path: Path) -> int:
    """A review file (CSV, opens in Excel): one candidate a row, ``decision`` left empty."""
    rows = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_REVIEW_COLUMNS)
        for c in found:
            writer.writerow(
                ["", c.keep_id, c.keep_name, c.merge_id, c.merge_name, f"{c.score:.0f}", c.evidence]
            )
            rows += 1
    return rows


def accepted_merges(path: Path) -> dict[str, str]:
    """``merge_id -> keep_id`` of the rows a person marked ``accept`` (others: reject)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderError(
            _l("review file {file} cannot be read: {error}", file=path, error=exc), file=str(path)
        ) from exc
    out: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        decision = (row.get("decision") or "").strip().casefold()
        if decision in _ACCEPT:
            keep, merge = (row.get("keep_id") or "").strip(), (row.get("merge_id") or "").strip()
            if not keep or not merge:
                raise LoaderError(
                    _l(
                        "review file {file} row {line}: keep_id and merge_id are needed",
                        file=path.name,
                        line=line,
                    ),
                    file=str(path),
                )
            out[merge] = keep
        elif decision not in _REJECT:
            raise LoaderError(
                _l(
                    "review file {file} row {line}, column 'decision': {decision!r} is neither "
                    "accept nor reject",
                    file=path.name,
                    line=line,
                    decision=row.get("decision"),
                ),
                file=str(path),
            )
    return _flatten(out)


def _flatten(merges: dict[str, str]) -> dict[str, str]:
    """Chains resolved (a -> b, b -> c gives a -> c); a cycle keeps the first."""
    out = {}
    for variant in merges:
        seen, keep = {variant}, merges[variant]
        while keep in merges and keep not in seen:
            seen.add(keep)
            keep = merges[keep]
        if keep != variant:
            out[variant] = keep
    return out


_MERGES_BLOCK = re.compile(r"^merges:.*?(?=^\S|\Z)", re.MULTILINE | re.DOTALL)


_TOML_MERGES = re.compile(r"^\[merges\][^\n]*\n.*?(?=^\[|\Z)", re.MULTILINE | re.DOTALL)


def save_merges(recipe_path: Path, merges: dict[str, str]) -> dict[str, str]:
    """Add ``merges`` to the recipe's ``merges:`` (TOML: ``[merges]``); the rest of the file is
    left as written."""
    text = recipe_path.read_text(encoding="utf-8-sig")
    toml = recipe_path.suffix.lower() == ".toml"
    current = ((tomllib.loads(text) if toml else yaml.safe_load(text)) or {}).get("merges") or {}
    combined = _flatten({**current, **merges})
    if toml:  # a JSON string is a TOML basic string
        block = "[merges]\n" + "".join(
            f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}\n"
            for k, v in sorted(combined.items())
        )
        pattern = _TOML_MERGES
    else:
        block = yaml.safe_dump(
            {"merges": dict(sorted(combined.items()))},
            allow_unicode=True,
            sort_keys=False,
            width=1000,
        )
        pattern = _MERGES_BLOCK
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n# merges accepted by a person (graphcap resolve)\n" + block
    recipe_path.write_text(text, encoding="utf-8")
    return combined
