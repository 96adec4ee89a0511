"""Sheet names and column headers of a spreadsheet in the reader's language.

An XLSX export in German (``graphcap export xlsx --lang de``) is a workbook for people: its
sheets and column headers are German, the reasons of the at-risk radar and the index breakdown
are German sentences. The column names themselves stay the stable English keys everywhere a
program reads them (CSV, JSON, an English XLSX for re-import). A column graphcap does not know
(a property a project added) keeps its own name.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from graphcap.i18n import current_language
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import dimension_label, dimension_meaning, reasons_text

__all__ = ["COLUMN_LABELS", "SHEET_LABELS", "column_headers", "sentences", "sheet_name"]

#: sheet -> its name as a person reads it (the English source of the translation)
SHEET_LABELS: Mapping[str, str] = {
    "nodes": "Stakeholders",
    "edges": "Relationships",
    "interactions": "Interactions",
    "metrics": "Measures",
    "risks": "At-risk radar",
    "communities": "Communities",
    "rci": "Relational Capital Index",
    "rci_by_type": "Index by type",
}

#: column -> its header as a person reads it (the English source of the translation)
COLUMN_LABELS: Mapping[str, str] = {
    "id": "ID",
    "name": "Name",
    "type": "Type",
    "segment": "Segment",
    "region": "Region",
    "country": "Country",
    "city": "City",
    "since": "Since",
    "revenue": "Revenue",
    "spend": "Spend",
    "flow": "Flow",
    "clv": "Customer lifetime value",
    "satisfaction": "Satisfaction",
    "loyalty": "Loyalty",
    "power": "Power",
    "interest": "Interest",
    "tags": "Tags",
    "source": "From",
    "target": "To",
    "trust": "Trust",
    "commitment": "Commitment",
    "responsiveness": "Responsiveness",
    "mutual_interest": "Mutual interest",
    "volume": "Volume",
    "contract_until": "Contract until",
    "last_contact": "Last contact",
    "interactions": "Interactions",
    "sentiment": "Sentiment",
    "kind": "Kind",
    "date": "Date",
    "channel": "Channel",
    "value": "Value",
    "volume_with_focal": "Volume with the organisation",
    "value_kind": "Kind of value",
    "value_share": "Share of value",
    "value_pct": "Value percentile",
    "tie_strength": "Tie strength",
    "hops": "Hops",
    "via": "Via",
    "engagement": "Engagement",
    "degree": "Degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "closeness": "Closeness",
    "harmonic": "Harmonic centrality",
    "eigenvector": "Eigenvector centrality",
    "pagerank": "PageRank",
    "reach2": "Reach in two steps",
    "core_number": "Core number",
    "constraint": "Constraint",
    "effective_size": "Effective size",
    "is_articulation": "Single point of failure",
    "dependents": "Cut off without it",
    "gatekeeper": "Gatekeeper",
    "betweenness_pct": "Betweenness percentile",
    "community": "Community",
    "negative_tie_x": "Negative tie (power axis)",
    "negative_tie_y": "Negative tie (interest axis)",
    "power_data": "Power from the data",
    "interest_data": "Interest from the data",
    "quadrant": "Quadrant",
    "pagerank_pct": "PageRank percentile",
    "dependence": "Dependence",
    "engagement_pct": "Engagement percentile",
    "quadrant_manual": "Quadrant (assessed)",
    "power_gap": "Power gap",
    "interest_gap": "Interest gap",
    "grid_gap": "Grid gap",
    "grid_note": "Grid note",
    "risk_score": "Risk score",
    "risk_points": "Risk points",
    "at_risk": "At risk",
    "single_threaded": "Single-threaded",
    "risk_reasons": "Reasons",
    "relationship": "Relationship",
    "strength": "Strength",
    "days_since_contact": "Days since contact",
    "contract_days_left": "Contract days left",
    "activity_recent": "Recent interactions",
    "activity_before": "Interactions before",
    "points": "Points",
    "score": "Score",
    "reasons_text": "Reasons",
    "reason_codes": "Reason codes",
    "size": "Size",
    "top_member": "Top member",
    "dominant_type": "Dominant type",
    "dominant_share": "Dominant share",
    "agency": "Agency",
    "competitor": "Competitor",
    "customer": "Customer",
    "organization": "Organisation",
    "partner": "Partner",
    "supplier": "Supplier",
    "dimension": "Dimension",
    "weight": "Weight",
    "meaning": "Meaning",
    "stakeholders": "Stakeholders",
    "diversification": "Diversification",
    "brokerage": "Brokerage",
    "health": "Health",
    "standing": "Standing",
}


def sentences(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Sheet ``name``'s radar reasons and index breakdown as sentences in the current language
    (English: as they are)."""
    if current_language() == "en":
        return frame
    if name == "risks" and "reasons_text" in frame.columns:
        rows = frame.to_dict("records")
        return frame.assign(reasons_text=[reasons_text(r) for r in rows])
    if name == "rci" and {"dimension", "meaning"} <= set(frame.columns):
        pairs = zip(frame["dimension"], frame["meaning"], strict=True)
        return frame.assign(
            meaning=[dimension_meaning(d) or m for d, m in pairs],
            dimension=[dimension_label(d) for d in frame["dimension"]],
        )
    return frame


def sheet_name(name: str) -> str:
    """A sheet's name in the current language (English: the key), at most 31 characters."""
    label = SHEET_LABELS.get(name)
    return (name if label is None or current_language() == "en" else _(label))[:31]


def column_headers(columns: list[str]) -> list[str]:
    """Headers for ``columns`` in the current language (English: the keys). Two columns never
    get the same header: on a clash the second keeps its key."""
    if current_language() == "en":
        return list(columns)
    headers: list[str] = []
    for col in columns:
        label = COLUMN_LABELS.get(col)
        header = _(label) if label else col
        headers.append(col if header in headers else header)
    return headers
