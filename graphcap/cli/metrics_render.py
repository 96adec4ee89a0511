"""How a metrics result reads as text: the tables of ``graphcap metrics``, its summary (English
or the reader's language), the engine and sampling lines, a what-if result.

Every function takes an :class:`graphcap.analysis.Analysis` (or a
:class:`graphcap.metrics.whatif.WhatIf`) and returns the text the command prints or writes;
:mod:`graphcap.cli.metrics_cmd` is the command that computes it.
"""

from __future__ import annotations

import json
import math
from typing import Any

import click
import pandas as pd

from graphcap.cli.output import csv_text, json_text, table_text
from graphcap.i18n import current_language, format_date, format_number, format_percent, ngettext
from graphcap.i18n import gettext as _

__all__ = ["engine_line", "render", "render_frame", "render_what_if", "sampling_lines"]

TABLES = ("summary", "nodes", "edges", "risks", "rci", "communities")
_NODE_VIEW = [
    "id",
    "name",
    "type",
    "value",
    "tie_strength",
    "pagerank",
    "betweenness",
    "constraint",
    "community",
    "quadrant",
    "risk_score",
]
_RISK_VIEW = ["name", "type", "score", "value", "strength", "reasons_text"]
_EDGE_VIEW = [
    "source",
    "target",
    "type",
    "strength",
    "strength_source",
    "strength_quality",
    "strength_interaction",
    "is_bridge",
]


