"""The PDF report's sections on the network itself (:mod:`graphcap.export.report`): the summary
(RCI and its points, counts, concentration figures, provenance) and the key players. The sections on
exposure (at-risk relationships, concentration) are in :mod:`graphcap.export._report_exposure`,
"What changed" in :mod:`graphcap.export._report_changes`, the checks in
:mod:`graphcap.export._report_checks`; one function per section.

Each section starts a page with a title and a one-line explanation; its tables continue over as
many pages as they need (:class:`graphcap.export._pdfdoc.ReportDocument`), charts are matplotlib
figures in the app's type colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from graphcap.export._pdfdoc import Column, ReportDocument
from graphcap.export._report_cells import (
    fmt,
    table_rows,
    when,
)
from graphcap.i18n import format_number, gettext, ngettext, shown
from graphcap.metrics.wording import (
    dimension_label,
    kind_label,
    relationship_label,
    type_label,
)
from graphcap.model import Network

_ = gettext

__all__ = ["KEY_PLAYERS", "key_players_section", "summary_section"]

#: Stakeholders listed under "Most central stakeholders" (the rest are in the CSV/XLSX export).
KEY_PLAYERS = 100
#: rows of the "Matter to us" table (read from our side)
KEY_PLAYERS_MINE = 12


def _rci(analysis: Any) -> tuple[float | None, pd.DataFrame, pd.DataFrame]:
    rci = getattr(analysis, "rci", None)
    if rci is None:
        return None, pd.DataFrame(), pd.DataFrame()
    dims = rci.dimensions if isinstance(rci.dimensions, pd.DataFrame) else pd.DataFrame()
    by_type = rci.by_type if isinstance(rci.by_type, pd.DataFrame) else pd.DataFrame()
    return float(rci.score), dims, by_type


def summary_section(
    doc: ReportDocument,
    *,
    network: Network,
    analysis: Any,
    prov: Mapping[str, Any],
    currency: str | None = None,
) -> None:
    score, dims, _by_type = _rci(analysis)
    doc.section(
        _("Summary"),
        _(
            "The Relational Capital Index (0-100) scores strong, diversified relationships that "
            "open doors onward, discounted for what is at risk and for hostile parties; the "
            "points add up to it (docs/METRICS.md)."
        ),
    )
    doc.big_number(
        _("Relational Capital Index"),
        "–" if score is None else format_number(score, decimals=1),
        _("of 100"),
    )
    if not dims.empty and "points" in dims.columns:
        total = float(dims["weight"].astype(float).sum()) if "weight" in dims.columns else 0.0
        caps = (
            (100 * dims["weight"].astype(float) / total)
            if total > 0
            else pd.Series(25.0, index=dims.index)
        )
        rows = [
            [
                dimension_label(d),
                fmt(v, "num") if "value" in dims.columns else "–",
                format_number(float(p), decimals=1),
                format_number(float(c), decimals=0),
            ]
            for d, v, p, c in zip(
                dims["dimension"],
                dims.get("value", dims["points"]),
                dims["points"],
                caps,
                strict=True,
            )
        ]
        doc.table(
            rows,
            [
                Column("dimension", _("dimension"), 3),
                Column("value", _("value"), 1, "RIGHT"),
                Column("points", _("points"), 1, "RIGHT"),
                Column("of", _("of"), 1, "RIGHT"),
            ],
            title=_("Points by dimension"),
            width=doc.epw * 0.5,
        )
    counts = network.counts_by_type()
    c = network.counts
    doc.table(
        [[type_label(t), format_number(n)] for t, n in counts["nodes"].items()],
        [Column("type", _("type"), 3), Column("n", _("stakeholders"), 1, "RIGHT")],
        title=ngettext("{n} stakeholder", "{n} stakeholders", c["nodes"]).format(
            n=format_number(c["nodes"])
        ),
        width=doc.epw * 0.5,
    )
    doc.table(
        [[relationship_label(t), format_number(n)] for t, n in counts["edges"].items()],
        [Column("type", _("type"), 3), Column("n", _("relationships"), 1, "RIGHT")],
        title=ngettext("{n} relationship", "{n} relationships", c["edges"]).format(
            n=format_number(c["edges"])
        ),
        width=doc.epw * 0.5,
    )
    conc = dict(getattr(analysis, "concentration", None) or {})
    kinds = conc.get("kinds") or {}
    basis = kind_label(str(conc.get("value_basis") or "value"))
    facts = [
        *(
            [
                _("Total {kind} (never added to the others)").format(kind=kind_label(k)),
                fmt(v.get("total"), "money", currency),
            ]
            for k, v in kinds.items()
        ),
        *(() if kinds else ([_("Money"), _("none recorded (no revenue, spend or flow)")],)),
        [
            _("Share of {kind} from the top 20 %").format(kind=basis),
            fmt(conc.get("pareto_share"), "pct"),
        ],
        [_("Gini of {kind}").format(kind=basis), fmt(conc.get("gini"), "num")],
        [
            _("HHI customers / suppliers"),
            f"{fmt(conc.get('hhi_customers'), 'num')} / {fmt(conc.get('hhi_suppliers'), 'num')}",
        ],
        [_("Interactions logged"), format_number(c["interactions"])],
    ]
    doc.table(
        facts,
        [Column("what", _("figure"), 2), Column("value", _("value"), 1)],
        title=_("Value and concentration"),
        width=doc.epw * 0.6,
    )
    filters = prov.get("filters") or {}
    origin = [
        [_("Snapshot"), str(prov.get("snapshot_name") or _("current view (not a snapshot)"))],
        [_("Created"), when(prov.get("created"))],
        [_("Data as of"), when(prov.get("as_of"))],
        [_("Source"), shown(prov.get("source") or "–")],
        [_("Source data hash"), str(prov.get("source_hash") or "–")[:24]],
        [
            _("Filters"),
            ", ".join(f"{k}={v}" for k, v in filters.items()) or _("none (whole network)"),
        ],
        ["graphcap", str(prov.get("graphcap_version") or "–")],
    ]
    doc.table(origin, [Column("what", "", 1), Column("value", "", 4)], title=_("Provenance"))


def key_players_section(
    doc: ReportDocument,
    *,
    network: Network,
    analysis: Any,
    key_players: int | None = KEY_PLAYERS,
    currency: str | None = None,
) -> None:
    doc.section(
        _("Key players"),
        _(
            "Read from our side: who matters to us (our money and the money we reach only "
            "through them), apart from who is central in the whole network (ranked by PageRank "
            "on the strength-weighted network; betweenness: who brokers between others); "
            "competitors as threats; single points of failure: removing them cuts stakeholders "
            "off (the organisation is never its own)."
        ),
    )
    nodes = getattr(analysis, "nodes", None)
    if not isinstance(nodes, pd.DataFrame):
        nodes = network.nodes
    mine = (
        analysis.key_players(top=KEY_PLAYERS_MINE)
        if hasattr(analysis, "key_players")
        else nodes.iloc[0:0]
    )
    doc.table(
        table_rows(
            mine,
            [
                ("name", ""),
                ("type", "type"),
                ("value_kind", "kind"),
                ("value_share", "pct"),
                ("dependents_share", "pct"),
                ("matters", "num"),
            ],
        ),
        [
            Column("name", _("stakeholder"), 4),
            Column("type", _("type"), 1.4),
            Column("value_kind", _("kind"), 1.2),
            Column("value_share", _("share"), 1, "RIGHT"),
            Column("dependents_share", _("gated"), 1, "RIGHT"),
            Column("matters", _("score"), 1, "RIGHT"),
        ],
        title=_("Matter to us"),
        empty=_("No stakeholder brings or gates money."),
    )
    others = nodes[nodes["type"] != "organization"]
    top = (
        others.sort_values(["pagerank", "id"], ascending=[False, True])
        if "pagerank" in others
        else others
    )
    shown = top if key_players is None else top.head(key_players)
    spec = [
        ("name", ""),
        ("type", "type"),
        ("value", "money"),
        ("pagerank", "num"),
        ("betweenness", "num"),
        ("community", ""),
        ("quadrant", "quadrant"),
    ]
    rows = [[str(i + 1), *r] for i, r in enumerate(table_rows(shown, spec, currency))]
    more = len(top) - len(shown)
    doc.table(
        rows,
        [
            Column("rank", "#", 0.5, "RIGHT"),
            Column("name", _("stakeholder"), 4),
            Column("type", _("type"), 1.4),
            Column("value", _("value"), 1.1, "RIGHT"),
            Column("pagerank", "PageRank", 1.1, "RIGHT"),
            Column("betweenness", _("betweenness"), 1.2, "RIGHT"),
            Column("community", _("community"), 1.1, "RIGHT"),
            Column("quadrant", _("quadrant"), 2.2),
        ],
        title=_("Most central stakeholders ({shown} of {total})").format(
            shown=format_number(len(shown)), total=format_number(len(top))
        ),
    )
    if more > 0:
        doc.paragraph(
            ngettext(
                "{n} more stakeholder is ranked in the CSV and XLSX exports.",
                "{n} more stakeholders are ranked in the CSV and XLSX exports.",
                more,
            ).format(n=format_number(more)),
            muted=True,
        )
    threats = analysis.threats() if hasattr(analysis, "threats") else pd.DataFrame()
    doc.table(
        table_rows(
            threats,
            [
                ("name", ""),
                ("shared_customers", "int"),
                ("revenue_overlap", "pct"),
                ("shared_suppliers", "int"),
                ("spend_overlap", "pct"),
            ],
        ),
        [
            Column("name", _("competitor"), 3),
            Column("shared_customers", _("our customers"), 1.3, "RIGHT"),
            Column("revenue_overlap", _("revenue"), 1, "RIGHT"),
            Column("shared_suppliers", _("our suppliers"), 1.3, "RIGHT"),
            Column("spend_overlap", _("spend"), 1, "RIGHT"),
        ],
        title=_("Competitors as threats (overlap with our customers and suppliers)"),
        empty=_("No competitor in the data."),
    )
    focal = set(network.focal_ids())
    spof = (
        nodes[
            nodes["is_articulation"].fillna(False).astype(bool)
            & ~nodes["id"].astype(str).isin(focal)
        ]
        if "is_articulation" in nodes.columns
        else nodes.iloc[0:0]
    )
    ego = bool(getattr(analysis, "params", {}).get("ego_only"))
    doc.table(
        table_rows(spof, [("name", ""), ("type", "type"), ("dependents", "int")]),
        [
            Column("name", _("stakeholder"), 4),
            Column("type", _("type"), 1.5),
            Column("dependents", _("cut off without it"), 1.5, "RIGHT"),
        ],
        title=_("Single points of failure ({n})").format(n=format_number(len(spof))),
        empty=(
            _(
                "The data records no ties among stakeholders: every relationship hangs on us "
                "alone (a property of the data)."
            )
            if ego
            else _("None: every stakeholder stays reachable when any one other is removed.")
        ),
    )
