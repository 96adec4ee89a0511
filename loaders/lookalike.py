"""Names that look alike but are different text: ``Siеmens AG`` (a Cyrillic ``е``) beside
``Siemens AG``.

Unicode's confusables data (TR39, through the maintained ``confusable_homoglyphs`` package)
says which characters look like which Latin ones. :func:`skeleton` writes every such character
as its Latin look-alike (and folds case and compatibility forms), so two names with the same
skeleton look the same to a reader; :func:`lookalike_problems` reports them as a possible
duplicate, and reports a name that mixes Latin letters with look-alike letters of another script
(the usual way to fake a known name). Warnings, never errors: ``Bäcker`` and ``Backer`` differ
on purpose, and so may two real companies.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from confusable_homoglyphs import categories, confusables

from graphcap.i18n import lazy_gettext as _l

__all__ = ["lookalike_problems", "mixed_script_hint", "skeleton"]


@lru_cache(maxsize=65536)
def _latin_lookalike(ch: str) -> str | None:
    """The Latin text ``ch`` is confusable with, or None."""
    if ch.isascii():
        return None
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
    for item in found:
        for glyph in item.get("homoglyphs", ()):
            text = glyph.get("c", "")
            if text and all(c.isascii() for c in text):
                return text
    return None


def skeleton(name: str) -> str:
    """``name`` as it looks: compatibility forms folded, case folded, every character that is
    confusable with Latin text written as that text.

    >>> skeleton("Siеmens AG") == skeleton("SIEMENS ag")
    True
    >>> skeleton("Müller") == skeleton("Muller")
    False
    """
    text = unicodedata.normalize("NFKC", name)
    return "".join(_latin_lookalike(c) or c for c in text).casefold()


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def mixed_script_hint(name: str) -> str | None:
    """Why ``name`` looks like a faked Latin name, or None: Latin letters mixed with letters of
    another script that look like Latin ones."""
    if name.isascii():
        return None
    scripts = categories.unique_aliases(name) - {"COMMON", "INHERITED"}
    if "LATIN" not in scripts or len(scripts) < 2:
        return None
    for ch in name:
        alias = categories.alias(ch)
        if alias not in ("LATIN", "COMMON") and _latin_lookalike(ch):
            return _l(
                "mixes Latin letters with {script} ones that look like Latin: {ch!r} (U+{code} "
                "{name}) looks like {latin!r}",
                script=alias.title(),
                ch=ch,
                code=f"{ord(ch):04X}",
                name=unicodedata.name(ch, "?"),
                latin=_latin_lookalike(ch),
            )
    return None


def lookalike_problems(names: Sequence[str | None]) -> list[tuple[int, int | None, str]]:
    """(position, position of the look-alike or None, why) for every name that looks like an
    earlier, different name or mixes look-alike scripts."""
    out: list[tuple[int, int | None, str]] = []
    first: dict[str, tuple[str, int]] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        hint = mixed_script_hint(name)
        if hint:
            out.append(
                (i, None, _l("the name {hint}; check that it is typed as intended", hint=hint))
            )
        key = skeleton(name)
        other = first.setdefault(key, (name, i))
        if other[0] != name and unicodedata.normalize("NFC", other[0]) != unicodedata.normalize(
            "NFC", name
        ):
            if _folded(other[0]) == _folded(name):
                why = _l(
                    "the name looks like {other!r} but differs only in upper/lower case; "
                    "possible duplicate: check whether they are one stakeholder",
                    other=other[0],
                )
            else:
                why = _l(
                    "the name looks like {other!r} but differs in look-alike characters; "
                    "possible duplicate: check whether they are one stakeholder",
                    other=other[0],
                )
            out.append((i, other[1], why))
    return out
