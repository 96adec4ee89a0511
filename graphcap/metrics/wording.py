"""The words of the measures: radar reasons, index dimensions, types and quadrants, in the
current language (:mod:`graphcap.i18n`), written when a page or report is drawn.

Why here
--------
The computations stay pure and language-free: the at-risk radar records each reason as a
**reason code** with its numbers (``"no_contact days=384 limit=120"``, column ``reason_codes``),
the index records dimension codes (``strength``, ``health`` …). A code survives JSON, CSV and a
snapshot unchanged; the sentence is made from it only when a person reads it, in that person's
language: "no contact for 384 days (more than 120)" or "kein Kontakt seit 384 Tagen (mehr als
120)". The radar's English ``reasons``/``reasons_text`` columns are rendered by this module too,
so the two languages can never drift apart.

The small stable API (used by the app, the PDF/XLSX/image exports and the CLI):

* :func:`reason_code` / :func:`parse_reason` — one reason as code text and back;
* :func:`risk_reason` — one code as a sentence; :func:`risk_reasons` — a radar row's reasons
  (its ``reason_codes``, else its stored English ``reasons`` text) as sentences;
  :func:`reasons_text` — the same joined by ``"; "``;
* :func:`dimension_label`, :func:`dimension_meaning` — the index breakdown;
  :func:`rci_note` — a note of the index (dimension left out, weighting, hostile party);
* :func:`type_label`, :func:`relationship_label`, :func:`quadrant_label`, :func:`kind_label` —
  graphcap's own category words (a type a project defines itself stays as it is; in English the
  codes as the data writes them).

>>> from graphcap.i18n import use_language
>>> code = reason_code("no_contact", days=384, limit=120)
>>> code
'no_contact days=384 limit=120'
>>> risk_reason(code)
'no contact for 384 days (more than 120)'
>>> with use_language("de"):
...     risk_reason(code), dimension_label("health"), type_label("supplier")
('kein Kontakt seit 384 Tagen (mehr als 120)', 'Gesundheit', 'Lieferant')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graphcap.i18n import (
    current_language,
    format_date,
    format_money,
    format_number,
    format_percent,
    gettext,
    ngettext,
)
from graphcap.metrics.rci_dims import DIMENSIONS

__all__ = [
    "CONTACT_CODES",
    "REASON_CODES",
    "contact_reason",
    "contact_reasons",
    "dimension_label",
    "dimension_meaning",
    "kind_label",
    "signal_label",
    "parse_reason",
    "quadrant_label",
    "rci_note",
    "reason_code",
    "reasons_text",
    "relationship_label",
    "risk_reason",
    "risk_reasons",
    "type_label",
]

_ = gettext

#: Every reason the radar gives, with the numbers it carries.
REASON_CODES: Mapping[str, tuple[str, ...]] = {
    "weak": ("kind", "value", "top", "strength", "limit"),
    "weak_negative": ("kind", "value", "top", "strength"),
    "weak_no_tie": ("kind", "value", "top"),
    "falling": ("recent", "window", "usual", "before", "baseline"),
    "no_contact": ("days", "limit"),
    "overdue": ("days", "target"),
    "contract_ends": ("days", "date"),
    "contract_ended": ("days", "date"),
    "single_threaded": (),
    "sentiment_falling": ("recent", "window", "before", "baseline"),
    "sentiment_negative": ("recent", "window"),
    "sentiment_edge": ("sentiment",),
}

#: The reasons of the overdue list and the next best contacts
#: (:mod:`graphcap.metrics.cadence`, column ``reason_codes``), worded by :func:`contact_reason`.
CONTACT_CODES: Mapping[str, tuple[str, ...]] = {
    "overdue_by": ("days",),
    "due_in": ("days",),
    "no_contact_on_record": ("target",),
    "last_contact_over": ("date", "target"),
    "last_contact_target": ("date", "target"),
    "planned_passed": ("date",),
    "planned_on": ("date",),
    "value_rank": ("kind", "value", "rank"),
    "at_risk": ("score",),
}
_ALL_CODES: Mapping[str, tuple[str, ...]] = {**REASON_CODES, **CONTACT_CODES}

_TYPES = {
    "organization": "Organisation",
    "customer": "Customer",
    "supplier": "Supplier",
    "partner": "Partner",
    "agency": "Agency",
    "competitor": "Competitor",
}
#: built-in relationship types as words (English: the type itself, as the data writes it)
_RELATIONSHIPS = {
    "BUYS_FROM": "buys from",
    "SUPPLIES": "supplies",
    "PARTNERS_WITH": "partners with",
    "REGULATES": "regulates",
    "INFLUENCES": "influences",
    "SERVES": "serves",
    "COMPETES_WITH": "competes with",
    "MEMBER_OF": "member of",
    "REFERS": "refers",
}
_KINDS = {"revenue": "Revenue", "spend": "Spend", "flow": "Flow", "value": "Value"}
_QUADRANTS = {
    "manage closely": "manage closely",
    "keep satisfied": "keep satisfied",
    "keep informed": "keep informed",
    "monitor": "monitor",
    "focal organisation": "focal organisation",
}
_DIMENSIONS = {
    "strength": "Strength",
    "diversification": "Diversification",
    "brokerage": "Brokerage",
    "health": "Health",
    "standing": "Standing",
}


def _english() -> bool:
    return current_language() == "en"


def reason_code(code: str, **numbers: Any) -> str:
    """One radar reason as language-free text: the code, then ``name=value`` for each number
    (dates as ISO). The names must be those :data:`REASON_CODES` lists for the code.

    >>> reason_code("contract_ends", days=12, date=date(2026, 1, 31))
    'contract_ends days=12 date=2026-01-31'
    """
    wanted = _ALL_CODES.get(code)
    if wanted is None or set(numbers) != set(wanted):
        raise ValueError(
            gettext("reason {code!r} takes {wanted}, got {numbers}").format(
                code=code, wanted=wanted, numbers=sorted(numbers)
            )
        )
    parts = [code]
    for name in wanted:
        value = numbers[name]
        text = value.isoformat() if isinstance(value, date) else str(value)
        if not text or " " in text or "=" in text:
            raise ValueError(
                gettext("reason {code!r}: {name}={value!r} cannot be written as a code").format(
                    code=code, name=name, value=value
                )
            )
        parts.append(f"{name}={text}")
    return " ".join(parts)


def parse_reason(text: str) -> tuple[str, dict[str, str]]:
    """The code and the numbers (as text) of :func:`reason_code`'s output.

    >>> parse_reason("no_contact days=384 limit=120")
    ('no_contact', {'days': '384', 'limit': '120'})
    """
    code, *pairs = text.split()
    if code not in _ALL_CODES:
        raise ValueError(gettext("unknown radar reason {code!r}").format(code=code))
    numbers = dict(pair.split("=", 1) for pair in pairs)
    return code, numbers


def _num(text: str, decimals: int | None = None) -> str:
    return format_number(float(text), decimals=decimals)


def _signed(text: str) -> str:
    value = float(text)
    return ("+" if value >= 0 else "") + format_number(value, decimals=2)


def _amount(text: str, currency: str | None) -> str:
    if currency:
        return format_money(float(text), currency=currency, decimals=0)
    return format_number(float(text), decimals=0)


def risk_reason(text: str, *, currency: str | None = None) -> str:
    """One reason code as a sentence in the current language; money with ``currency`` (an ISO
    4217 code) when given, else as a plain number.

    >>> risk_reason("weak kind=revenue value=100.0 top=0.2 strength=0.3 limit=0.4")
    'high revenue (100, top 20%) with weak relationship (strength 0.30 < 0.40)'
    """
    code, n = parse_reason(text)
    if code in CONTACT_CODES:
        return contact_reason(text, currency=currency)
    if code.startswith("weak"):
        if code == "weak":
            why = _("weak relationship (strength {strength} < {limit})").format(
                strength=_num(n["strength"], 2), limit=_num(n["limit"], 2)
            )
        elif code == "weak_negative":
            why = _("negative relationship (distrust, strength {strength})").format(
                strength=_num(n["strength"], 2)
            )
        else:
            why = _("no direct relationship with the organisation")
        return _("high {kind} ({value}, top {top}) with {why}").format(
            kind=kind_label(n["kind"]),
            value=_amount(n["value"], currency),
            top=format_percent(float(n["top"])),
            why=why,
        )
    if code == "falling":
        recent = int(n["recent"])
        return ngettext(
            "falling activity: {recent} interaction in the last {window} days vs {usual} usual "
            "({before} in the {baseline} days before)",
            "falling activity: {recent} interactions in the last {window} days vs {usual} usual "
            "({before} in the {baseline} days before)",
            recent,
        ).format(
            recent=recent,
            window=n["window"],
            usual=_num(n["usual"], 1),
            before=n["before"],
            baseline=n["baseline"],
        )
    if code == "no_contact":
        return _("no contact for {days} days (more than {limit})").format(**n)
    if code == "overdue":
        return _(
            "overdue for a contact: last one {days} days ago (target: every {target} days)"
        ).format(**n)
    if code == "contract_ends":
        return _("contract ends in {days} days ({date})").format(
            days=n["days"], date=format_date(n["date"])
        )
    if code == "contract_ended":
        return _("contract ended {days} days ago ({date})").format(
            days=n["days"], date=format_date(n["date"])
        )
    if code == "single_threaded":
        return _("single-threaded: one relationship is all that ties it to the organisation")
    if code == "sentiment_falling":
        return _(
            "sentiment falling: {recent} in the last {window} days vs {before} in the "
            "{baseline} days before"
        ).format(
            recent=_signed(n["recent"]),
            window=n["window"],
            before=_signed(n["before"]),
            baseline=n["baseline"],
        )
    if code == "sentiment_negative":
        return _("negative sentiment: {recent} in the last {window} days").format(
            recent=_signed(n["recent"]), window=n["window"]
        )
    return _("negative sentiment on the relationship ({sentiment})").format(
        sentiment=_signed(n["sentiment"])
    )


def contact_reason(text: str, *, currency: str | None = None) -> str:
    """One reason of the overdue list or the next best contacts (:data:`CONTACT_CODES`) as a
    sentence in the current language.

    >>> contact_reason("last_contact_over date=2026-01-01 target=60")
    'last contact 2026-01-01 is more than 60 days ago'
    >>> from graphcap.i18n import use_language
    >>> with use_language("de"):
    ...     contact_reason("overdue_by days=1")
    'seit 1 Tag überfällig'
    """
    code, n = parse_reason(text)
    if code in ("overdue_by", "due_in"):
        days = int(n["days"])
        if code == "overdue_by":
            return ngettext("overdue by {n} day", "overdue by {n} days", days).format(n=days)
        return ngettext("due in {n} day", "due in {n} days", days).format(n=days)
    if code == "no_contact_on_record":
        return _("no contact on record (target: every {target} days)").format(**n)
    if code == "last_contact_over":
        return _("last contact {date} is more than {target} days ago").format(
            date=format_date(n["date"]), target=n["target"]
        )
    if code == "last_contact_target":
        return _("last contact {date} (target: every {target} days)").format(
            date=format_date(n["date"]), target=n["target"]
        )
    if code == "planned_passed":
        return _("planned contact on {date} has passed").format(date=format_date(n["date"]))
    if code == "planned_on":
        return _("planned contact on {date}").format(date=format_date(n["date"]))
    if code == "value_rank":
        return _("{kind} {value} (percentile rank {rank} among its kind)").format(
            kind=kind_label(n["kind"]),
            value=_amount(n["value"], currency),
            rank=format_percent(float(n["rank"])),
        )
    if code == "at_risk":
        return _("at risk (score {score})").format(score=_num(n["score"], 0))
    raise ValueError(gettext("{code!r} is not a reason of the contact lists").format(code=code))


def contact_reasons(codes: Any, *, currency: str | None = None) -> str:
    """A row's ``reason_codes`` (a list, or the ``"; "``-joined text) as one cell in the current
    language; the radar's reasons after ``at_risk`` follow it after a colon.

    >>> contact_reasons("due_in days=3; at_risk score=40; single_threaded")
    'due in 3 days; at risk (score 40): single-threaded: one relationship is all that ties it to the organisation'
    """
    parts = _as_list(codes)
    words: list[str] = []
    for k, code in enumerate(parts):
        if code.startswith("at_risk "):
            radar = "; ".join(risk_reason(c, currency=currency) for c in parts[k + 1 :])
            words.append(contact_reason(code, currency=currency) + (": " + radar if radar else ""))
            break
        words.append(risk_reason(code, currency=currency))
    return "; ".join(words)


def _as_list(value: Any) -> list[str]:
    """A list of reasons, or the ``"; "``-joined text a snapshot stores."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(";")) if part]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return []


