"""Parsing untrusted XML (GraphML, GEXF) without the XML tricks.

defusedxml refuses entity declarations (the "billion laughs" expansion bomb and its quadratic
cousin) and external entities or DTDs fetched from elsewhere (file disclosure, network access);
a refusal is a :class:`graphcap.errors.LoaderError` that says what was refused and why. Malformed
XML is a LoaderError with the line and column the parser stopped at. An external DTD named in
``<!DOCTYPE ... SYSTEM "...">`` is never fetched (the parser does not load DTDs).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l

__all__ = ["children", "local", "parse_xml"]

#: refuse XML files bigger than this (they are read into memory)
MAX_XML_BYTES = 1024**3


def parse_xml(path: Path) -> Element:
    """The root element of an XML file, parsed with entity and DTD tricks refused."""
    file = path.name
    try:
        if path.stat().st_size > MAX_XML_BYTES:
            raise LoaderError(
                _l("{file}: larger than {limit} bytes; refused", file=file, limit=MAX_XML_BYTES),
                file=file,
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LoaderError(_l("{file}: no such file", file=path), file=str(path)) from exc
    except OSError as exc:
        raise LoaderError(
            _l("{file}: cannot be read ({error})", file=path, error=exc), file=str(path)
        ) from exc
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise LoaderError(
            _l(
                "{file}: refused: the XML declares an entity ({name!r}); entity declarations are "
                "how entity-expansion ('billion laughs') and external-entity attacks work. "
                "Remove the <!DOCTYPE ...> / <!ENTITY ...> part",
                file=file,
                name=exc.name,
            ),
            file=file,
        ) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise LoaderError(
            _l(
                "{file}: refused: the XML refers to an external resource ({sysid!r}); external "
                "references can read local files or reach the network. Remove it",
                file=file,
                sysid=exc.sysid,
            ),
            file=file,
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise LoaderError(
            _l("{file}: refused unsafe XML ({error})", file=file, error=exc), file=file
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise LoaderError(
            _l(
                "{file}: not well-formed XML at line {line}, column {column}: {error}",
                file=file,
                line=line,
                column=column,
                error=exc,
            ),
            file=file,
        ) from exc


def local(tag: str) -> str:
    """The tag name without its namespace: ``{http://graphml...}node`` -> ``node``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: Element, name: str) -> list[Element]:
    """Direct children with the local tag ``name`` (any namespace)."""
    return [child for child in element if local(child.tag) == name]
