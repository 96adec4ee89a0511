"""Parameters of the measures a project can set: :class:`StrengthConfig` (relationship
strength) and :class:`ValueConfig` (which kind of money each relationship type carries).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphcap.errors import ConfigError
from graphcap.i18n import gettext
from graphcap.model.schema import QUALITY_DIMENSIONS

__all__ = ["VALUE_KINDS", "StrengthConfig", "ValueConfig"]


@dataclass(frozen=True)
class StrengthConfig:
    """Parameters of the relationship-strength model (see graphcap.metrics.strength).

    ``weights`` weigh the quality dimensions; ``interaction_weight`` is the share of the
    interaction-log component (recency, frequency, reciprocity) where a log exists.
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "trust": 0.35,
            "commitment": 0.25,
            "responsiveness": 0.2,
            "mutual_interest": 0.2,
        }
    )
    interaction_weight: float = 0.3
    half_life_days: float = 180.0
    #: Channels logged in one direction by nature (an order, a rating): no reciprocity from them.
    one_way_channels: tuple[str, ...] = ("order", "invoice", "payment", "rating", "register")
    #: Relationship types whose log is one-way by nature: no reciprocity for them.
    one_way_types: tuple[str, ...] = ()
    #: Edge sentiment at or below which a derived tie is negative (its strength is the sentiment).
    negative_sentiment: float = -0.5

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "one_way_channels", tuple(str(c).strip().lower() for c in self.one_way_channels)
        )
        object.__setattr__(
            self, "one_way_types", tuple(str(t).strip().upper() for t in self.one_way_types)
        )
        if not -1 <= self.negative_sentiment <= 0:
            raise ConfigError(gettext("[strength] negative_sentiment must be in [-1, 0]"))
        unknown = set(self.weights) - set(QUALITY_DIMENSIONS)
        if unknown:
            raise ConfigError(
                gettext(
                    "[strength] weights has unknown dimension(s) {unknown}; known: {quality_dimensions}"
                ).format(unknown=sorted(unknown), quality_dimensions=", ".join(QUALITY_DIMENSIONS))
            )
        if any((not isinstance(w, int | float)) or w < 0 for w in self.weights.values()):
            raise ConfigError(gettext("[strength] weights must be non-negative numbers"))
        if sum(self.weights.values()) <= 0:
            raise ConfigError(gettext("[strength] weights must not all be zero"))
        if not 0 <= self.interaction_weight <= 1:
            raise ConfigError(gettext("[strength] interaction_weight must be in [0, 1]"))
        if not self.half_life_days > 0:
            raise ConfigError(gettext("[strength] half_life_days must be positive"))


#: The kinds of money a relationship can carry; never added together.
VALUE_KINDS: tuple[str, ...] = ("revenue", "spend", "flow")


@dataclass(frozen=True)
class ValueConfig:
    """Which kind of money the ``volume`` of each relationship type is (graphcap.metrics.value).

    ``revenue``: the counterparty pays us (a customer BUYS_FROM the organisation); ``spend``: we
    pay the counterparty (a supplier SUPPLIES us, an agency SERVES us). Read in the type's usual
    direction (counterparty -> organisation); the other direction swaps revenue and spend (the
    organisation SUPPLIES a customer: revenue). Types not listed carry ``flow`` (other money).
    """

    kinds: Mapping[str, str] = field(
        default_factory=lambda: {"BUYS_FROM": "revenue", "SUPPLIES": "spend", "SERVES": "spend"}
    )

    def __post_init__(self) -> None:
        clean = {}
        for rel, kind in dict(self.kinds).items():
            if kind not in VALUE_KINDS:
                raise ConfigError(
                    gettext(
                        "[value.kinds] {rel} = {kind!r}: the kind must be one of {value_kinds}"
                    ).format(rel=rel, kind=kind, value_kinds=", ".join(VALUE_KINDS))
                )
            clean[str(rel).strip().upper()] = kind
        object.__setattr__(self, "kinds", clean)

    def kind_of(self, rel_type: str) -> str:
        """The kind of a relationship type's volume (``flow`` when not listed).

        >>> ValueConfig().kind_of("buys_from"), ValueConfig().kind_of("TRANSFERS")
        ('revenue', 'flow')
        """
        return self.kinds.get(str(rel_type).upper(), "flow")