def risk_reasons(row: Mapping[str, Any], *, currency: str | None = None) -> list[str]:
    """The reasons of one radar row (a mapping with ``reason_codes``, as a list or as the
    ``"; "``-joined text a snapshot stores) as sentences in the current language. A row stored
    before reasons had codes keeps its English ``reasons``/``reasons_text``."""
    codes = _as_list(row.get("reason_codes"))
    if codes:
        return [risk_reason(c, currency=currency) for c in codes]
    stored = row.get("reasons")
    return _as_list(stored if stored is not None else row.get("reasons_text"))


def reasons_text(row: Mapping[str, Any], *, currency: str | None = None) -> str:
    """:func:`risk_reasons` joined by ``"; "`` (one table cell)."""
    return "; ".join(risk_reasons(row, currency=currency))


def signal_label(signal: Any, *, other: str | None = None) -> Any:
    """A radar signal of the backtest (:data:`graphcap.metrics.backtest.SIGNALS`: ``falling
    activity``, ``no contact``, ...) in the current language; another value as it is, or
    ``other`` when given.

    >>> from graphcap.i18n import use_language
    >>> with use_language("de"):
    ...     signal_label("falling activity"), signal_label("x"), signal_label("x", other="sonst")
    ('sinkende Aktivität', 'x', 'sonst')
    """
    words = {
        "weak (high value)": _("weak (high value)"),
        "falling activity": _("falling activity"),
        "no contact": _("no contact"),
        "contract ending": _("contract ending"),
        "single-threaded": _("single-threaded"),
        "sentiment": _("sentiment"),
    }
    if isinstance(signal, str) and signal in words:
        return words[signal]
    return signal if other is None else other