def _frame(analysis: Any, table: str) -> pd.DataFrame:
    if table == "nodes":
        return analysis.nodes
    if table == "edges":
        return analysis.edges
    if table == "risks":
        return analysis.risks.drop(columns=["reasons"])
    if table == "communities":
        return analysis.communities
    if table == "rci":
        dims = analysis.rci.dimensions.assign(type="all").rename(columns={"value": "score_0_1"})
        by_type = analysis.rci.by_type.melt(
            id_vars=["type"],
            value_vars=["strength", "diversification", "brokerage", "health", "score"],
            var_name="dimension",
            value_name="score_0_1",
        )
        return pd.concat(
            [dims[["type", "dimension", "score_0_1", "weight", "points"]], by_type],
            ignore_index=True,
        )
    raise click.UsageError(
        _("unknown table {table!r}; choose one of {tables}").format(
            table=table, tables=", ".join(TABLES)
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return value


def _summary(analysis: Any) -> dict[str, Any]:
    return {
        "rci": _jsonable(analysis.rci.as_dict()),
        "concentration": _jsonable(analysis.concentration),
        "modularity": analysis.modularity,
        "communities": len(analysis.communities),
        "at_risk": int(analysis.nodes["at_risk"].sum()) if len(analysis.nodes) else 0,
        "risks": json.loads(
            analysis.risks.head(10).drop(columns=["reasons"]).to_json(orient="records")
        ),
        "params": _jsonable(analysis.params),
        "timings": analysis.timings,
    }


def engine_line(analysis: Any) -> str:
    """Which engine computed which measure, in one line (:meth:`Analysis.engine_summary`).

    >>> from graphcap.analysis import analyze
    >>> from graphcap.sample import sample_small
    >>> engine_line(analyze(sample_small()))
    'Engine: local (every measure)'
    """
    return "Engine: " + analysis.engine_summary()


def sampling_lines(analysis: Any) -> list[str]:
    """What the sampled measures were estimated from (``params["sampling"]``), one line per
    engine; none when they are exact. The sketch estimate of reach2 joins its engine's line.

    >>> from graphcap.analysis import analyze
    >>> from graphcap.sample import sample_small
    >>> sampling_lines(analyze(sample_small()))
    []
    """
    lines: dict[str, str] = {}
    for s in analysis.params.get("sampling", []):
        engine = s["engine"]
        if "registers" not in s:
            lines[engine] = _(
                "Sampled ({engine}): {measures} estimated from {k} of {n} stakeholders as sources (seed {seed})"
            ).format(
                engine=engine,
                measures=", ".join(s["measures"]),
                k=format_number(s["sources"]),
                n=format_number(s["of"]),
                seed=s["seed"],
            )
            continue
        sketch = _(
            "reach in two steps estimated with HyperLogLog ({m} registers, typical error ±{error})"
        ).format(
            m=format_number(s["registers"]),
            # an error is stated rounded up (1.04/32 = 3.25 % is "3.3 %", not half-even "3.2 %")
            error=format_percent(math.ceil(round(s["typical_error"] * 1000, 6)) / 1000, decimals=1),
        )
        lines[engine] = (
            f"{lines[engine]}; {sketch}"
            if engine in lines
            else _("Sampled ({engine}): {estimates}").format(engine=engine, estimates=sketch)
        )
    return list(lines.values())


def _summary_text(analysis: Any, top: int) -> str:
    from graphcap.metrics.value import describe_value

    if current_language() != "en":
        return _summary_local(analysis, top)
    rci = analysis.rci
    conc = analysis.concentration
    lines = [
        f"Relational Capital Index: {rci.score:.1f} / 100 (as of {analysis.params['as_of']}, "
        f"{analysis.params.get('as_of_source', 'given')})"
    ]
    for row in rci.dimensions.itertuples():
        lines.append(
            f"  {row.dimension:<16} {row.value:6.3f} x {row.weight:.2f} = {row.points:5.1f}  {row.meaning}"
        )
    lines += [f"  note: {n}" for n in rci.notes]
    if len(rci.by_type):
        lines += [
            "",
            "By stakeholder type:",
            rci.by_type.to_string(index=False, float_format=lambda x: f"{x:,.2f}"),
        ]
    lines += [
        "",
        "Money (kinds never added): " + describe_value(conc),
        *(
            f"  {k}: top 20% bring {s['pareto_share']:.0%}; Gini {s['gini']:.2f}; HHI {s['hhi']:.3f}; "
            f"effective number {s['effective_number']:.1f}"
            for k, s in conc.get("kinds", {}).items()
        ),
        f"Communities: {len(analysis.communities)} (modularity {analysis.modularity:.3f})",
        engine_line(analysis),
        *sampling_lines(analysis),
        "",
    ]
    risks = analysis.risks
    if len(risks):
        lines.append(
            f"At-risk radar ({len(risks)} with a warning sign, top {min(top, len(risks))}):"
        )
        view = risks.head(top)[_RISK_VIEW]
        lines.append(
            view.to_string(index=False, max_colwidth=90, float_format=lambda x: f"{x:,.2f}")
        )
    else:
        lines.append("At-risk radar: no relationship shows a warning sign.")
    return "\n".join(lines)


def _document(doc: dict[str, Any], fmt: str) -> str:
    """A nested result as JSON, or as CSV with one ``key,value`` row per top-level key (nested
    values as JSON text, as `snapshot show` does)."""
    if fmt == "json":
        return json_text(doc)
    flat = json.loads(json_text(doc))
    return csv_text([{"key": k, "value": v} for k, v in flat.items()], ["key", "value"])


def _summary_local(analysis: Any, top: int) -> str:
    """The summary in a language other than English: the same figures, its words and number
    signs (the radar's reasons and the index breakdown through graphcap.metrics.wording)."""
    from graphcap.metrics.wording import (
        dimension_label,
        dimension_meaning,
        kind_label,
        rci_note,
        reasons_text,
    )

    rci = analysis.rci
    conc = analysis.concentration
    lines = [
        _("Relational Capital Index: {score} / 100 (as of {date})").format(
            score=format_number(rci.score, decimals=1),
            date=format_date(str(analysis.params["as_of"])[:10]),
        )
    ]
    for row in rci.dimensions.itertuples():
        lines.append(
            f"  {dimension_label(row.dimension):<16} {format_number(row.value, decimals=3):>6} x {format_number(row.weight, decimals=2)} = {format_number(row.points, decimals=1):>5}  {dimension_meaning(row.dimension) or row.meaning}"
        )
    lines += ["  " + _("note: {note}").format(note=rci_note(n)) for n in rci.notes]
    if len(rci.by_type):
        lines += ["", _("By stakeholder type:"), table_text(rci.by_type)]
    lines += [
        "",
        *(
            "  "
            + _("{kind}: top 20% bring {share}; Gini {gini}; HHI {hhi}").format(
                kind=kind_label(k),
                share=format_percent(s["pareto_share"]),
                gini=format_number(s["gini"], decimals=2),
                hhi=format_number(s["hhi"], decimals=3),
            )
            for k, s in conc.get("kinds", {}).items()
        ),
        _("Communities: {n} (modularity {q})").format(
            n=len(analysis.communities), q=format_number(analysis.modularity, decimals=3)
        ),
        *sampling_lines(analysis),
        "",
    ]
    risks = analysis.risks
    if len(risks):
        lines.append(
            _("At-risk radar ({n} with a warning sign, top {top}):").format(
                n=len(risks), top=min(top, len(risks))
            )
        )
        head = risks.head(top)
        view = head.assign(reasons_text=[reasons_text(r) for r in head.to_dict("records")])
        view = view[[c for c in _RISK_VIEW if c in view.columns]]
        lines.append(table_text(view, max_colwidth=90))
    else:
        lines.append(_("At-risk radar: no relationship shows a warning sign."))
    return "\n".join(lines)


def render(analysis: Any, table: str, fmt: str, *, top: int = 20, sort: str | None = None) -> str:
    """The text ``graphcap metrics`` prints or writes for ``table`` in format ``fmt``.

    >>> from graphcap.analysis import analyze
    >>> from graphcap.sample import sample_small
    >>> render(analyze(sample_small()), "rci", "csv").splitlines()[0]
    'type,dimension,score_0_1,weight,points'
    """
    if table == "summary":
        if fmt in ("json", "csv"):
            return _document(_summary(analysis), fmt)
        return _summary_text(analysis, top)
    frame = _frame(analysis, table)
    if sort:
        if sort not in frame.columns:
            raise click.UsageError(
                _("cannot sort by {sort!r}; columns: {columns}").format(
                    sort=sort, columns=", ".join(map(str, frame.columns))
                )
            )
        frame = frame.sort_values(sort, ascending=False, kind="stable")
    elif table == "nodes" and "pagerank" in frame.columns:
        frame = frame.sort_values("pagerank", ascending=False, kind="stable")
    view = {"nodes": _NODE_VIEW, "risks": _RISK_VIEW, "edges": _EDGE_VIEW}.get(table)
    return render_frame(frame, fmt, top, view=view)


def render_frame(frame: pd.DataFrame, fmt: str, top: int, *, view: list[str] | None = None) -> str:
    """A frame as CSV, JSON records or a text table (``view`` columns, first ``top`` rows).

    >>> print(render_frame(pd.DataFrame({"a": [1.5, 2.25]}), "table", 1))
      a
    1.5
    ... 1 more row (use --top, --format csv or --out)
    """
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        return frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
    if current_language() != "en" and {"reasons_text", "reason_codes"} <= set(frame.columns):
        from graphcap.metrics.wording import reasons_text

        frame = frame.assign(reasons_text=[reasons_text(r) for r in frame.to_dict("records")])
    shown = frame[[c for c in view if c in frame.columns]] if view else frame
    if shown.empty:
        return _("(no rows)")
    more = (
        "\n"
        + ngettext(
            "... {n} more row (use --top, --format csv or --out)",
            "... {n} more rows (use --top, --format csv or --out)",
            len(frame) - top,
        ).format(n=len(frame) - top)
        if len(frame) > top
        else ""
    )
    if current_language() != "en":
        return table_text(shown.head(top), decimals=3) + more
    return (
        shown.head(top).to_string(index=False, max_colwidth=120, float_format=lambda x: f"{x:,.4g}")
        + more
    )


def render_what_if(result: Any, fmt: str) -> str:
    """A what-if result (:class:`graphcap.metrics.whatif.WhatIf`) as text lines or JSON."""
    if fmt in ("json", "csv"):
        return _document(_jsonable(result.as_dict()), fmt)
    lines = list(result.summary)
    for title, frame in (
        ("cut off", result.cut_off),
        ("new single points of failure", result.new_articulation_points),
    ):
        if len(frame):
            lines += [
                "",
                f"{title}:",
                frame.to_string(index=False, float_format=lambda x: f"{x:,.0f}"),
            ]
    return "\n".join(lines)
