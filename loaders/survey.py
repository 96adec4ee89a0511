"""Survey rows: satisfaction and loyalty of stakeholders from a CSV, e.g. a SERVQUAL or NPS
survey, checked like an import before anything is written.

One row per answer, columns (header names case-insensitive, any order):

=================  =========================================================================
``stakeholder``    the stakeholder's id (required; must exist in the graph when ``known``
                   ids are given)
``date``           when it was answered (required; the importers' date forms: ``2026-06-01``,
                   ``1.6.2026``, ``4. Juli 2026``, ...)
``assessor``       who answered or collected it (required; 1-200 characters)
``satisfaction``   in [0, 1] (``0.8``, ``0,8``, ``80 %``)
``loyalty``        in [0, 1]
``nps``            "how likely would you recommend us", 0-10 (whole number); becomes
                   ``loyalty = nps / 10``
``servqual``       a SERVQUAL mean score on the 1-7 scale; becomes
                   ``satisfaction = (servqual - 1) / 6``
``comment``        optional text
=================  =========================================================================

Each row needs at least one rating; ``nps`` with ``loyalty`` (or ``servqual`` with
``satisfaction``) in the same row is refused as ambiguous. Ratings and dates go through
:func:`loaders.edit_input.check_stakeholder`, so a bad cell gets the importers' words, here
with the file, row and column. Every problem of the file is collected; if there is any, a
:class:`~graphcap.errors.ValidationError` lists them and nothing is returned.

>>> rows = parse_survey("stakeholder;date;assessor;nps;servqual\\nc1;1.6.2026;ann;8;5,5\\n",
...                     file="survey.csv")
>>> rows[0].stakeholder, rows[0].on.isoformat(), rows[0].ratings
('c1', '2026-06-01', {'loyalty': 0.8, 'satisfaction': 0.75})
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError, Problem, ValidationError
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from loaders.cells import is_missing, parse_number
from loaders.csv_files import _sniff_separator
from loaders.edit_input import EditInvalid, check_stakeholder
from loaders.limits import check_file
from loaders.textcheck import decode_bytes

__all__ = ["SURVEY_COLUMNS", "SurveyRow", "parse_survey", "read_survey"]

SURVEY_COLUMNS = (
    "stakeholder",
    "date",
    "assessor",
    "satisfaction",
    "loyalty",
    "nps",
    "servqual",
    "comment",
)
_REQUIRED = ("stakeholder", "date", "assessor")
_MAX_COMMENT = 10_000


@dataclass(frozen=True)
class SurveyRow:
    """One checked answer: ``row`` is the line in the file (the header is row 1)."""

    row: int
    stakeholder: str
    on: date
    assessor: str
    ratings: dict[str, float] = field(default_factory=dict)
    comment: str | None = None


def read_survey(
    path: str | Path,
    *,
    known: Collection[str] | None = None,
    schema: Schema = DEFAULT_SCHEMA,
    limits: Limits | None = None,
) -> list[SurveyRow]:
    """The checked rows of the survey CSV at ``path`` (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise LoaderError(_l("{file}: no such file", file=path), file=str(path))
    limits = limits or Limits()
    check_file(path, limits)
    text = str(decode_bytes(path.read_bytes(), file=path.name))
    return parse_survey(text, file=path.name, known=known, schema=schema, limits=limits)


def parse_survey(
    text: str,
    *,
    file: str,
    known: Collection[str] | None = None,
    schema: Schema = DEFAULT_SCHEMA,
    limits: Limits | None = None,
) -> list[SurveyRow]:
    """The checked rows of survey CSV ``text``; ``known``: the stakeholder ids that exist."""
    limits = limits or Limits()
    text = text.removeprefix("\ufeff")
    if text.count("\n") > limits.max_table_rows + 1:
        raise LoaderError(
            _l(
                "{file}: more than the limit of {limit} rows (setting max_table_rows / "
                "GRAPHCAP_MAX_TABLE_ROWS)",
                file=file,
                limit=Num(limits.max_table_rows),
            ),
            file=file,
        )
    sep = _sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader, None)
        records = list(reader)
    except csv.Error as exc:
        raise LoaderError(
            _l("{file}: cannot be read as CSV: {error}", file=file, error=exc), file=file
        ) from exc
    if not header:
        raise LoaderError(
            _l("{file}: the file is empty; it needs a header row", file=file), file=file
        )
    names = [h.strip().lower() for h in header]
    problems = [
        Problem(
            file=file,
            row=1,
            column=h,
            why=_l("unknown column; a survey has {columns}", columns=", ".join(SURVEY_COLUMNS)),
        )
        for h in names
        if h not in SURVEY_COLUMNS
    ]
    problems += [
        Problem(
            file=file,
            row=1,
            column=c,
            why=_l("missing column {column!r}; every survey needs it", column=c),
        )
        for c in _REQUIRED
        if c not in names
    ]
    problems += [
        Problem(file=file, row=1, column=h, why=_l("the column appears twice"))
        for i, h in enumerate(names)
        if h in names[:i]
    ]
    if problems:
        raise ValidationError(problems, file=file)
    rows: list[SurveyRow] = []
    decimal = "," if sep == ";" else "."
    for line, record in enumerate(records, start=2):
        if not "".join(record).strip():
            continue
        if len(record) > len(names) and any(c.strip() for c in record[len(names) :]):
            problems.append(
                Problem(
                    file=file,
                    row=line,
                    why=_l("more values than columns (separator {sep!r})", sep=sep),
                )
            )
            continue
        cells = {n: (record[i].strip() if i < len(record) else "") for i, n in enumerate(names)}
        found, row = _check_row(cells, line, file=file, decimal=decimal, known=known, schema=schema)
        problems += found
        if row is not None:
            rows.append(row)
    if problems:
        raise ValidationError(problems, file=file)
    if not rows:
        raise ValidationError(
            [Problem(file=file, why=_l("no survey rows below the header"))], file=file
        )
    return rows


