"""What the app calls graphcap's own column and vocabulary names, in the current language.

A table column, a metric or a quadrant has a field name (``days_since_contact``, ``pagerank``,
``manage closely``) that the code, the files and the CLI keep in English; the app shows it under a
label in the user's language (:func:`column_label`, :func:`quadrant_label`). Names the data brings
(a project's own properties and types, stakeholder names, ids) have no label and are shown as
they are: they are never translated.

The labels are built on each call (``_()`` at run time), so every session sees its own language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphcap.i18n import gettext as _
from graphcap.metrics.wording import relationship_label, type_label

__all__ = [
    "VALUE_LABELS",
    "column_label",
    "direction_label",
    "quadrant_label",
    "role_label",
    "strength_label",
    "type_label",
    "vocabulary_label",
]


def _columns() -> dict[str, str]:
    return {
        # stakeholders and their properties
        "id": _("id"),
        "name": _("name"),
        "type": _("type"),
        "segment": _("segment"),
        "region": _("region"),
        "country": _("country"),
        "tags": _("tags"),
        "revenue": _("revenue"),
        "clv": _("customer lifetime value"),
        "spend": _("spend"),
        "flow": _("flow"),
        "satisfaction": _("satisfaction"),
        "loyalty": _("loyalty"),
        "power": _("power (manual)"),
        "interest": _("interest (manual)"),
        "value": _("value"),
        "value_share": _("value share"),
        # network measures
        "pagerank": _("PageRank"),
        "betweenness": _("betweenness"),
        "degree": _("degree"),
        "weighted_degree": _("weighted degree"),
        "eigenvector": _("eigenvector centrality"),
        "closeness": _("closeness"),
        "harmonic": _("harmonic centrality"),
        "reach2": _("reach in two steps"),
        "core_number": _("core number"),
        "constraint": _("constraint (Burt)"),
        "effective_size": _("effective size"),
        "is_articulation": _("articulation point"),
        "community": _("community"),
        "dependents": _("dependents"),
        "gatekeeper": _("gatekeeper"),
        "tie_strength": _("tie strength"),
        "risk_score": _("risk score"),
        "engagement": _("engagement"),
        "power_data": _("power (data)"),
        "interest_data": _("interest (data)"),
        # relationships
        "source": _("from"),
        "target": _("to"),
        "with": _("with"),
        "direction": _("direction"),
        "strength": _("strength"),
        "strength_source": _("strength from"),
        "trust": _("trust"),
        "commitment": _("commitment"),
        "responsiveness": _("responsiveness"),
        "mutual_interest": _("mutual interest"),
        "volume": _("volume"),
        "last_contact": _("last contact"),
        "contract_until": _("contract until"),
        "relationship": _("relationship"),
        # risks and concentration
        "score": _("score"),
        "reasons_text": _("reasons"),
        "days_since_contact": _("days since contact"),
        "contract_days_left": _("contract days left"),
        "single_threaded": _("single-threaded"),
        "share": _("share"),
        "direct": _("direct"),
        "cut_off": _("cut off"),
        "at_risk": _("at risk"),
        "rci_after": _("RCI after"),
        "rci_change": _("RCI change"),
        "kind": _("kind"),
        "total": _("total"),
        "stakeholders": _("stakeholders"),
        "relationships": _("relationships"),
        "top_share": _("top 20 % share"),
        "gini": _("Gini"),
        "hhi": _("HHI"),
        "effective_number": _("effective number"),
        "shared_customers": _("shared customers"),
        "revenue_overlap": _("revenue overlap"),
        "shared_suppliers": _("shared suppliers"),
        "spend_overlap": _("spend overlap"),
        "diversification": _("diversification"),
        "brokerage": _("brokerage"),
        "health": _("health"),
        "standing": _("standing"),
        "dimension": _("dimension"),
        "weight": _("weight"),
        "points": _("points"),
        "meaning": _("meaning"),
        "component": _("component"),
        "contribution": _("contribution"),
        # power / interest grid
        "quadrant": _("quadrant (data)"),
        "quadrant_manual": _("quadrant (manual)"),
        "power_gap": _("power gap"),
        "interest_gap": _("interest gap"),
        "grid_note": _("note"),
        # metrics of one stakeholder, warm introductions, what-if
        "metric": _("metric"),
        "percentile": _("percentile"),
        "property": _("property"),
        "rank": _("rank"),
        "hops": _("hops"),
        "weakest": _("weakest link"),
        "path_text": _("path"),
        # history, edits, imports, snapshots
        "when": _("when"),
        "who": _("who"),
        "what": _("what"),
        "item": _("item"),
        "detail": _("detail"),
        "old": _("old"),
        "new": _("new"),
        "created": _("created"),
        "file": _("file"),
        "problem": _("problem"),
        "RCI": _("RCI"),
        "severity": _("severity"),
        "sheet": _("sheet"),
        "row": _("row"),
        "column": _("column"),
        "why": _("why"),
        "overdue_days": _("days overdue"),
        "target_days": _("target (days)"),
        "date": _("date"),
        "channel": _("channel"),
        "sentiment": _("sentiment"),
        "text": _("note"),
    }


def column_label(name: Any) -> str:
    """The label of graphcap's column ``name`` in the current language; any other name (a
    project's own property) as it is.

    >>> from graphcap.i18n import use_language
    >>> with use_language("de"):
    ...     column_label("days_since_contact"), column_label("pagerank"), column_label("Umsatz 2025")
    ('Tage seit Kontakt', 'PageRank', 'Umsatz 2025')
    """
    return _columns().get(str(name), str(name))


def quadrant_label(name: Any) -> Any:
    """A power/interest quadrant (``manage closely``, ...) in the current language (a missing
    one stays missing)."""
    labels = {
        "manage closely": _("manage closely"),
        "keep satisfied": _("keep satisfied"),
        "keep informed": _("keep informed"),
        "monitor": _("monitor"),
        "all": _("all"),
    }
    return labels.get(name, name) if isinstance(name, str) else name


def vocabulary_label(value: Any) -> Any:
    """A built-in stakeholder or relationship type (``customer``, ``BUYS_FROM``) in the current
    language ("Kunde", "kauft bei"); a type a project defines, and a missing value, as it is.

    >>> from graphcap.i18n import use_language
    >>> with use_language("de"):
    ...     vocabulary_label("supplier"), vocabulary_label("SUPPLIES"), vocabulary_label("Projekt")
    ('Lieferant', 'liefert an', 'Projekt')
    """
    if not isinstance(value, str):
        return value
    return relationship_label(type_label(value))


#: graphcap's columns whose values are its own vocabulary, and how to show one of them: tables
#: in the app show the label, the data keeps the code (filters, files and Cypher use it).
VALUE_LABELS: dict[str, Callable[[Any], Any]] = {
    "type": vocabulary_label,
    "dominant_type": vocabulary_label,
    "node_type": vocabulary_label,
    "relationship": vocabulary_label,
    "rel_type": vocabulary_label,
}


def direction_label(name: Any) -> str:
    """``outgoing`` / ``incoming`` in the current language."""
    return {"outgoing": _("outgoing"), "incoming": _("incoming")}.get(str(name), str(name))


def role_label(name: Any) -> str:
    """A user role (``viewer``, ``analyst``, ``editor``, ``admin``) in the current language."""
    labels = {
        "viewer": _("viewer"),
        "analyst": _("analyst"),
        "editor": _("editor"),
        "admin": _("admin"),
    }
    return labels.get(str(name), str(name))


def strength_label(name: Any) -> Any:
    """Where a relationship's strength comes from (``strength_source``: ``given``, ``derived``,
    ``default``, ``negative``) or a part of it (``trust``, ``recency``, ...), in the current
    language; stored as codes, worded when shown (a missing one stays missing).

    >>> from graphcap.i18n import use_language
    >>> with use_language("de"):
    ...     strength_label("given"), strength_label("recency"), strength_label("trust")
    ('angegeben', 'Aktualität', 'Vertrauen')
    """
    if not isinstance(name, str):
        return name
    labels = {
        "given": _("given"),
        "derived": _("derived"),
        "default": _("default"),
        "negative": _("negative sentiment"),
        "negative sentiment": _("negative sentiment"),
        "recency": _("recency"),
        "frequency": _("frequency"),
        "reciprocity": _("reciprocity"),
        "interaction": _("interaction"),
    }
    return labels[name] if name in labels else column_label(name)
