"""The stakeholders of the sample network: who they are and their node properties.

The focal organisation is *Brenner Antriebstechnik GmbH*, a fictional mid-sized maker of
industrial drives with two business units (drives, and service & spare parts). Around it:

- customers (OEMs, dealers, end customers, systems integrators) whose annual revenue to us is
  log-normal with sigma 1.68, drawn on stratified quantiles so that about 20% of customers bring
  about 80% of revenue at any size; customer lifetime value is
  ``revenue * margin * r / (1 + d - r)`` with retention ``r`` rising with loyalty;
- suppliers by commodity; a few critical commodities have exactly one supplier (single source);
- partners: a joint venture and its co-parent, alliance members, a coalition, associations and
  networks, a research institute, technology and sales partners;
- agencies: regulators, a government body, interest groups, marketing/PR agencies, a
  certification body;
- competitors (direct, niche, low-cost).

All arrays come from one ``numpy`` generator, so a seed fixes everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtri

from graphcap.sample.names import COUNTRIES, company_names, pick_countries, unique_names

__all__ = ["Roles", "build_nodes", "CRITICAL_COMMODITIES"]

FOCAL = "Brenner Antriebstechnik GmbH"

#: Commodities that only one supplier in the network delivers (single-source dependencies),
#: with the German trade words their suppliers' names use.
_CRITICAL = {
    "Rare-earth magnets": ("Magnettechnik", "Magnetwerk"),
    "Motor control ASICs": ("Mikroelektronik", "Halbleitertechnik"),
    "Precision gear blanks": ("Verzahnungstechnik", "Präzisionsverzahnung"),
    "Ceramic hybrid bearings": ("Hochleistungskeramik", "Keramiklager"),
}
_COMMON = {
    "Steel bars & sheet": ("Stahlhandel", "Blechbearbeitung", "Stahl"),
    "Castings": ("Gießerei", "Gusswerk"),
    "Forgings": ("Schmiede", "Umformtechnik"),
    "Rolling bearings": ("Wälzlager", "Lagertechnik"),
    "Seals & gaskets": ("Dichtungstechnik", "Dichtungen"),
    "Electronics": ("Elektronik", "Elektrotechnik"),
    "Power semiconductors": ("Leistungselektronik", "Halbleiter"),
    "Copper wire": ("Drahtwerk", "Kupferwerk"),
    "Fasteners": ("Schraubenwerk", "Verbindungstechnik"),
    "Plastics & polymers": ("Kunststofftechnik", "Kunststoffwerk"),
    "Packaging": ("Verpackungen", "Verpackungstechnik"),
    "Logistics": ("Logistik", "Spedition"),
    "IT services": ("IT-Systemhaus", "Informatik"),
    "Machining services": ("Zerspanungstechnik", "Präzisionsteile", "CNC-Fertigung"),
    "Surface treatment": ("Oberflächentechnik", "Galvanik", "Härterei"),
    "Lubricants": ("Schmierstoffe", "Mineralölwerk"),
    "Cables & harnesses": ("Kabelkonfektion", "Kabelwerk"),
    "Sensors": ("Sensorik", "Messtechnik"),
}
CRITICAL_COMMODITIES = tuple(_CRITICAL)
COMMODITIES = tuple(_COMMON)
_TRADES = {**_CRITICAL, **_COMMON}

_CUSTOMER_SEGMENTS = ("OEM", "Dealer", "End customer", "Systems integrator")
_CUSTOMER_SEGMENT_P = (0.34, 0.12, 0.42, 0.12)

# Partner and agency nodes with fixed names: (segment, role, name, country, city).
_FIXED_PARTNERS = (
    ("Joint venture", "jv", "Brenner-Kowalski Napędy Sp. z o.o.", "PL", "Poznań"),
    ("Joint venture partner", "jv_parent", "Kowalski Napędy S.A.", "PL", "Poznań"),
    ("Coalition", "coalition", "Allianz für klimaneutrale Antriebe", "DE", "Berlin"),
    (
        "Association",
        "association",
        "Verband der Antriebs- und Fördertechnik e.V.",
        "DE",
        "Frankfurt am Main",
    ),
    ("Network", "association", "Cluster Mechatronik Oberschwaben e.V.", "DE", "Ravensburg"),
    ("Association", "association", "European Drive Systems Association (EDSA)", "BE", "Bruxelles"),
    (
        "Research institute",
        "research",
        "Institut für Antriebssysteme, Hochschule Oberschwaben",
        "DE",
        "Weingarten",
    ),
)
_FIXED_AGENCIES = (
    ("Regulator", "regulator", "Bundesanstalt für Maschinensicherheit", "DE", "Dortmund"),
    ("Regulator", "regulator", "Gewerbeaufsichtsamt Oberschwaben", "DE", "Ravensburg"),
    ("Regulator", "regulator", "Europäische Stelle für Produktkonformität", "BE", "Bruxelles"),
    (
        "Government body",
        "government",
        "Wirtschaftsförderung Landkreis Oberschwaben",
        "DE",
        "Ravensburg",
    ),
    ("Interest group", "interest", "Bürgerinitiative Sauberes Schussental", "DE", "Weingarten"),
    ("Interest group", "interest", "Gewerkschaft Metall & Elektro Süd", "DE", "Stuttgart"),
    ("Interest group", "interest", "Handelskammer Oberschwaben", "DE", "Weingarten"),
    ("PR agency", "agency_service", "Lichtblick Kommunikation GmbH", "DE", "München"),
    (
        "Marketing agency",
        "agency_service",
        "Kreativwerk Marketing GmbH & Co. KG",
        "DE",
        "Stuttgart",
    ),
    (
        "Certification body",
        "certifier",
        "Prüfgesellschaft Süd Zertifizierung GmbH",
        "DE",
        "München",
    ),
)
_REGION = {c.code: c.region for c in COUNTRIES} | {"BE": "Western Europe"}

#: Minimum counts: the named partners/agencies plus room for the generated ones.
MINIMUM = {
    "customers": 10,
    "suppliers": len(CRITICAL_COMMODITIES) + 3,
    "partners": len(_FIXED_PARTNERS) + 3,
    "agencies": len(_FIXED_AGENCIES),
    "competitors": 3,
}


@dataclass
class Roles:
    """Ids of the stakeholders by the part they play, for the relationship generator."""

    bu: list[str]
    ids: dict[str, np.ndarray] = field(default_factory=dict)

    def __getitem__(self, role: str) -> np.ndarray:
        return self.ids.get(role, np.array([], dtype=object))


def _ids(prefix: str, n: int) -> np.ndarray:
    width = max(4, len(str(n)))
    return np.array([f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _unit(x: np.ndarray) -> np.ndarray:
    return np.round(np.clip(x, 0.0, 1.0), 3)


def _since(rng: np.random.Generator, as_of: np.datetime64, n: int, mean_years: float) -> np.ndarray:
    days = np.clip(365 + rng.exponential(mean_years * 365, n), 200, 30 * 365).astype("int64")
    return as_of - days.astype("timedelta64[D]")


def stratified_lognormal(
    rng: np.random.Generator, n: int, median: float, sigma: float
) -> np.ndarray:
    """``n`` log-normal values placed on evenly spaced quantiles, in random order, with a little
    jitter: the distribution's shape (and so its Pareto share) holds even for small ``n``."""
    q = (rng.permutation(n) + 0.5) / n
    z = ndtri(q) + rng.normal(0, 0.05, n)
    return np.round(median * np.exp(sigma * z), -2)


