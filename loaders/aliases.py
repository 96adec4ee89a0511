"""Names people use for stakeholder and relationship types, in German and English.

A type value from a file is matched case-insensitively, ignoring spaces, hyphens and
underscores, against (1) the schema's type names and labels, (2) the aliases below. Anything else
is an "unknown type" problem with the closest known names as suggestions. Relationship types end
up on the schema's allow-list only (:meth:`graphcap.model.schema.Schema.rel_type`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from graphcap.errors import SchemaError
from graphcap.i18n import lazy_gettext as _l
from graphcap.model.schema import Schema

__all__ = ["NODE_TYPE_ALIASES", "REL_TYPE_ALIASES", "TypeResolver", "suggest"]

#: alias -> canonical stakeholder type
NODE_TYPE_ALIASES: dict[str, str] = {
    # the focal organisation
    "organisation": "organization",
    "org": "organization",
    "focal": "organization",
    "unternehmen": "organization",
    "eigenesunternehmen": "organization",
    "firma": "organization",
    "geschaeftsbereich": "organization",
    "geschäftsbereich": "organization",
    "businessunit": "organization",
    "wir": "organization",
    "self": "organization",
    # customers
    "kunde": "customer",
    "kunden": "customer",
    "kundin": "customer",
    "client": "customer",
    "clients": "customer",
    "customers": "customer",
    "buyer": "customer",
    "käufer": "customer",
    "kaeufer": "customer",
    "abnehmer": "customer",
    "dealer": "customer",
    "händler": "customer",
    "haendler": "customer",
    "account": "customer",
    "endkunde": "customer",
    # suppliers
    "lieferant": "supplier",
    "lieferanten": "supplier",
    "zulieferer": "supplier",
    "vendor": "supplier",
    "vendors": "supplier",
    "suppliers": "supplier",
    "kreditor": "supplier",
    "dienstleister": "supplier",
    "contractor": "supplier",
    "auftragnehmer": "supplier",
    # partners (alliances, joint ventures, coalitions, networks and associations)
    "partners": "partner",
    "partnerin": "partner",
    "allianz": "partner",
    "alliance": "partner",
    "jointventure": "partner",
    "gemeinschaftsunternehmen": "partner",
    "kooperation": "partner",
    "kooperationspartner": "partner",
    "verband": "partner",
    "association": "partner",
    "netzwerk": "partner",
    "network": "partner",
    "koalition": "partner",
    "coalition": "partner",
    "cluster": "partner",
    # agencies (government, regulators, interest groups, marketing/PR agencies)
    "behörde": "agency",
    "behoerde": "agency",
    "amt": "agency",
    "ministerium": "agency",
    "regulator": "agency",
    "regulierer": "agency",
    "aufsicht": "agency",
    "government": "agency",
    "authority": "agency",
    "agentur": "agency",
    "agencies": "agency",
    "interessengruppe": "agency",
    "interestgroup": "agency",
    "ngo": "agency",
    "lobby": "agency",
    "werbeagentur": "agency",
    "pragentur": "agency",
    # competitors
    "wettbewerber": "competitor",
    "konkurrent": "competitor",
    "konkurrenz": "competitor",
    "mitbewerber": "competitor",
    "competitors": "competitor",
    "rival": "competitor",
}

#: alias -> canonical relationship type
REL_TYPE_ALIASES: dict[str, str] = {
    "kauftvon": "BUYS_FROM",
    "kauftbei": "BUYS_FROM",
    "buys": "BUYS_FROM",
    "customerof": "BUYS_FROM",
    "kundevon": "BUYS_FROM",
    "liefert": "SUPPLIES",
    "liefertan": "SUPPLIES",
    "beliefert": "SUPPLIES",
    "supplierof": "SUPPLIES",
    "lieferantvon": "SUPPLIES",
    "partnervon": "PARTNERS_WITH",
    "partnermit": "PARTNERS_WITH",
    "kooperiertmit": "PARTNERS_WITH",
    "partnerof": "PARTNERS_WITH",
    "reguliert": "REGULATES",
    "beaufsichtigt": "REGULATES",
    "beeinflusst": "INFLUENCES",
    "betreut": "SERVES",
    "bedient": "SERVES",
    "berät": "SERVES",
    "beraet": "SERVES",
    "konkurriertmit": "COMPETES_WITH",
    "competeswith": "COMPETES_WITH",
    "wettbewerbervon": "COMPETES_WITH",
    "mitgliedvon": "MEMBER_OF",
    "mitgliedin": "MEMBER_OF",
    "memberof": "MEMBER_OF",
    "empfiehlt": "REFERS",
    "refers": "REFERS",
    "referred": "REFERS",
    "empfohlen": "REFERS",
}

_SQUASH = re.compile(r"[\s_\-./]+")


def _key(value: str) -> str:
    return _SQUASH.sub("", unicodedata.normalize("NFC", value).strip().casefold())


def suggest(value: str, choices: list[str], n: int = 3) -> str:
    """`` (did you mean 'a', 'b'?)`` for the closest choices, or an empty string."""
    close = difflib.get_close_matches(value, choices, n=n, cutoff=0.6)
    if not close and value:
        lowered = {c.casefold(): c for c in choices}
        close = [
            lowered[c]
            for c in difflib.get_close_matches(value.casefold(), list(lowered), n=n, cutoff=0.6)
        ]
    if not close:
        return ""
    return _l(" (did you mean {names}?)", names=", ".join(repr(c) for c in close))


class TypeResolver:
    """Looks up stakeholder and relationship types for one schema (with caches)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        nodes: dict[str, str] = {}
        for alias, canonical in NODE_TYPE_ALIASES.items():
            if canonical in schema.node_types:
                nodes[_key(alias)] = canonical
        for name, label in schema.node_types.items():
            nodes[_key(name)] = name
            nodes[_key(label)] = name
        self._nodes = nodes
        rels: dict[str, str] = {}
        for alias, canonical in REL_TYPE_ALIASES.items():
            if canonical in schema.rel_types:
                rels[_key(alias)] = canonical
        for rel in schema.rel_types:
            rels[_key(rel)] = rel
        self._rels = rels

    def node_type(self, value: str) -> str:
        """The canonical stakeholder type for ``value``, or ValueError with suggestions."""
        found = self._nodes.get(_key(value))
        if found is None:
            allowed = sorted(self.schema.node_types)
            raise ValueError(
                _l(
                    "unknown stakeholder type{hint}; allowed: {allowed} (or a German/English "
                    "alias such as Kunde, Lieferant, Behörde)",
                    hint=suggest(value, allowed + _display(NODE_TYPE_ALIASES)),
                    allowed=", ".join(allowed),
                )
            )
        return found

    def rel_type(self, value: str) -> str:
        """The allow-listed relationship type for ``value``, or ValueError with suggestions."""
        found = self._rels.get(_key(value))
        if found is not None:
            try:
                return self.schema.rel_type(found)
            except SchemaError as exc:  # pragma: no cover - schema guarantees the name
                raise ValueError(str(exc)) from exc
        allowed = sorted(self.schema.rel_types)
        raise ValueError(
            _l(
                "unknown relationship type{hint}; allowed: {allowed}",
                hint=suggest(value.upper(), allowed),
                allowed=", ".join(allowed),
            )
        )


def _display(aliases: dict[str, str]) -> list[str]:
    return [a.capitalize() for a in aliases if a.isalpha()]
