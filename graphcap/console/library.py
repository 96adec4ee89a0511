"""The query library: reusable questions about the network, one ``queries/*.cypher`` file each.

Every file starts with a header comment, then plain Cypher that runs unchanged in cypher-shell
and Neo4j Browser (values only as ``$parameters``)::

    // title: Top customers by value and strength
    // description: Customers ranked by revenue weighted by the strength of their
    //   relationship to us.                      <- indented lines continue a field
    // param: limit int 10 — how many customers to list
    // param: as_of date null — reference date (null: today)
    // returns: one row per customer ...
    // columns: id, name, revenue, strength
    // needs: metrics                         <- optional: what must exist before it runs
    //
    // In cypher-shell or Neo4j Browser, set the parameters first:
    //   :param limit => 10
    //   :param as_of => null
    MATCH ...

``needs: metrics`` marks a query that reads graphcap's written-back metrics (``m_strength`` on
relationships, ``m_revenue``, ``m_spend``, ``m_flow``, ``m_value`` ... on stakeholders) instead of
computing a strength of its own: no query repeats the strength weights of graphcap.toml. Such a
query runs only where ``graphcap metrics --write`` stored them for the current data
(:func:`graphcap.console.policy.check_needs`).

Parameter types: ``int``, ``float``, ``string``, ``date`` (ISO ``YYYY-MM-DD``), ``bool``.
Defaults are written as Cypher literals: ``10``, ``0.5``, ``'text'``, ``true``, ``null``. The
``:param`` lines after the first empty comment line are for people using the file directly;
:func:`Query.browser_params` must agree with the declared defaults (the tests check it).

:func:`coerce` turns text typed in a form or on the command line into the declared type.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphcap.errors import QueryError
from graphcap.i18n import catalogue, current_language
from graphcap.i18n import gettext as _
from queries import LIBRARY_DIR

__all__ = [
    "NEEDS",
    "PARAM_TYPES",
    "Param",
    "Query",
    "coerce",
    "get_query",
    "library_markdown",
    "list_queries",
    "parse_query",
    "queries_dir",
]

PARAM_TYPES: dict[str, str] = {
    "int": "a whole number",
    "float": "a number",
    "string": "text",
    "date": "a date (YYYY-MM-DD)",
    "bool": "true or false",
}

#: what a query may need (``// needs: ...``) -> what provides it
NEEDS: dict[str, str] = {"metrics": "graphcap metrics --write"}

#: written-back metrics a query cannot do without (optional ones, like m_community with a
#: fallback, need no declaration)
_NEEDS_METRICS_RE = re.compile(r"\.m_(?:strength|revenue|spend|flow|value|value_kind)\b")
_FIELD_RE = re.compile(r"^(title|description|param|returns|columns|needs):\s*(.*)$")
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)\s+"
    r"(?P<default>'[^']*'|\"[^\"]*\"|\S+)\s+(?:—|--|–|-)\s+(?P<meaning>.+)$"
)
_BROWSER_PARAM_RE = re.compile(r"^:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*;?$")
_TRUE = {"true", "yes", "y", "1", "ja", "on"}
_FALSE = {"false", "no", "n", "0", "nein", "off"}


@dataclass(frozen=True)
class Param:
    """A declared parameter: ``$name`` of ``type`` with a ``default`` (already coerced)."""

    name: str
    type: str
    default: Any
    meaning: str
    default_text: str = ""

    def shown(self) -> str:
        """What the parameter means, in the current language (like :meth:`Query.shown`)."""
        return str(catalogue(current_language()).gettext(self.meaning))


@dataclass(frozen=True)
class Query:
    """One library query: ``name`` is the file name without ``.cypher``; ``text`` the whole
    file (header comments included), exactly what runs."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    returns: str
    columns: tuple[str, ...]
    text: str
    path: Path | None = None
    needs: tuple[str, ...] = ()

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(
            _("query {query!r} has no parameter {name!r}").format(query=self.name, name=name)
            + _suggest(name, [p.name for p in self.params])
            + (
                _("; its parameters: {names}").format(names=", ".join(p.name for p in self.params))
                if self.params
                else ""
            )
        )

    def shown(self, field: str) -> str:
        """The header's ``title``, ``description`` or ``returns`` in the current language. The
        ``.cypher`` file keeps its English (it is read in cypher-shell too); the German comes
        from the catalogue keyed by that English (``h15c.po``), and a text nobody translated
        shows as written.

        >>> from graphcap.i18n import use_language
        >>> q = get_query("top_customers")
        >>> with use_language("de"):
        ...     q.shown("title")
        'Die wichtigsten Kunden nach Wert und Stärke'
        >>> q.shown("title")
        'Top customers by value and strength'
        """
        if field not in ("title", "description", "returns"):
            raise ValueError(f"a query shows its title, description or returns, not {field!r}")
        return str(catalogue(current_language()).gettext(getattr(self, field)))

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def resolve(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Parameter values to run with: the defaults, overridden by ``given`` (text is coerced
        to the declared type; an unknown name is an error naming the known ones)."""
        values = self.defaults()
        for name, value in (given or {}).items():
            p = self.param(name)
            values[name] = coerce(p.type, value, name=name) if isinstance(value, str) else value
        return values

    def browser_params(self) -> dict[str, str]:
        """The ``:param name => value`` lines of the header (for cypher-shell / Browser)."""
        out = {}
        for line in _header_lines(self.text):
            m = _BROWSER_PARAM_RE.match(line.strip())
            if m:
                out[m.group(1)] = m.group(2)
        return out


def queries_dir() -> Path:
    """Where the library lives: ``GRAPHCAP_QUERIES_DIR`` or the project's ``queries/``."""
    explicit = os.environ.get("GRAPHCAP_QUERIES_DIR")
    if explicit:
        return Path(explicit)
    return LIBRARY_DIR


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3)
    return _(" (did you mean {queries}?)").format(queries=", ".join(close)) if close else ""