def _check_row(
    cells: dict[str, str],
    line: int,
    *,
    file: str,
    decimal: str,
    known: Collection[str] | None,
    schema: Schema,
) -> tuple[list[Problem], SurveyRow | None]:
    def problem(column: str | None, why: str, value: str | None = None) -> Problem:
        return Problem(file=file, row=line, column=column, value=value, why=why)

    given = {k: v for k, v in cells.items() if v and not is_missing(v)}
    problems = [
        problem(c, _l("empty {column}; every row needs one", column=c))
        for c in _REQUIRED
        if c not in given
    ]
    sid, who = given.get("stakeholder", ""), given.get("assessor", "")
    if sid and known is not None and sid not in known:
        problems.append(problem("stakeholder", _l("is not a stakeholder in the graph"), sid))
    if len(who) > 200:
        problems.append(problem("assessor", _l("the assessor's name must have 1-200 characters")))
    comment = given.get("comment")
    if comment is not None and len(comment) > _MAX_COMMENT:
        problems.append(problem("comment", _l("longer than {n} characters", n=Num(_MAX_COMMENT))))
    scaled: dict[str, float] = {}
    for column, onto, low, high, whole in (
        ("nps", "loyalty", 0.0, 10.0, True),
        ("servqual", "satisfaction", 1.0, 7.0, False),
    ):
        if column not in given:
            continue
        if onto in given:
            problems.append(
                problem(column, _l("give {a} or {b} in a row, not both", a=column, b=onto))
            )
            continue
        try:
            number, percent = parse_number(given[column], decimal)
        except ValueError as exc:
            problems.append(problem(column, exc.args[0], given[column]))
            continue
        if percent or not low <= number <= high or (whole and number != int(number)):
            if whole:
                why = _l(
                    "must be a whole number from {low} to {high}",
                    low=Num(low, "g"),
                    high=Num(high, "g"),
                )
            else:
                why = _l(
                    "must be a number from {low} to {high}", low=Num(low, "g"), high=Num(high, "g")
                )
            problems.append(problem(column, why, given[column]))
            continue
        scaled[onto] = round((number - low) / (high - low), 12)
    plain: dict[str, str] = {k: given[k] for k in ("satisfaction", "loyalty") if k in given}
    if not plain and not scaled and not any(k in given for k in ("nps", "servqual")):
        problems.append(problem(None, _l("no rating: give satisfaction, loyalty, nps or servqual")))
    fields: dict[str, str] = dict(plain)
    if "date" in given:
        fields["since"] = given["date"]
    checked: dict[str, object] = {}
    try:
        checked = check_stakeholder(fields, schema=schema) if fields else {}
    except EditInvalid as exc:
        problems += [
            problem("date" if p.column == "since" else p.column, p.why, _text(p.value))
            for p in exc.problems
        ]
    if problems:
        return problems, None
    on = checked["since"]
    on = on.date() if isinstance(on, datetime) else on
    assert isinstance(on, date)
    ratings: dict[str, float] = {k: float(checked[k]) for k in plain}  # type: ignore[arg-type]
    return [], SurveyRow(line, sid, on, who, {**ratings, **scaled}, comment)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