def kind_label(kind: str) -> str:
    """A kind of money (``revenue``, ``spend``, ``flow``) as the current language writes it in
    running text (English: the code itself)."""
    term = _KINDS.get(str(kind))
    if term is None or _english():
        return str(kind)
    return _(term)


def type_label(node_type: Any) -> str:
    """A built-in stakeholder type in the current language (``supplier`` in English, "Lieferant"
    in German); a type a project defines stays as it is."""
    term = _TYPES.get(str(node_type))
    return str(node_type) if term is None or _english() else _(term)


def relationship_label(rel_type: Any) -> str:
    """A built-in relationship type in the current language (``BUYS_FROM`` in English, "kauft
    bei" in German); a type a project defines stays as it is."""
    term = _RELATIONSHIPS.get(str(rel_type))
    return str(rel_type) if term is None or _english() else _(term)


def quadrant_label(quadrant: Any) -> str:
    """A power/interest quadrant in the current language ("keep satisfied" →
    "zufriedenstellen")."""
    term = _QUADRANTS.get(str(quadrant))
    return str(quadrant) if term is None or _english() else _(term)


def dimension_label(dimension: Any) -> str:
    """A dimension of the Relational Capital Index (``brokerage`` → "Brokerage",
    "Brückenfunktion")."""
    term = _DIMENSIONS.get(str(dimension))
    return str(dimension) if term is None else _(term)