def _header_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        lines.append(stripped[2:])
    return lines


def coerce(kind: str, value: Any, *, name: str = "value") -> Any:
    """``value`` (text from a form or command line) as the declared ``kind``.

    Empty text means null; ``null`` means null for every type except ``string``. Numbers accept
    a decimal comma (``0,5``).

    >>> coerce("int", "12"), coerce("float", "0,5"), coerce("bool", "yes")
    (12, 0.5, True)
    >>> coerce("date", "2025-03-31")
    datetime.date(2025, 3, 31)
    """
    if kind not in PARAM_TYPES:
        raise QueryError(
            _("parameter {name}: unknown type {kind!r}; known: {param_types}").format(
                name=name, kind=kind, param_types=", ".join(PARAM_TYPES)
            )
        )
    if value is None:
        return None
    if not isinstance(value, str):
        return _check_typed(kind, value, name)
    text = value.strip()
    if text == "" or (kind != "string" and text.lower() == "null"):
        return None
    try:
        if kind == "int":
            return int(text.replace("_", ""))
        if kind == "float":
            return float(
                text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
            )
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "bool":
            low = text.lower()
            if low in _TRUE or low in _FALSE:
                return low in _TRUE
            raise ValueError(text)
    except ValueError:
        raise QueryError(
            _("parameter {name} must be {param_types}, got {value!r}").format(
                name=name, param_types=PARAM_TYPES[kind], value=value
            )
        ) from None
    return value  # string: the text itself, whatever it contains


def _check_typed(kind: str, value: Any, name: str) -> Any:
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "date": isinstance(value, dt.date) and not isinstance(value, dt.datetime),
        "bool": isinstance(value, bool),
    }[kind]
    if not ok:
        raise QueryError(
            _("parameter {name} must be {param_types}, got {value!r}").format(
                name=name, param_types=PARAM_TYPES[kind], value=value
            )
        )
    return float(value) if kind == "float" else value