def _block(rng, ids, names, cities, countries, type_, segment, since, **cols) -> pd.DataFrame:
    n = len(ids)
    frame = {
        "id": ids,
        "name": names,
        "type": np.full(n, type_, dtype=object),
        "segment": segment,
        "region": [_REGION[c] for c in countries],
        "country": countries,
        "since": since,
        "revenue": cols.get("revenue", np.full(n, np.nan)),
        "clv": cols.get("clv", np.full(n, np.nan)),
        "satisfaction": cols.get("satisfaction", _unit(rng.beta(5, 2, n))),
        "loyalty": cols.get("loyalty", _unit(rng.beta(4, 3, n))),
        "power": cols.get("power", _unit(rng.beta(2, 4, n))),
        "interest": cols.get("interest", _unit(rng.beta(2.5, 2.5, n))),
        "tags": cols.get("tags", np.full(n, None, dtype=object)),
        "city": cities,
    }
    return pd.DataFrame(frame)


def _generated(rng, n, *, trades=None, home_bias=0.0):
    cidx = pick_countries(rng, n, home_bias=home_bias)
    names, cities = company_names(rng, cidx, trades=trades)
    return names, cities, np.array([COUNTRIES[i].code for i in cidx], dtype=object)


def _fixed(rows, n_total: int, rng, *, trades) -> tuple[list, list, list, list, list]:
    """The fixed named entities first, then generated ones up to ``n_total``."""
    segs = [r[0] for r in rows]
    roles = [r[1] for r in rows]
    names = [r[2] for r in rows]
    countries = [r[3] for r in rows]
    cities = [r[4] for r in rows]
    extra = n_total - len(rows)
    if extra > 0:
        g_names, g_cities, g_countries = _generated(rng, extra, trades=trades, home_bias=0.3)
        names += g_names
        cities += g_cities
        countries += list(g_countries)
    return segs, roles, names, countries, cities


