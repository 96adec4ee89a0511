"""Text Neo4j can store: :func:`text_problem` says why a value cannot be (a NUL character, a
lone surrogate, an indexed id or name longer than Neo4j's index takes).
"""

from __future__ import annotations

import re

from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l

__all__ = ["INDEXED_COLUMNS", "MAX_INDEXED_BYTES", "text_problem"]


#: Longest text Neo4j's range index takes as a key, in UTF-8 bytes (measured on Neo4j 5.26:
#: 8,164 bytes, i.e. 8,164 ASCII letters, 4,082 umlauts, 2,721 CJK characters or 2,041 emoji).
#: Ids and names are indexed, so a longer id or name could be validated and then fail in Neo4j.
MAX_INDEXED_BYTES = 8164
#: The columns Neo4j indexes (ids, names) and the ones that refer to ids.
INDEXED_COLUMNS = ("id", "name", "source", "target")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str, *, indexed: bool = False) -> str | None:
    """Why ``value`` cannot be stored as text, or ``None``: a NUL character, a lone surrogate
    (not Unicode; UTF-8 cannot encode it), or, for an ``indexed`` column, more UTF-8 bytes than
    Neo4j's index takes (:data:`MAX_INDEXED_BYTES`).

    >>> text_problem("Müller") is None
    True
    >>> text_problem("a" + chr(0) + "b")
    'contains the NUL character (U+0000) at position 2; remove it'
    """
    bad = _UNSTORABLE.search(value)
    if bad:
        code = ord(bad.group())
        if code == 0:
            return _l(
                "contains the NUL character (U+0000) at position {n}; remove it", n=bad.start() + 1
            )
        return _l(
            "contains a lone surrogate (broken Unicode) (U+{code}) at position {n}; remove it",
            code=f"{code:04X}",
            n=bad.start() + 1,
        )
    if indexed and len(value) * 4 > MAX_INDEXED_BYTES:
        size = len(value.encode("utf-8"))
        if size > MAX_INDEXED_BYTES:
            return _l(
                "is {size} bytes long in UTF-8; Neo4j indexes ids and names of at most {limit} "
                "bytes: shorten it",
                size=Num(size),
                limit=Num(MAX_INDEXED_BYTES),
            )
    return None