def dimension_meaning(dimension: Any) -> str:
    """What a dimension measures, in the current language (graphcap.metrics.rci_dims.DIMENSIONS)."""
    meaning = DIMENSIONS.get(str(dimension))
    return "" if meaning is None else _(meaning)


_NOTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (
            r"diversification left out: no stakeholder brings money \(revenue, spend or flow\)",
            "diversification left out: no stakeholder brings money (revenue, spend or flow)",
        ),
        (
            r"brokerage left out: the data is ego-only \(declared\), it cannot show ties among "
            r"stakeholders",
            "brokerage left out: the data is ego-only (declared), it cannot show ties among "
            "stakeholders",
        ),
        (
            r"strength, brokerage and health are weighted by stakeholder count \(no money "
            r"recorded\)",
            "strength, brokerage and health are weighted by stakeholder count (no money recorded)",
        ),
        (
            r"strength, brokerage and health are weighted by (?P<kinds>[a-z ]+) \(each kind an "
            r"equal share, never added\)",
            "strength, brokerage and health are weighted by {kinds} (each kind an equal share, "
            "never added)",
        ),
        (
            r"no relationship among stakeholders is recorded \(a star\): brokerage is 0 and "
            r"nobody is flagged single-threaded one by one; if the data cannot contain such "
            r"ties, declare it ego-only",
            "no relationship among stakeholders is recorded (a star): brokerage is 0 and nobody "
            "is flagged single-threaded one by one; if the data cannot contain such ties, "
            "declare it ego-only",
        ),
        (
            r"standing: (?P<name>.+) has a negative tie with the organisation",
            "standing: {name} has a negative tie with the organisation",
        ),
        (
            r"no stakeholders besides the focal organisation: the index is 0",
            "no stakeholders besides the focal organisation: the index is 0",
        ),
        (r"no focal organisation", "no focal organisation"),
    )
)


def rci_note(note: str) -> str:
    """A note of the index (graphcap.metrics.rci: a dimension left out and why, the weighting, a
    hostile party) in the current language; a note this module does not know stays as it is.
    Names in a note are never translated."""
    for pattern, message in _NOTES:
        found = pattern.fullmatch(note.strip())
        if found is None:
            continue
        parts = found.groupdict()
        if "kinds" in parts:
            words = [kind_label(k) for k in parts["kinds"].split(" and ")]
            parts["kinds"] = (" " + _("and") + " ").join(words)
        return _(message).format(**parts)
    return note