def build_nodes(
    rng: np.random.Generator, counts: dict[str, int], as_of: np.datetime64
) -> tuple[pd.DataFrame, Roles]:
    """The node frame of the sample network and the stakeholders' roles."""
    blocks: list[pd.DataFrame] = []
    roles = Roles(bu=["ORG-1", "ORG-2"])

    # the focal organisation: two business units
    blocks.append(
        pd.DataFrame(
            {
                "id": roles.bu,
                "name": [f"{FOCAL} – Industrieantriebe", f"{FOCAL} – Service & Ersatzteile"],
                "type": ["organization"] * 2,
                "segment": ["Business unit"] * 2,
                "region": ["DACH"] * 2,
                "country": ["DE"] * 2,
                "since": np.array(["1987-04-01", "2004-01-01"], dtype="datetime64[D]"),
                "power": [1.0, 0.8],
                "interest": [1.0, 1.0],
                "tags": ["focal", "focal"],
                "city": ["Ravensburg"] * 2,
            }
        )
    )

    # customers
    n = counts["customers"]
    ids = _ids("CUS", n)
    names, cities, countries = _generated(rng, n, home_bias=0.25)
    segment = rng.choice(_CUSTOMER_SEGMENTS, size=n, p=_CUSTOMER_SEGMENT_P).astype(object)
    revenue = stratified_lognormal(rng, n, median=120_000.0, sigma=1.68)
    loyalty = _unit(rng.beta(5, 2.5, n))
    satisfaction = _unit(0.55 * loyalty + 0.45 * rng.beta(5, 2, n) + rng.normal(0, 0.05, n))
    retention = 0.55 + 0.4 * loyalty
    clv = np.round(revenue * 0.28 * retention / (1.08 - retention), -2)
    rank = pd.Series(revenue).rank(pct=True).to_numpy()
    power = _unit(0.1 + 0.85 * rank**2 + rng.normal(0, 0.04, n))
    tags = np.full(n, None, dtype=object)
    tags[segment == "Dealer"] = "dealer network"
    tags[rank > 0.95] = "key account"
    blocks.append(
        _block(
            rng,
            ids,
            names,
            cities,
            countries,
            "customer",
            segment,
            _since(rng, as_of, n, 7),
            revenue=revenue,
            clv=clv,
            satisfaction=satisfaction,
            loyalty=loyalty,
            power=power,
            tags=tags,
        )
    )
    roles.ids["customer"] = ids
    roles.ids["dealer"] = ids[segment == "Dealer"]
    roles.ids["oem"] = ids[segment == "OEM"]

    # suppliers: the first ones (in random order) hold the critical single-source commodities
    n = counts["suppliers"]
    ids = _ids("SUP", n)
    k = len(CRITICAL_COMMODITIES)
    order = rng.permutation(n)
    commodity = np.empty(n, dtype=object)
    commodity[order[:k]] = CRITICAL_COMMODITIES
    rest = order[k:]
    commodity[rest] = np.array(COMMODITIES, dtype=object)[np.arange(rest.size) % len(COMMODITIES)]
    critical = np.zeros(n, dtype=bool)
    critical[order[:k]] = True
    names = np.empty(n, dtype=object)
    cities = np.empty(n, dtype=object)
    countries = np.empty(n, dtype=object)
    for com in _TRADES:  # names that fit the commodity ("Müller Gießerei GmbH" for castings)
        idx = np.flatnonzero(commodity == com)
        if idx.size:
            names[idx], cities[idx], countries[idx] = _generated(
                rng, idx.size, trades=_TRADES[com], home_bias=0.35
            )
    power = np.where(critical, _unit(rng.uniform(0.8, 0.95, n)), _unit(rng.beta(2, 4, n)))
    tags = np.full(n, None, dtype=object)
    tags[critical] = "single source;critical"
    blocks.append(
        _block(
            rng,
            ids,
            names,
            cities,
            countries,
            "supplier",
            commodity,
            _since(rng, as_of, n, 6),
            power=power,
            tags=tags,
        )
    )
    roles.ids["supplier"] = ids
    roles.ids["critical_supplier"] = ids[critical]

    # partners
    n = counts["partners"]
    ids = _ids("PAR", n)
    segs, prole, names, countries, cities = _fixed(
        _FIXED_PARTNERS, n, rng, trades=("Technologie", "Vertrieb", "Engineering", "Systeme")
    )
    extra = n - len(_FIXED_PARTNERS)
    n_alliance = max(3, min(6, extra // 2))
    segs += ["Alliance partner"] * n_alliance + list(
        rng.choice(["Technology partner", "Sales partner"], size=extra - n_alliance)
    )
    prole += ["alliance"] * n_alliance + ["partner"] * (extra - n_alliance)
    prole_a = np.array(prole, dtype=object)
    blocks.append(
        _block(
            rng,
            ids,
            names,
            cities,
            countries,
            "partner",
            np.array(segs, dtype=object),
            _since(rng, as_of, n, 5),
            power=_unit(rng.beta(3, 3, n)),
            interest=_unit(rng.beta(4, 2, n)),
        )
    )
    for role in ("jv", "jv_parent", "coalition", "association", "research", "alliance", "partner"):
        roles.ids[role] = ids[prole_a == role]

    # agencies
    n = counts["agencies"]
    ids = _ids("AGY", n)
    segs, arole, names, countries, cities = _fixed(
        _FIXED_AGENCIES, n, rng, trades=("Kommunikation", "Marketing", "Beratung", "Werbeagentur")
    )
    extra = n - len(_FIXED_AGENCIES)
    segs += ["Marketing agency"] * extra
    arole += ["agency_service"] * extra
    arole_a = np.array(arole, dtype=object)
    power = np.where(
        np.isin(arole_a, ["regulator", "government"]),
        _unit(rng.uniform(0.75, 0.95, n)),
        _unit(rng.beta(2, 4, n)),
    )
    blocks.append(
        _block(
            rng,
            ids,
            names,
            cities,
            countries,
            "agency",
            np.array(segs, dtype=object),
            _since(rng, as_of, n, 8),
            power=power,
        )
    )
    for role in ("regulator", "government", "interest", "agency_service", "certifier"):
        roles.ids[role] = ids[arole_a == role]

    # competitors
    n = counts["competitors"]
    ids = _ids("CMP", n)
    names, cities, countries = _generated(
        rng, n, trades=("Antriebstechnik", "Getriebebau", "Antriebe", "Motorenwerk"), home_bias=0.4
    )
    segment = rng.choice(
        ["Direct competitor", "Niche competitor", "Low-cost competitor"], size=n, p=[0.5, 0.3, 0.2]
    ).astype(object)
    blocks.append(
        _block(
            rng,
            ids,
            names,
            cities,
            countries,
            "competitor",
            segment,
            _since(rng, as_of, n, 10),
            power=_unit(rng.beta(4, 3, n)),
            satisfaction=np.full(n, np.nan),
            loyalty=np.full(n, np.nan),
        )
    )
    roles.ids["competitor"] = ids
    roles.ids["direct_competitor"] = ids[segment == "Direct competitor"]

    nodes = pd.concat(blocks, ignore_index=True)
    nodes["name"] = unique_names(nodes["name"].astype(object), nodes["city"].astype(object))
    nodes["since"] = nodes["since"].astype("datetime64[ns]")
    return nodes, roles
