"""The loader protocol every format shares: ``load()``, ``describe()``, ``preview(n)``.

A format reader (:mod:`loaders.csv_files`, :mod:`loaders.excel`, ...) only *reads*: it turns a
file into :class:`loaders.raw.RawTable` objects. The mapping file (:mod:`loaders.mapping`) and the
validation (:mod:`loaders.validate`) are the same for every format, so a CSV, a workbook and a
GraphML file with the same content give the same :class:`graphcap.model.Network` and the same
problems.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from graphcap.config.limits import Limits
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from loaders.limits import MemoryBudget, check_file
from loaders.mapping import Mapping, load_mapping
from loaders.raw import LoadResult, RawInput
from loaders.validate import validate

__all__ = ["Loader"]


class Loader:
    """Base of the format loaders: subclasses implement :meth:`read_raw`.

    ``Loader(path, mapping=None, lenient=False, schema=DEFAULT_SCHEMA, encoding=None, limits=None,
    existing=None)``;
    :meth:`load` reads,
    applies the mapping and validates; :meth:`preview` shows the first rows as read.
    """

    #: short format name shown to users ("CSV", "Excel", ...)
    format: ClassVar[str] = "?"
    #: file suffixes this loader takes (lower case, with dot)
    suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        path: str | Path,
        *,
        mapping: Any = None,
        lenient: bool = False,
        schema: Schema = DEFAULT_SCHEMA,
        encoding: str | None = None,
        limits: Limits | None = None,
        existing: Collection[str] | None = None,
    ) -> None:
        self.path = Path(path)
        #: the text files' encoding as the user named it (None: detected, see loaders.textcheck)
        self.encoding = encoding or None
        #: size limits of reading (graphcap.config.limits.Limits; the environment's when not given)
        self.limits = limits if limits is not None else Limits.from_env()
        #: the memory this read may take (made anew when load or preview starts)
        self.memory = MemoryBudget(self.limits)
        if mapping is None or isinstance(mapping, Mapping):
            self.mapping = mapping
        else:
            self.mapping = load_mapping(mapping)
        self.lenient = lenient
        self.schema = schema
        #: ids already in the graph: set for an import onto it (relationships or interactions
        #: without their stakeholders); None for a whole network
        self.existing = existing

    # -- to implement ---------------------------------------------------------------------------

    def read_raw(self) -> RawInput:
        """Read the file(s) into raw tables; raise :class:`graphcap.errors.LoaderError` if the file
        cannot be read at all."""
        raise NotImplementedError

    # -- the protocol -----------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Read, map and validate. Raises ValidationError listing every problem (unless lenient)."""
        check_file(self.path, self.limits)
        self.memory = MemoryBudget(self.limits)
        raw = self.read_raw()
        self.memory.check(file=self.path.name)
        if self.mapping is not None:
            raw = self.mapping.apply(raw)
        return validate(raw, schema=self.schema, lenient=self.lenient, existing=self.existing)

    def describe(self) -> dict[str, Any]:
        """What this loader will read, for logs and the import page."""
        return {
            "format": self.format,
            "path": str(self.path),
            "mapping": None if self.mapping is None else str(self.mapping.source),
            "lenient": self.lenient,
        }

    def preview(self, n: int = 5) -> dict[str, pd.DataFrame]:
        """The first ``n`` rows of each table as read (after the mapping, before validation), with
        the row number a user sees as index."""
        check_file(self.path, self.limits)
        self.memory = MemoryBudget(self.limits)
        raw = self.read_raw()
        if self.mapping is not None:
            raw = self.mapping.apply(raw)
        out = {}
        for kind, table in raw.tables.items():
            head = table.frame.head(n).copy()
            head.index = pd.Index(table.rows[: len(head)], name="row")
            out[kind] = head
        return out
