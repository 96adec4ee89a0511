"""What GraphML and GEXF share: XML-safe text and typed attribute columns.

XML 1.0 cannot carry NUL and most other C0 control characters, lone surrogates, U+FFFE and
U+FFFF; such characters are replaced by U+FFFD (the replacement character) so the file stays
readable by Gephi, yEd and graphcap's own loaders. Carriage returns are written as character
references (``&#13;``) so a name with ``\\r`` comes back unchanged instead of being normalised to
``\\n`` by the XML parser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from graphcap.export._records import column_kinds

__all__ = ["attribute_columns", "write_tree", "xml_text"]

_XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CR_MARK = "\ue000\ue001graphcap-cr\ue001\ue000"


def xml_text(value: object) -> str:
    """``value`` as text XML can hold (see the module doc)."""
    return _XML_INVALID.sub("\ufffd", str(value)).replace("\r", _CR_MARK)


def attribute_columns(frame: pd.DataFrame, skip: tuple[str, ...]) -> dict[str, str]:
    """Columns exported as attributes (all but ``skip``) -> kind (``string`` ``double`` ...)."""
    return {c: k for c, k in column_kinds(frame).items() if c not in skip}


def write_tree(root: ET.Element, path: Path) -> None:
    """Write ``root`` as UTF-8 XML with a declaration, indented, carriage returns as ``&#13;``."""
    ET.indent(root, space=" ")
    data = ET.tostring(root, encoding="unicode", xml_declaration=False)
    data = data.replace(_CR_MARK, "&#13;")
    path.write_text("<?xml version='1.0' encoding='utf-8'?>\n" + data, encoding="utf-8")
