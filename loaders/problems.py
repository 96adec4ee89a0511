"""Problems for people: many problems of one kind as one line with a count and the first rows.

One wrong column in a file of 50,000 rows used to print 50,000 lines. :func:`group_problems`
folds problems that share file, sheet, column and reason into one :class:`ProblemGroup`
(count, first rows, first value); the CLI and the Import page show the groups, capped, and the
``--report`` file keeps every single problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphcap.errors import Problem
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext, shown

__all__ = ["ProblemGroup", "group_problems"]


@dataclass
class ProblemGroup:
    """Problems with the same file, sheet, column, reason and severity."""

    first: Problem
    count: int = 0
    rows: list[int] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)

    def __str__(self) -> str:
        p = self.first
        if self.count == 1:
            return str(p)
        where = [p.file] + ([_("sheet {sheet}").format(sheet=p.sheet)] if p.sheet else [])
        if p.column:
            where.append(_("column {column}").format(column=repr(p.column)))
        listed = ", ".join(str(r) for r in self.rows[:5])
        more = ", ..." if self.count > len(self.rows[:5]) else ""
        rows = " " + _("(rows {rows})").format(rows=listed + more) if self.rows else ""
        examples = ""
        if self.values:
            texts = [repr(v) if len(repr(v)) <= 40 else repr(v)[:37] + "..." for v in self.values]
            examples = "; " + _("e.g. {examples}").format(examples=", ".join(texts))
        counted = ngettext("{n} rows", "{n} rows", self.count).format(n=self.count)
        return f"{', '.join(where)}: {counted}: {shown(p.why)}{rows}{examples}"


def group_problems(problems: Iterable[Problem], *, examples: int = 3) -> list[ProblemGroup]:
    """The problems folded by (severity, file, sheet, column, reason), in order of first sight."""
    groups: dict[tuple[Any, ...], ProblemGroup] = {}
    for p in problems:
        key = (p.severity, p.file, p.sheet, p.column, p.why)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProblemGroup(first=p)
        group.count += 1
        if p.row is not None and len(group.rows) < 5:
            group.rows.append(p.row)
        if (
            p.value is not None
            and p.value != ""
            and len(group.values) < examples
            and p.value not in group.values
        ):
            group.values.append(p.value)
    return list(groups.values())
