"""Languages and locale formats: which language a user sees, its catalogue, and numbers, money
and dates written the way that language writes them.

* **Messages** come from gettext catalogues: ``graphcap/locale/<lang>/LC_MESSAGES/*.po``,
  the files translators edit (one per part of the product). They are compiled in memory with Babel the first time a language is
  used (no ``.mo`` file is kept next to it, so the catalogue is never committed twice and an
  installed graphcap needs no build step). English is the source language: its "catalogue" is the
  messages themselves.
* **The language** is chosen, in this order, by an explicit choice (the app's sidebar, a URL
  parameter, ``--lang``), ``GRAPHCAP_LANG``, the project setting (``graphcap.toml``), the
  browser's ``Accept-Language``, else English: :func:`resolve_language`.
* **The current language** is per context (a :class:`contextvars.ContextVar`), so two users of the
  same Streamlit server, each in their own thread, never see each other's language:
  :func:`use_language` for a block, :func:`set_language` for a whole CLI process.
* **Formats** (Babel's CLDR data): ``format_number(1234567.891)`` is ``1,234,567.891`` in English
  and ``1.234.567,891`` in German; ``format_money(1234567.89, currency="EUR")`` is
  ``1.234.567,89 €`` in German; ``format_date`` gives ``31.12.2026`` in German and ISO
  (``2026-12-31``) in English. A missing value (None, NaN, NaT) is :data:`MISSING`.

Names and data values are never translated: only graphcap's own texts go through :func:`gettext`.

>>> with use_language("de"):
...     format_number(-1234.5), format_date("2026-12-31"), format_percent(0.775)
('-1.234,5', '31.12.2026', '78\\xa0%')
>>> format_number(-1234.5), format_date("2026-12-31"), format_percent(0.775)
('-1,234.5', '2026-12-31', '78%')
"""

from __future__ import annotations

import gettext as _gettext
import io
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALE_DIR",
    "MISSING",
    "catalogue",
    "catalogue_files",
    "current_language",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "Num",
    "Text",
    "gettext",
    "lazy_gettext",
    "lazy_join",
    "lazy_ngettext",
    "ngettext",
    "normalise_language",
    "resolve_language",
    "set_language",
    "shown",
    "use_language",
]

#: The languages graphcap speaks: code -> the language's own name (as the sidebar lists it).
LANGUAGES: Mapping[str, str] = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"
#: Where the catalogues live: ``<LOCALE_DIR>/<lang>/LC_MESSAGES/graphcap.po``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "graphcap"
#: What a missing number or date is shown as, in every language.
MISSING = "–"
#: The CLDR locale each language formats with.
_LOCALES = {"en": "en_US", "de": "de_DE"}

_current: ContextVar[str] = ContextVar("graphcap_language", default=DEFAULT_LANGUAGE)


def normalise_language(value: Any) -> str | None:
    """The language code for ``value`` (``"de"``, ``"de-AT"``, ``"de_DE.UTF-8"``, ``"DE"``), or
    ``None`` when graphcap does not speak it.

    >>> normalise_language("de-AT"), normalise_language(" EN_gb.utf8 "), normalise_language("ru")
    ('de', 'en', None)
    """
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split(".")[0].split("-")[0]
    return code if code in LANGUAGES else None


