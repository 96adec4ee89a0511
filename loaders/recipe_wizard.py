"""The recipe a person builds by choosing, not by writing SQL (the app's Import page).

A person uploads raw files, says which are master data (one row per stakeholder: which column is
the id, the name, the type) and which are transactions (which column names the stakeholder, the
other end or the focal organisation, the date, the value), and how transactions become
relationships. :func:`build_recipe` turns those choices into the same YAML recipe the CLI runs:
every column name is quoted as an SQL identifier and every constant as an SQL string, so a
hostile header cannot change the query (which runs locked anyway, see
:mod:`loaders.recipe_run`).
"""

# This module writes SQL text for a recipe file on purpose: identifiers go through _ident,
# constants through _text, and the SQL runs in the locked DuckDB of loaders.recipe_run.
# ruff: noqa: S608
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from loaders.textcheck import decode_bytes

__all__ = [
    "FileChoice",
    "MasterChoice",
    "TransactionChoice",
    "WizardChoices",
    "build_recipe",
    "guess_role",
    "peek",
    "source_name",
]

#: relationship type from the partner's stakeholder type ("auto")
REL_BY_TYPE = {
    "customer": "BUYS_FROM",
    "supplier": "SUPPLIES",
    "partner": "PARTNERS_WITH",
    "competitor": "COMPETES_WITH",
    "agency": "INFLUENCES",
}


def source_name(filename: str) -> str:
    """A table name for a file: ``"KNA1 (2).csv"`` -> ``"kna1_2"``."""
    stem = re.sub(r"[^a-z0-9]+", "_", Path(filename).stem.casefold()).strip("_") or "file"
    return ("f_" + stem if stem[0].isdigit() else stem)[:60]


def _ident(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass
class FileChoice:
    """How to read one uploaded file."""

    filename: str
    delimiter: str | None = None
    decimal: str | None = None
    missing: list[str] = field(default_factory=lambda: ["NULL"])

    @property
    def source(self) -> str:
        return source_name(self.filename)


@dataclass
class MasterChoice:
    """A master-data file: one stakeholder per row (first row of an id wins)."""

    filename: str
    id: str
    name: str
    type_column: str | None = None
    type_value: str = "customer"


@dataclass
class TransactionChoice:
    """A transaction file: one row per order, meeting, message or rating."""

    filename: str
    partner: str
    counterpart: str | None = None  # None: the focal organisation
    date: str | None = None
    value: str | None = None
    rel_type: str = "auto"  # "auto": from the partner's type in the master files
    channel: str = "transaction"
    log: bool = True  # the rows also become the interaction log


@dataclass
class WizardChoices:
    files: list[FileChoice]
    masters: list[MasterChoice]
    transactions: list[TransactionChoice]
    organisation_id: str
    organisation_name: str


def peek(path: Path, choice: FileChoice, n: int = 5) -> pd.DataFrame:
    """The first ``n`` rows of an uploaded file, read as the recipe will read it."""
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, nrows=n, engine="openpyxl")
    options: dict[str, object] = {}
    if choice.delimiter:
        options["delim"] = choice.delimiter
    if choice.decimal:
        options["decimal_separator"] = choice.decimal
    if choice.missing:
        options["nullstr"] = choice.missing
    text = decode_bytes(path.read_bytes(), file=path.name)
    con = duckdb.connect(":memory:")
    try:
        utf8 = path.with_suffix(path.suffix + ".utf8")
        utf8.write_text(text, encoding="utf-8")
        args = "".join(f", {k} = ${k}" for k in options)
        return con.execute(
            f"SELECT * FROM read_csv($p{args}) LIMIT {int(n)}", {"p": str(utf8), **options}
        ).df()
    except duckdb.Error as exc:
        raise LoaderError(
            _l(
                "{file}: cannot be read: {error}",
                file=path.name,
                error=str(exc).splitlines()[0],
            ),
            file=path.name,
        ) from exc
    finally:
        con.close()
        path.with_suffix(path.suffix + ".utf8").unlink(missing_ok=True)


_TRANSACTION_HINTS = (
    "order",
    "vbak",
    "vbap",
    "activit",
    "transaction",
    "booking",
    "invoice",
    "meeting",
    "sitzung",
    "rating",
    "log",
    "message",
    "mail",
    "buchung",
    "auftrag",
)
_MASTER_HINTS = (
    "master",
    "kna1",
    "lfa1",
    "t001",
    "account",
    "customer",
    "supplier",
    "kunde",
    "lieferant",
    "partner",
    "stamm",
    "unit",
    "org",
)


def guess_role(frame: pd.DataFrame, filename: str = "") -> str:
    """``"transactions"`` or ``"master"``, a proposal the person confirms: the file name first
    (orders, activities, ... / customers, accounts, ...), then whether the first column repeats."""
    name = filename.casefold()
    if any(h in name for h in _TRANSACTION_HINTS):
        return "transactions"
    if any(h in name for h in _MASTER_HINTS):
        return "master"
    if not frame.empty and frame.iloc[:, 0].duplicated().any():
        return "transactions"
    return "master"


