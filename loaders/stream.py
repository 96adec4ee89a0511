"""Streamed validation of a CSV input too large to hold at once (``graphcap import --bulk``).

The stakeholders file is read and checked whole, as every import does (its checks compare every
id and every name with every other). The relationships file is read in parts of
:data:`CHUNK_ROWS` records -- a part ends only where no quoted cell is open -- and each part is
checked by the same code as the normal loader (:mod:`loaders.validate`): cells, numbers, dates,
types, references to the stakeholders. What spans parts is carried from one to the next, so the
problems are the normal loader's, in its order, with its row numbers:

* the decimal separator of each number column is decided over the whole file first (its first
  :data:`loaders.cells.SNIFF_ENOUGH` telling values, as :func:`loaders.cells.sniff_decimal`
  does), and the columns are named from the header once;
* a relationship given twice: each row's key is hashed to 64 bits while reading (8 bytes a
  row); only when a hash repeats is the file read again for those rows, and their keys are
  compared exactly, naming the first row as the normal loader does.

Memory: one part, the stakeholders, 9 bytes a relationship and the problems, of which the first
:data:`MAX_PROBLEMS` are kept (the rest are counted in one more problem). The valid relationships
are handed on part by part (``on_edges``) while reading, to be written out at once; whoever
writes them must discard what was written when :meth:`StreamedCsv.validate` raises in the end.

Not streamed (:func:`streamable` is False; the normal loader reads them): a zip, a mapping file,
``--lenient``, an import onto the graph, an interactions file, UTF-16/32 text. The part after
the first is decoded in the first part's encoding: a file whose encoding changes after its first
part is refused there, where the normal loader might have read it all in another one.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import LoaderError, Problem, ValidationError
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l
from graphcap.model import Network
from graphcap.model.schema import EDGE_REQUIRED
from loaders.aliases import TypeResolver
from loaders.cells import SNIFF_ENOUGH, is_decisive, sniff_decimal
from loaders.csv_files import _SEP_LINE, CsvLoader, _sniff_separator
from loaders.limits import check_file
from loaders.raw import RawTable
from loaders.textcheck import decode_bytes
from loaders.validate import _Checked, duplicate_edge

__all__ = ["CHUNK_ROWS", "MAX_PROBLEMS", "StreamedCsv", "StreamedInput", "streamable"]

#: relationships checked (and handed on) at a time
CHUNK_ROWS = 100_000
#: problems of rows kept for the report; beyond that they are only counted
MAX_PROBLEMS = 10_000
#: bytes read to tell a file's encoding and separator
_FIRST_BLOCK = 1 << 20
#: the column kinds not read as numbers (the others' decimal separator is sniffed)
_NOT_NUMBERS = ("key", "text", "extra", "date")


def streamable(loader: Any) -> bool:
    """Whether ``loader``'s input can be validated part by part (see the module docstring)."""
    if type(loader) is not CsvLoader or loader.mapping is not None or loader.lenient:
        return False
    if loader.existing is not None or loader.path.suffix.lower() == ".zip":
        return False
    try:
        _base, files, zf, found, _problems = loader.locate()
    except LoaderError:
        return False  # the normal loader says why
    if zf is not None:
        zf.close()
    if "interactions" in found or "edges" not in found:
        return False
    try:
        encoding, _sep = _first_block(Path(files[found["edges"]]), found["edges"], loader.encoding)
    except (LoaderError, OSError):
        return False
    return not encoding.startswith(("utf-16", "utf-32"))


@dataclass
class StreamedInput:
    """What a streamed validation found: the stakeholders (whole), how many relationships, the
    relationships with the latest contact (what the data's date is taken from) and the
    warnings."""

    nodes: pd.DataFrame
    edge_count: int
    latest: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def network(self) -> Network:
        """The stakeholders and the relationships with the latest contact: what recording the
        import needs (types, the data's date), not the whole network."""
        return Network(nodes=self.nodes, edges=self.latest, meta={"source": self.source})

    @property
    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes), "edges": self.edge_count, "interactions": 0}


def _parts(
    path: Path, rows: int, encoding: str, separator: str
) -> Generator[tuple[str, str, int], None, None]:
    """(header, part, records before the part) of a CSV file, decoded: parts of ``rows``
    records as the csv module splits them (the normal loader's slow path: a record ends at a
    line end outside a quoted cell; a blank line is a record). The header comes with every part
    (with an Excel ``sep=`` line before it)."""
    with path.open("r", encoding=encoding, newline="") as fh:
        header = fh.readline()
        if _SEP_LINE.match(header.removeprefix("\ufeff")):
            header += fh.readline()
        lines: list[str] = []

        def pulled() -> Iterator[str]:
            for line in fh:
                lines.append(line)
                yield line

        before = records = 0
        sent = False
        for _record in csv.reader(pulled(), delimiter=separator):
            records += 1
            if records >= rows:
                yield header, "".join(lines), before
                sent = True
                before += records
                lines.clear()
                records = 0
        if lines or not sent:
            yield header, "".join(lines), before