def _literal(kind: str, text: str, name: str) -> Any:
    """A default written as a Cypher literal, as a Python value of ``kind``."""
    if text == "null":
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        inner = text[1:-1]
        return inner if kind == "string" else coerce(kind, inner, name=name)
    if kind == "string":
        raise QueryError(
            _("default of string parameter {name} must be quoted, got {text}").format(
                name=name, text=text
            )
        )
    return coerce(kind, text, name=name)


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """Parse one library file. Raises :class:`QueryError` naming the file and what is wrong."""
    where = str(path or name)
    fields: dict[str, list[str]] = {}
    params: list[Param] = []
    current: list[str] | None = None
    for raw in _header_lines(text):
        if raw.strip() == "":
            break  # end of the fields; free text (e.g. :param lines) follows
        m = _FIELD_RE.match(raw.strip())
        if m:
            key, value = m.groups()
            if key == "param":
                fields.setdefault("param", []).append(value)
                current = fields["param"]
            else:
                if key in fields:
                    raise QueryError(
                        _("{where}: header field {key!r} appears twice").format(
                            where=where, key=key
                        )
                    )
                fields[key] = [value]
                current = fields[key]
        elif raw.startswith("  ") and current is not None:
            current[-1] = (current[-1] + " " + raw.strip()).strip()
        else:
            raise QueryError(
                _(
                    "{where}: header line {strip!r} is not a field (title, description, param, returns, columns, needs) nor an indented continuation"
                ).format(where=where, strip=raw.strip())
            )
    for key in ("title", "description", "returns", "columns"):
        if not fields.get(key) or not fields[key][0]:
            raise QueryError(
                _("{where}: header field '// {key}:' is missing or empty").format(
                    where=where, key=key
                )
            )
    seen = set()
    for line in fields.get("param", []):
        m = _PARAM_RE.match(line)
        if not m:
            raise QueryError(
                _(
                    "{where}: parameter line {line!r} must read 'name type default — meaning'"
                ).format(where=where, line=line)
            )
        pname, kind, default_text, meaning = m.group("name", "type", "default", "meaning")
        if kind not in PARAM_TYPES:
            raise QueryError(
                _("{where}: parameter {pname} has unknown type {kind!r}; known: {known}").format(
                    where=where, pname=pname, kind=kind, known=", ".join(PARAM_TYPES)
                )
            )
        if pname in seen:
            raise QueryError(
                _("{where}: parameter {pname} is declared twice").format(where=where, pname=pname)
            )
        seen.add(pname)
        try:
            default = _literal(kind, default_text, pname)
        except QueryError as exc:
            raise QueryError(
                _("{where}: default of parameter {pname}: {exc}").format(
                    where=where, pname=pname, exc=exc
                )
            ) from exc
        params.append(Param(pname, kind, default, meaning.strip(), default_text))
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body))
    declared = {p.name for p in params}
    if used - declared:
        raise QueryError(
            _("{where}: parameter(s) {used} used but not declared").format(
                where=where, used=sorted(used - declared)
            )
        )
    if declared - used:
        raise QueryError(
            _("{where}: parameter(s) {declared} declared but not used").format(
                where=where, declared=sorted(declared - used)
            )
        )
    columns = tuple(c.strip() for c in fields["columns"][0].split(",") if c.strip())
    needs = tuple(n.strip() for n in fields.get("needs", [""])[0].split(",") if n.strip())
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        raise QueryError(
            _("{where}: header field 'needs' names {unknown}; known: {known}").format(
                where=where, unknown=", ".join(map(repr, unknown)), known=", ".join(NEEDS)
            )
        )
    if _NEEDS_METRICS_RE.search(body) and "metrics" not in needs:
        raise QueryError(
            _(
                "{where}: the query reads written-back strength or money (m_strength, m_revenue, ...); declare '// needs: metrics'"
            ).format(where=where)
        )
    return Query(
        name=name,
        title=fields["title"][0],
        description=fields["description"][0],
        params=tuple(params),
        returns=fields["returns"][0],
        columns=columns,
        text=text,
        path=path,
        needs=needs,
    )


def list_queries(directory: Path | None = None) -> list[Query]:
    """Every library query, sorted by name."""
    directory = directory or queries_dir()
    if not directory.is_dir():
        raise QueryError(
            _("the query library {directory} does not exist (GRAPHCAP_QUERIES_DIR)").format(
                directory=directory
            )
        )
    return [
        parse_query(p.read_text(encoding="utf-8"), p.stem, p)
        for p in sorted(directory.glob("*.cypher"))
    ]