def _masters_sql(masters: list[MasterChoice]) -> str:
    parts = []
    for m in masters:
        kind = f"CAST({_ident(m.type_column)} AS VARCHAR)" if m.type_column else _text(m.type_value)
        parts.append(
            f"SELECT CAST({_ident(m.id)} AS VARCHAR) AS id, CAST({_ident(m.name)} AS VARCHAR) "
            f"AS name, {kind} AS type, _file, _line FROM {source_name(m.filename)}\n"
            f"QUALIFY row_number() OVER (PARTITION BY {_ident(m.id)} ORDER BY _line) = 1"
        )
    return "\nUNION ALL\n".join(parts)


def _rel(t: TransactionChoice, has_masters: bool) -> str:
    if t.rel_type != "auto":
        return _text(t.rel_type)
    if not has_masters:
        return _text("PARTNERS_WITH")
    cases = " ".join(f"WHEN {_text(k)} THEN {_text(v)}" for k, v in REL_BY_TYPE.items())
    return f"CASE lower(k.type) {cases} ELSE 'PARTNERS_WITH' END"


def _ends(t: TransactionChoice) -> tuple[str, str]:
    source = f"CAST(x.{_ident(t.partner)} AS VARCHAR)"
    target = (
        "(SELECT id FROM focal)"
        if t.counterpart is None
        else f"CAST(x.{_ident(t.counterpart)} AS VARCHAR)"
    )
    return source, target


def _day(t: TransactionChoice) -> str:
    raw = f"CAST(x.{_ident(t.date)} AS VARCHAR)" if t.date else "NULL"
    return (
        f"coalesce(TRY_CAST({raw} AS DATE), TRY_STRPTIME({raw}, '%d.%m.%Y')::DATE, "
        f"TRY_STRPTIME({raw}, '%d/%m/%Y')::DATE)"
    )


def _edges_sql(t: TransactionChoice, masters: list[MasterChoice]) -> str:
    source, target = _ends(t)
    value = f"TRY_CAST(x.{_ident(t.value)} AS DOUBLE)" if t.value else "NULL::DOUBLE"
    join = ""
    if t.rel_type == "auto" and masters:
        join = (
            f"LEFT JOIN (SELECT DISTINCT ON (id) id, type FROM ({_masters_sql(masters)})) k "
            f"ON k.id = {source}"
        )
    return (
        f"SELECT {source} AS source, {target} AS target, {_rel(t, bool(masters))} AS type,\n"
        f"       round(sum({value}), 2) AS volume, count(*) AS interactions,\n"
        f"       min({_day(t)}) AS since, max({_day(t)}) AS last_contact\n"
        f"FROM {source_name(t.filename)} x {join}\nGROUP BY ALL"
    )


def _log_sql(t: TransactionChoice) -> str:
    source, target = _ends(t)
    value = f"TRY_CAST(x.{_ident(t.value)} AS DOUBLE)" if t.value else "NULL::DOUBLE"
    date = f"CAST(x.{_ident(t.date)} AS VARCHAR)" if t.date else "NULL"
    return (
        f"SELECT {date} AS date, {source} AS source, {target} AS target, "
        f"{_text(t.channel)} AS channel, {value} AS value, x._file, x._line\n"
        f"FROM {source_name(t.filename)} x"
    )


def build_recipe(choices: WizardChoices) -> str:
    """The YAML recipe for the choices (the same format ``graphcap import`` runs)."""
    if not choices.transactions:
        raise LoaderError(_l("choose at least one transaction file (orders, meetings, messages)"))
    sources = {}
    for f in choices.files:
        spec: dict[str, object] = {"file": f.filename}
        if f.delimiter:
            spec["delimiter"] = f.delimiter
        if f.decimal:
            spec["decimal"] = f.decimal
        if f.missing and not f.filename.lower().endswith(".xlsx"):
            spec["missing"] = list(f.missing)
        sources[f.source] = spec
    tables: dict[str, object] = {}
    if choices.masters:
        tables["nodes"] = _masters_sql(choices.masters) + "\n"
    tables["edges"] = {
        "sql": "\nUNION ALL\n".join(_edges_sql(t, choices.masters) for t in choices.transactions)
        + "\n"
    }
    logs = [t for t in choices.transactions if t.log and t.date]
    if logs:
        tables["interactions"] = "\nUNION ALL\n".join(_log_sql(t) for t in logs) + "\n"
    recipe: dict[str, object] = {
        "recipe": 1,
        "name": "built with the Import page",
        "organisation": {"id": choices.organisation_id, "name": choices.organisation_name},
        "sources": sources,
        "tables": tables,
    }
    if not choices.masters:
        recipe["defaults"] = {"node_type": "customer"}
    return yaml.dump(recipe, Dumper=_Literal, allow_unicode=True, sort_keys=False, width=1000)


class _Literal(yaml.SafeDumper):
    """Multi-line text (the SQL) as ``|`` blocks, so the recipe reads like a hand-written one."""


def _literal(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Literal.add_representer(str, _literal)
