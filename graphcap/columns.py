"""The column and sheet names of graphcap's own tables, as a person reads them, in every language.

The keys (``days_since_contact``, ``nodes``) are stable: CSV, JSON and an English workbook keep
them, so programs and a re-import read them. A workbook for people (``graphcap export xlsx --lang
de``) shows the labels below in the reader's language (:mod:`graphcap.export.headers`); the
importer maps such headers back to their keys (:func:`header_keys`), so a German export
re-imports unchanged.

>>> header_keys("de")["Kundenwert (CLV)"], header_keys("de")["Von"], sheet_keys("de")["Beziehungen"]
('clv', 'source', 'edges')
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from graphcap.i18n import LANGUAGES, use_language
from graphcap.i18n import gettext as _

__all__ = ["COLUMN_LABELS", "SHEET_LABELS", "header_keys", "sheet_keys"]

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


@cache
def header_keys(lang: str) -> Mapping[str, str]:
    """Header as graphcap's export writes it in ``lang`` -> the column key (English: the labels
    are not used as headers, the keys are). A label two keys share maps to neither."""
    return _reverse(COLUMN_LABELS, lang)


@cache
def sheet_keys(lang: str) -> Mapping[str, str]:
    """Sheet name as graphcap's export writes it in ``lang`` (at most 31 characters) -> the
    sheet key."""
    return {name[:31]: key for name, key in _reverse(SHEET_LABELS, lang).items()}


def _reverse(labels: Mapping[str, str], lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(
            _("unknown language {lang!r}; graphcap speaks {languages}").format(
                lang=lang, languages=", ".join(LANGUAGES)
            )
        )
    with use_language(lang):
        shown = {key: _(label) for key, label in labels.items()}
    keys: dict[str, str] = {}
    twice: set[str] = set()
    for key, text in shown.items():
        if text in keys:
            twice.add(text)
        keys[text] = key
    return {text: key for text, key in keys.items() if text not in twice}