def get_query(name: str, directory: Path | None = None) -> Query:
    """The library query called ``name`` (file ``name.cypher``); an unknown name suggests close
    ones."""
    directory = directory or queries_dir()
    path = directory / f"{name}.cypher"
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name or "") or not path.is_file():
        known = sorted(p.stem for p in directory.glob("*.cypher"))
        raise QueryError(
            _("no library query {name!r}{suggest}; list them with `graphcap query --list`").format(
                name=name, suggest=_suggest(name, known)
            )
        )
    return parse_query(path.read_text(encoding="utf-8"), name, path)


def library_markdown(queries: list[Query]) -> str:
    """docs/QUERIES.md: the library as a reference page, generated from the headers."""
    out = [
        "# The query library",
        "",
        "Generated from the headers of `queries/*.cypher` (`graphcap query --list --format "
        "markdown`). Run one with `graphcap query NAME --param name=value`, in the app's "
        "Console page, or paste the file into cypher-shell / Neo4j Browser after its `:param` "
        "lines.",
        "",
        "**Read-only, in three layers** (details and their tests: [SECURITY.md](SECURITY.md)). "
        "The console (app page and `graphcap query`) first writes every line break (`\\r\\n`, "
        "`\\r`, U+2028, U+2029, U+0085) as `\\n`, so graphcap and Neo4j agree on where a `//` "
        "comment ends; then it checks the text: exactly one statement, no `EXPLAIN`/`PROFILE`/"
        "`CYPHER` prefix, no invisible characters, no plug-in functions. Whether the statement "
        "only reads is decided by **Neo4j's own plan** (`EXPLAIN`, nothing runs): every operator "
        "must be on an allow-list of read operators, every procedure call on the list "
        "`db.labels`, `db.relationshipTypes`, `db.propertyKeys`, `db.schema.*`, every operator "
        "on the configured database, and the query type read. So `LOAD CSV`, `SHOW "
        "TRANSACTIONS`, `SHOW SETTINGS`, `TERMINATE TRANSACTIONS`, administration and schema "
        "commands and writes are refused however the text is written, while keywords used as "
        "names run (`WITH [1, 2] AS set RETURN set`). The query then runs in a read transaction "
        "the server itself keeps read-only, with a server-side time limit (`query_timeout_s`, "
        "default 10 s), a row cap (`max_rows`, default 5000) and a byte cap "
        "(`max_result_bytes`, default 64 MiB); a capped result says which cap cut it. JSON "
        "output is strict (NaN and infinities become `null`).",
        "",
        "**Strength and value in these queries are graphcap's own**: the relationship strength "
        "(`m_strength`, signed: negative is distrust) and each stakeholder's money by kind "
        "(`m_revenue`, `m_spend`, `m_flow`, its main kind `m_value_kind` and amount `m_value`) "
        "that `graphcap metrics --write` stores, computed with the weights of graphcap.toml. No "
        "query repeats those weights. A query marked *needs metrics* runs only after `graphcap "
        'metrics --write` on the current data; otherwise it stops with "run `graphcap metrics '
        '--write` first" (exit code 13 on the command line).',
        "",
        "| query | question |",
        "|---|---|",
    ]
    out += [f"| [`{q.name}`](#{q.name}) | {q.title} |" for q in queries]
    for q in queries:
        out += ["", f"## {q.name}", "", f"**{q.title}.** {q.description}", ""]
        if q.params:
            out += ["| parameter | type | default | meaning |", "|---|---|---|---|"]
            out += [
                f"| `{p.name}` | {p.type} | `{p.default_text}` | {p.meaning} |" for p in q.params
            ]
            out.append("")
        out += [f"Returns: {q.returns}", "", f"Columns: `{', '.join(q.columns)}`"]
        if q.needs:
            out += ["", "Needs: " + ", ".join(f"`{NEEDS[n]}` first" for n in q.needs)]
    return "\n".join(out) + "\n"