def _decoding(
    parts: Iterator[tuple[str, str, int]], display: str, encoding: str
) -> Iterator[tuple[str, str, int]]:
    try:
        yield from parts
    except UnicodeDecodeError as exc:
        raise LoaderError(
            _l(
                "{file}: cannot be read as {encoding} after its first part ({error}); a streamed "
                "--bulk load reads a file in one encoding: name it with --encoding, or use the "
                "normal import (without --bulk)",
                file=display,
                encoding=encoding,
                error=exc,
            ),
            file=display,
        ) from exc


def _first_block(path: Path, display: str, forced: str | None) -> tuple[str, str]:
    """(encoding, separator) of a CSV file, told by its first MiB as the normal loader tells
    them by the whole file (:func:`loaders.textcheck.decode_bytes`, the header's separator)."""
    with path.open("rb") as fh:
        block = fh.read(_FIRST_BLOCK)
        more = fh.read(1)
    if more and b"\n" in block:
        block = block[: block.rindex(b"\n") + 1]
    text = decode_bytes(block, file=display, encoding=forced)
    body = str(text).removeprefix("\ufeff")
    hinted = _SEP_LINE.match(body)
    if hinted:
        return text.encoding, hinted.group(1)
    return text.encoding, _sniff_separator(body)


class StreamedCsv:
    """A CSV folder validated as :class:`loaders.csv_files.CsvLoader` would, the relationships
    part by part; see the module docstring."""

    def __init__(self, loader: CsvLoader, *, chunk_rows: int | None = None) -> None:
        self.loader = loader
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        #: the stakeholders, once they are read and valid (before the first relationships)
        self.nodes: pd.DataFrame | None = None
        self.parse_problems: list[Problem] = []
        self.separator = ","

    def nodes_network(self) -> Network:
        """The valid stakeholders as a network without relationships."""
        assert self.nodes is not None
        return Network(nodes=self.nodes, edges=_no_edges(), meta={"source": str(self.loader.path)})

    def _tables(self, path: Path, display: str, encoding: str) -> Generator[RawTable, None, None]:
        """The relationships file's parts as raw tables, row numbers those of the whole file
        (``parse_problems``: the first part's problems of reading the header)."""
        parts = _parts(path, self.chunk_rows, encoding, self.separator)
        for k, (header, part, before) in enumerate(_decoding(parts, display, encoding)):
            table, problems = self.loader.parse_text(
                header + part, kind="edges", display=display, encoding=encoding
            )
            if before:
                table.rows = [r + before for r in table.rows]
                for i, found in table.row_errors.items():
                    table.row_errors[i] = [
                        dataclasses.replace(p, row=None if p.row is None else p.row + before)
                        for p in found
                    ]
            self.parse_problems = problems if k == 0 else self.parse_problems
            yield table

    def _decimals(
        self, path: Path, display: str, encoding: str, checked: _Checked
    ) -> dict[str, str]:
        """Each number column's decimal separator, decided by its first telling values in the
        whole file (read until every column has enough, usually within the first part)."""
        wanted = {
            col: name
            for col, name in checked.rename.items()
            if checked.optional.get(name, "key" if name in checked.required else "extra")
            not in _NOT_NUMBERS
            and name != "date"
        }
        seen: dict[str, list[str]] = {name: [] for name in wanted.values()}
        if wanted and checked.raw.decimal is None:
            columns = list(checked.raw.frame.columns)
            for k, table in enumerate(self._tables(path, display, encoding)):
                for col, name in wanted.items():
                    room = SNIFF_ENOUGH - len(seen[name])
                    if room > 0:
                        seen[name] += [v for v in table.frame[col].tolist() if is_decisive(v)][
                            :room
                        ]
                short = {c: n for c, n in wanted.items() if len(seen[n]) < SNIFF_ENOUGH}
                if not short:
                    break
                if k == 0:  # a column of whole numbers has none: scan just those columns
                    found = self._scan(
                        path, encoding, {columns.index(c): n for c, n in short.items()}
                    )
                    if found is not None:
                        seen.update(found)
                        break
        return {
            name: sniff_decimal(values, checked.raw.decimal_hint) for name, values in seen.items()
        }

    def _scan(
        self, path: Path, encoding: str, columns: dict[int, str]
    ) -> dict[str, list[str]] | None:
        """The first telling values of some columns (by position) in the whole file, read by
        pandas' C parser with only those columns; None when it cannot read the file (the
        caller then reads it part by part)."""
        seen: dict[str, list[str]] = {name: [] for name in columns.values()}
        with path.open("r", encoding=encoding, newline="") as fh:
            skip = 1 if _SEP_LINE.match(fh.readline().removeprefix("\ufeff")) else 0
        try:
            parts = pd.read_csv(
                path,
                sep=self.separator,
                encoding=encoding,
                skiprows=skip,
                usecols=list(columns),
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                engine="c",
                chunksize=500_000,
            )
            for part in parts:
                for position, name in columns.items():
                    room = SNIFF_ENOUGH - len(seen[name])
                    if room > 0:
                        values = part.iloc[:, sorted(columns).index(position)].tolist()
                        seen[name] += [v for v in values if is_decisive(v)][:room]
                if all(len(v) >= SNIFF_ENOUGH for v in seen.values()):
                    break
        except (pd.errors.ParserError, ValueError, UnicodeDecodeError, csv.Error):
            return None
        return seen

    def validate(self, on_edges: Callable[[pd.DataFrame], None]) -> StreamedInput:
        """Check the input; hand each valid part of the relationships to ``on_edges`` while no
        problem has been found. Raises :class:`ValidationError` with the normal loader's
        problems (nothing to import) or :class:`LoaderError` when a file cannot be read."""
        loader = self.loader
        check_file(loader.path, loader.limits)
        base, files, zf, found, problems = loader.locate()
        assert zf is None and "edges" in found  # streamable() said so
        nodes_raw, read = loader.read_table("nodes", found["nodes"], files, None)
        problems += read
        resolver = TypeResolver(loader.schema)
        nodes = _Checked(nodes_raw, resolver)
        nodes.check_headers()
        if not nodes.fatal:
            nodes.check_rows()
            nodes.check_nodes()
        node_rows = nodes.key_rows("id") if not nodes.fatal else None
        if not nodes.fatal and not nodes.errors:
            self.nodes = nodes.frame()

        display = loader.display(found["edges"], None)
        path = Path(files[found["edges"]])
        check_file(path, loader.limits)
        encoding, self.separator = _first_block(path, display, loader.encoding)
        tables = self._tables(path, display, encoding)
        first = next(tables)
        tables.close()
        warning = loader.encoding_problem(display, encoding)
        if warning is not None:
            problems.append(warning)
        problems += self.parse_problems
        head = _Checked(first, resolver)
        head.check_headers()
        decimals = {} if head.fatal else self._decimals(path, display, encoding, head)
        del first

        edges = _Edges(head, nodes, node_rows)
        if not head.fatal:
            for table in self._tables(path, display, encoding):
                table.column_decimal = decimals
                frame = edges.check(table)
                if frame is not None and self.nodes is not None:
                    on_edges(frame)
            edges.duplicates(lambda: self._tables(path, display, encoding), decimals)

        fatal = [p for p in problems if p.severity == "error"] + nodes.fatal + head.fatal
        problems += nodes.fatal + nodes.warnings
        problems += [p for _, found_ in sorted(nodes.errors.items()) for p in found_]
        problems += head.fatal + head.warnings
        problems += edges.problems()
        if fatal or any(p.severity == "error" for p in problems):
            raise ValidationError(problems, file=str(loader.path))
        assert self.nodes is not None
        return StreamedInput(
            nodes=self.nodes,
            edge_count=edges.count,
            latest=edges.latest if edges.latest is not None else _no_edges(),
            problems=problems,
            source=str(loader.path),
        )