def _accepted(header: str) -> Iterator[str]:
    """Languages of an ``Accept-Language`` header, most preferred first."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag))
    for _q, _p, tag in sorted(ranked):
        yield tag


def resolve_language(
    *,
    explicit: Any = None,
    env: Mapping[str, str] | None = None,
    configured: Any = None,
    accept_language: str | None = None,
) -> str:
    """The language to use: the first of ``explicit``, ``GRAPHCAP_LANG`` in ``env``
    (``os.environ`` by default), ``configured`` (the project setting), the browser's
    ``accept_language`` header, that graphcap speaks; else English.

    >>> resolve_language(explicit="xx", env={}, accept_language="fr-CH, de;q=0.8, en;q=0.5")
    'de'
    >>> resolve_language(env={"GRAPHCAP_LANG": "de"}, accept_language="en")
    'de'
    >>> resolve_language(env={})
    'en'
    """
    environ = os.environ if env is None else env
    for candidate in (explicit, environ.get("GRAPHCAP_LANG"), configured):
        code = normalise_language(candidate)
        if code:
            return code
    for tag in _accepted(accept_language or ""):
        code = normalise_language(tag)
        if code:
            return code
    return DEFAULT_LANGUAGE


@cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The message catalogue of ``lang``, compiled from the ``.po`` files of its folder (English:
    the messages themselves). A language without a catalogue falls back to English.

    A language may keep its messages in several files (``graphcap.po``, ``app.po``, ``report.po``,
    …: one per part of the product, so translators and developers do not edit one huge file);
    they are read in name order into one catalogue, and a message translated in two files is a
    :class:`ValueError` naming both (a translator must decide, not the file order)."""
    code = normalise_language(lang) or DEFAULT_LANGUAGE
    files = catalogue_files(code)
    if code == DEFAULT_LANGUAGE or not files:
        return _gettext.NullTranslations()
    combined = None
    seen: dict[Any, Path] = {}
    for po in files:
        with po.open("rb") as fh:
            messages = read_po(fh, locale=code, domain=DOMAIN)
        if combined is None:
            combined = messages
            seen = {m.id: po for m in messages if m.id}
            continue
        for message in messages:
            if not message.id:
                continue
            if message.id in seen:
                # English only: translating it would read this broken catalogue again
                raise ValueError(
                    f"message {message.id!r} is translated in both {seen[message.id].name} "
                    f"and {po.name}"
                )
            seen[message.id] = po
            combined[message.id] = message
    assert combined is not None  # files is not empty
    buffer = io.BytesIO()
    write_mo(buffer, combined, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def catalogue_files(lang: str) -> list[Path]:
    """The ``.po`` files of ``lang`` in the order they are read (by name)."""
    code = normalise_language(lang) or DEFAULT_LANGUAGE
    return sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.po"))


def current_language() -> str:
    """The language of this context (thread, Streamlit session run, CLI process)."""
    return _current.get()


def set_language(lang: Any) -> str:
    """Make ``lang`` (or English, if graphcap does not speak it) this context's language."""
    code = normalise_language(lang) or DEFAULT_LANGUAGE
    _current.set(code)
    return code


@contextmanager
def use_language(lang: Any) -> Iterator[str]:
    """``with use_language("de"): ...`` — German inside the block, the previous language after."""
    token = _current.set(normalise_language(lang) or DEFAULT_LANGUAGE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    return catalogue(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return catalogue(current_language()).ngettext(singular, plural, n)


class Num:
    """A number inside a :class:`Text`: written with ``spec`` (``","``, ``",.1f"``) in English,
    as :func:`format_number` writes it in the reader's language otherwise.

    >>> t = lazy_gettext("{n} lines", n=Num(1234567))
    >>> t, t.shown("de")
    ('1,234,567 lines', '1.234.567 lines')
    """

    def __init__(self, value: float, spec: str = ",") -> None:
        self.value = value
        self.spec = spec

    def __format__(self, spec: str) -> str:
        return format(self.value, spec or self.spec)

    def __repr__(self) -> str:
        return f"Num({self.value!r}, {self.spec!r})"

    def local(self, lang: str) -> str:
        if lang == DEFAULT_LANGUAGE:
            return format(self, "")
        digits = self.spec.rsplit(".", 1)[1].rstrip("f%") if "." in self.spec else ""
        return format_number(self.value, decimals=int(digits) if digits else None, lang=lang)


class Text(str):
    """An English text that is worded again in the reader's language when it is shown.

    A problem found while reading a file (:class:`graphcap.errors.Problem`'s ``why``, a
    :class:`graphcap.errors.LoaderError`'s message) can outlive the language it was found in: the
    app keeps a checked import in the session while the user switches the sidebar to Deutsch.
    So the reason keeps its message id and parameters, and :meth:`shown` (or :func:`shown`) words
    it in the current language when it is displayed. As a ``str`` it *is* the English text, so
    comparisons, grouping, JSON and the CSV report stay the same in every language.
    Parameters that are :class:`Text` themselves are worded too; :class:`Num` writes numbers.

    >>> why = lazy_gettext("value {value!r} is not a number", value="abc")
    >>> print(why, why == "value 'abc' is not a number")
    value 'abc' is not a number True
    """

    msgid: str
    plural: str | None
    n: int | None
    params: dict[str, Any]

    def __new__(
        cls,
        english: str,
        msgid: str | None = None,
        plural: str | None = None,
        n: int | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Text:
        text = super().__new__(cls, english)
        text.msgid = english if msgid is None else msgid
        text.plural = plural
        text.n = n
        text.params = dict(params or {})
        return text

    def __getnewargs__(self) -> tuple[str, str, str | None, int | None, dict[str, Any]]:  # type: ignore[override]
        return (str.__str__(self), self.msgid, self.plural, self.n, self.params)

    def shown(self, lang: str | None = None) -> str:
        """This text in ``lang`` (default: the current language)."""
        code = normalise_language(lang) or current_language()
        if code == DEFAULT_LANGUAGE:
            return str.__str__(self)
        books = catalogue(code)
        if self.plural is None:
            template = books.gettext(self.msgid)
        else:
            template = books.ngettext(self.msgid, self.plural, self.n or 0)
        if not self.params:
            return template
        params = {k: _local(v, code) for k, v in self.params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):  # a broken translation: English, not a crash
            return str.__str__(self)


def _local(value: Any, lang: str) -> Any:
    if isinstance(value, Text):
        return value.shown(lang)
    if isinstance(value, Num):
        return value.local(lang)
    return value


def lazy_gettext(message: str, /, **params: Any) -> Text:
    """``message.format(**params)`` as a :class:`Text`: English now, the reader's language when
    shown. The message is a gettext msgid (translated in a ``.po`` file like any other)."""
    # without parameters the message is not a format string (it may show braces: "{id: ...}")
    return Text(message.format(**params) if params else message, message, None, None, params)


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Text:
    """Like :func:`lazy_gettext` with a singular and a plural form for ``n`` (a parameter too)."""
    params.setdefault("n", n)
    english = (singular if n == 1 else plural).format(**params)
    return Text(english, singular, plural, n, params)


class _Joined(Text):
    """Texts joined by a separator, each worded when shown (:func:`lazy_join`)."""

    parts: list[Any]
    sep: str

    def shown(self, lang: str | None = None) -> str:
        return self.sep.join(shown(part, lang) for part in self.parts)


def lazy_join(sep: str, parts: Iterable[Any]) -> Text:
    """``sep.join(parts)`` whose :class:`Text` parts are worded when shown.

    >>> joined = lazy_join("; ", [lazy_gettext("{n} lines", n=Num(1000)), "x"])
    >>> joined, joined.shown("de")
    ('1,000 lines; x', '1.000 lines; x')
    """
    items = list(parts)
    joined = _Joined(sep.join(str(p) for p in items))
    joined.parts, joined.sep = items, sep
    return joined


def shown(value: Any, lang: str | None = None) -> str:
    """``value`` as the reader sees it: a :class:`Text` in the current language (or ``lang``),
    anything else as ``str(value)``."""
    if isinstance(value, Text):
        return value.shown(lang)
    return str(value)


def _locale(lang: str | None) -> Locale:
    code = normalise_language(lang) or current_language()
    return Locale.parse(_LOCALES.get(code, _LOCALES[DEFAULT_LANGUAGE]))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value) in {"NaT", "nan", "<NA>"}


def format_number(value: Any, *, decimals: int | None = None, lang: str | None = None) -> str:
    """``value`` with the language's grouping and decimal signs; ``decimals`` fixes the number of
    decimal places (else as many as the value has, at most three).

    >>> format_number(1234567.891, lang="de"), format_number(0.5, decimals=2, lang="en")
    ('1.234.567,891', '0.50')
    >>> format_number(None), format_number(float("nan"), lang="de"), format_number(-0.04, decimals=1)
    ('–', '–', '0.0')
    """
    if _missing(value):
        return MISSING
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    pattern = None if decimals is None else ("#,##0." + "0" * decimals if decimals else "#,##0")
    text = format_decimal(number, format=pattern, locale=_locale(lang))
    if text.startswith("-") and not any(c in "123456789" for c in text):
        return text[1:]  # -0.004 shown with 1 decimal is 0,0, not -0,0
    return text


def format_money(
    value: Any, *, currency: str = "EUR", lang: str | None = None, decimals: int = 2
) -> str:
    """``value`` as an amount of ``currency`` (ISO 4217 code) in the language's way.

    >>> format_money(1234567.89, lang="de"), format_money(-1234.5, currency="USD", lang="en")
    ('1.234.567,89\\xa0€', '-$1,234.50')
    """
    if _missing(value):
        return MISSING
    code = str(currency).strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(
            gettext(
                "currency must be a three-letter ISO 4217 code (e.g. EUR), got {currency!r}"
            ).format(currency=currency)
        )
    pattern = None
    if decimals != 2:  # the language's own pattern ("¤#,##0.00", "#,##0.00 ¤"), other decimals
        standard = _locale(lang).currency_formats["standard"].pattern
        pattern = standard.replace(".00", "." + "0" * decimals if decimals else "")
    try:
        return format_currency(
            float(value), code, format=pattern, locale=_locale(lang), currency_digits=decimals == 2
        )
    except UnknownLocaleError as exc:  # pragma: no cover - both locales ship with Babel
        raise ValueError(str(exc)) from exc


def format_percent(share: Any, *, decimals: int = 0, lang: str | None = None) -> str:
    """A share (0.775) as a percentage (``78 %`` in German, ``78%`` in English).

    >>> format_percent(0.12345, decimals=1, lang="de")
    '12,3\\xa0%'
    """
    if _missing(share):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    text = _babel_percent(float(share), format=pattern, locale=_locale(lang))
    if (normalise_language(lang) or current_language()) == "de":
        text = text.replace("%", "\xa0%").replace("\xa0\xa0", "\xa0")
    return text


def format_date(value: Any, *, lang: str | None = None) -> str:
    """A date as the language writes it in tables: ``31.12.2026`` (German), ``2026-12-31``
    (English, ISO). Accepts dates, datetimes, pandas timestamps and ISO text.

    >>> format_date(datetime(2026, 12, 31, 15, 30), lang="de"), format_date("2026-01-05")
    ('31.12.2026', '2026-01-05')
    """
    if _missing(value):
        return MISSING
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date):
        raise ValueError(gettext("not a date: {value!r}").format(value=value))
    code = normalise_language(lang) or current_language()
    if code == "de":
        return _babel_date(day, format="dd.MM.yyyy", locale=_locale(code))
    return day.isoformat()