def _no_edges() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in EDGE_REQUIRED})


class _Edges:
    """The relationships checked part by part: problems by row, key hashes, counts."""

    def __init__(self, head: _Checked, nodes: _Checked, node_rows: dict[str, int] | None) -> None:
        self.head = head
        self.nodes = nodes
        self.node_rows = node_rows
        self.rename = dict(head.rename)
        self.position = 0  # rows of the file before the current part
        self.count = 0
        #: position -> (problems before the duplicate check, problems after it)
        self.errors: dict[int, tuple[list[Problem], list[Problem]]] = {}
        self.dropped = 0  # rows with problems beyond MAX_PROBLEMS
        self.kept = 0
        self.hashes: list[np.ndarray] = []
        self.hashed: list[np.ndarray] = []  # rows whose key is complete
        self.dup_errors: dict[int, Problem] = {}
        self.latest: pd.DataFrame | None = None

    def check(self, table: RawTable) -> pd.DataFrame | None:
        """Check one part (rows numbered as in the whole file); its canonical frame while no
        problem has been found anywhere, else None."""
        part = _Checked(table, self.head.resolver)
        part.rename = dict(self.rename)  # named once, from the header
        part.check_rows()
        before = {i: list(found) for i, found in part.errors.items()}
        keys = zip(part.values["source"], part.values["type"], part.values["target"], strict=True)
        complete = np.array([None not in key for key in keys], dtype=bool)
        joined = pd.Series(
            [
                f"{a}\x1f{t}\x1f{b}"
                for a, t, b in zip(
                    part.values["source"], part.values["type"], part.values["target"], strict=True
                )
            ],
            dtype=object,
        )
        self.hashes.append(pd.util.hash_pandas_object(joined, index=False).to_numpy(np.uint64))
        self.hashed.append(complete)
        if self.node_rows is not None:
            part.check_references(self.node_rows, self.nodes, lenient=False)
        for i in sorted(part.errors):
            if self.kept >= MAX_PROBLEMS:
                self.dropped += 1
                continue
            pre = before.get(i, [])
            self.errors[self.position + i] = (pre, part.errors[i][len(pre) :])
            self.kept += 1
        rows = len(table.frame)
        self.position += rows
        self.count += rows
        if self.errors or self.dropped:
            return None
        frame = part.frame()
        if "last_contact" in frame.columns and frame["last_contact"].notna().any():
            top = frame["last_contact"].max()
            latest = frame[frame["last_contact"] == top].head(1)
            if self.latest is None or top > self.latest["last_contact"].iloc[0]:
                self.latest = latest.reset_index(drop=True)
        return frame

    def duplicates(self, again: Callable[[], Iterator[RawTable]], decimals: dict[str, str]) -> None:
        """The normal loader's "duplicate relationship" problems: rows whose key hash repeats
        are read again and their keys compared exactly, in file order."""
        if not self.hashes:
            return
        hashes = np.concatenate(self.hashes)
        complete = np.concatenate(self.hashed)
        self.hashes, self.hashed = [], []
        where = np.flatnonzero(complete)
        order = np.argsort(hashes[where], kind="stable")
        sorted_h = hashes[where][order]
        repeat = np.zeros(len(sorted_h), dtype=bool)
        if len(sorted_h) > 1:
            same = sorted_h[1:] == sorted_h[:-1]
            repeat[1:] |= same
            repeat[:-1] |= same
        candidates = np.sort(where[order[repeat]])
        del hashes, complete, where, order, sorted_h, repeat
        if not len(candidates):
            return
        first: dict[tuple[str, str, str], int] = {}
        position = 0
        for table in again():
            rows = len(table.frame)
            lo, hi = np.searchsorted(candidates, [position, position + rows])
            local = (candidates[lo:hi] - position).tolist()
            if local and len(self.dup_errors) < MAX_PROBLEMS:
                table.column_decimal = decimals
                sub = RawTable(
                    kind="edges",
                    frame=table.frame.iloc[local].reset_index(drop=True),
                    rows=[table.rows[i] for i in local],
                    file=table.file,
                    decimal=table.decimal,
                    decimal_hint=table.decimal_hint,
                    text_clean=True,  # only the keys are needed here
                    encoding=table.encoding,
                    column_labels=table.column_labels,
                    column_decimal=decimals,
                )
                part = _Checked(sub, self.head.resolver)
                part.rename = {
                    c: n for c, n in self.rename.items() if n in ("source", "type", "target")
                }
                part.check_rows()
                for n, key in enumerate(
                    zip(
                        part.values["source"],
                        part.values["type"],
                        part.values["target"],
                        strict=True,
                    )
                ):
                    if None in key:
                        continue
                    row = sub.rows[n]
                    if key in first:
                        self.dup_errors[position + local[n]] = self.head.raw.problem(
                            duplicate_edge(key, first[key]),
                            row=row,
                            column=self.head._frame_col("type"),
                            value=key[1],
                        )
                    else:
                        first[key] = row
            position += rows

    def problems(self) -> list[Problem]:
        """Every row's problems in file order, as the normal loader lists them."""
        out: list[Problem] = []
        positions = sorted(set(self.errors) | set(self.dup_errors))
        self.dropped += max(0, len(positions) - MAX_PROBLEMS)
        for pos in positions[:MAX_PROBLEMS]:
            pre, post = self.errors.get(pos, ([], []))
            dup = [self.dup_errors[pos]] if pos in self.dup_errors else []
            out += pre + dup + post
        self.kept = min(len(positions), MAX_PROBLEMS)
        if self.dropped:
            out.append(
                Problem(
                    file=self.head.raw.file,
                    why=_l(
                        "{n} more rows with problems are not listed (the first {kept} are)",
                        n=Num(self.dropped),
                        kept=Num(self.kept),
                    ),
                )
            )
        return out
