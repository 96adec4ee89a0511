"""Name pools for the sample network: company names that read like a real European ecosystem.

Every stakeholder is given a country first; its name, legal form and city then come from that
country's pools, so "Kowalski Napędy Sp. z o.o." sits in Poznań and "Петров Инженеринг ООД" in
Plovdiv. Names are made from a family or place name, a trade word and a legal form in a few
patterns; duplicates get the city as a branch suffix, then a running number, so names are
unique at any scale. All names are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["COUNTRIES", "Country", "company_names", "pick_countries", "unique_names"]


@dataclass(frozen=True)
class Country:
    code: str
    region: str
    weight: float  # share of stakeholders from this country
    families: tuple[str, ...]
    trades: tuple[str, ...]
    forms: tuple[str, ...]
    cities: tuple[str, ...]
    joiner: str = " & "


_DE_FAMILIES = (
    "Müller",
    "Schäfer",
    "Weiß",
    "Groß",
    "Krüger",
    "Böhm",
    "Fuchs",
    "Hoffmann",
    "Schröder",
    "Köhler",
    "Weißenborn",
    "Brandt",
    "Dietz",
    "Eßer",
    "Förster",
    "Gärtner",
    "Haas",
    "Jäger",
    "Kühn",
    "Lößner",
    "Maier",
    "Neumann",
    "Oßwald",
    "Pfeiffer",
    "Reuß",
    "Schmitt",
    "Strauß",
    "Thielemann",
    "Vogt",
    "Wagner",
    "Zöller",
    "Bauer",
    "Hartmann",
    "Lange",
    "Möller",
    "Sauer",
    "Ziegler",
    "Kraus",
    "Brückner",
    "Heß",
)
_DE_TRADES = (
    "Maschinenbau",
    "Antriebstechnik",
    "Fördertechnik",
    "Hydraulik",
    "Werkzeugbau",
    "Metallverarbeitung",
    "Logistik",
    "Automation",
    "Elektrotechnik",
    "Präzisionsteile",
    "Gießerei",
    "Stahlhandel",
    "Anlagenbau",
    "Verpackungstechnik",
    "Getriebebau",
    "Kunststofftechnik",
    "Industriebedarf",
    "Oberflächentechnik",
    "Sondermaschinen",
    "Lagertechnik",
    "Schweißtechnik",
    "Energietechnik",
    "Mühlenbau",
    "Landtechnik",
)
_DE_CITIES = (
    "Augsburg",
    "Ulm",
    "Heilbronn",
    "Würzburg",
    "Kassel",
    "Bielefeld",
    "Paderborn",
    "Göttingen",
    "Regensburg",
    "Reutlingen",
    "Chemnitz",
    "Zwickau",
    "Osnabrück",
    "Münster",
    "Lüdenscheid",
    "Siegen",
    "Fürth",
    "Düren",
    "Gütersloh",
    "Tübingen",
    "Pforzheim",
    "Schweinfurt",
    "Lörrach",
    "Ingolstadt",
    "Saarbrücken",
    "Mönchengladbach",
)

COUNTRIES: tuple[Country, ...] = (
    Country(
        "DE",
        "DACH",
        0.50,
        _DE_FAMILIES,
        _DE_TRADES,
        ("GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "SE"),
        _DE_CITIES,
    ),
    Country(
        "AT",
        "DACH",
        0.07,
        (
            "Gruber",
            "Huber",
            "Pichler",
            "Steiner",
            "Moser",
            "Hölzl",
            "Wimmer",
            "Egger",
            "Schwaiger",
            "Lechner",
        ),
        ("Maschinenbau", "Stahlbau", "Anlagentechnik", "Holztechnik", "Seilbahntechnik"),
        ("GmbH", "AG", "GesmbH", "KG"),
        ("Linz", "Graz", "Wels", "Steyr", "Innsbruck", "Dornbirn"),
    ),
    Country(
        "CH",
        "DACH",
        0.05,
        ("Meier", "Keller", "Brunner", "Baumann", "Gerber", "Zürcher", "Frei", "Widmer"),
        ("Präzision", "Mechanik", "Automation", "Sensorik", "Feinwerktechnik"),
        ("AG", "GmbH", "SA"),
        ("Winterthur", "St. Gallen", "Aarau", "Biel/Bienne", "Zug", "Luzern"),
    ),
    Country(
        "IT",
        "Southern Europe",
        0.07,
        (
            "Rossi",
            "Bianchi",
            "Colombo",
            "Ricci",
            "Marino",
            "Greco",
            "Bruno",
            "Galli",
            "Conti",
            "Esposito",
        ),
        ("Meccanica", "Oleodinamica", "Trasmissioni", "Fonderia", "Automazione", "Stampi"),
        ("S.p.A.", "S.r.l.", "S.a.s."),
        ("Brescia", "Bergamo", "Modena", "Vicenza", "Torino", "Bologna"),
    ),
    Country(
        "FR",
        "Western Europe",
        0.06,
        (
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Girard",
            "Lambert",
            "Fontaine",
            "Rousseau",
            "Chevalier",
            "Bonnet",
        ),
        ("Mécanique", "Industries", "Hydraulique", "Équipements", "Usinage", "Transmissions"),
        ("S.A.", "S.A.S.", "SARL"),
        ("Lyon", "Grenoble", "Saint-Étienne", "Mulhouse", "Besançon", "Nantes"),
    ),
    Country(
        "NL",
        "Western Europe",
        0.04,
        ("Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "de Groot", "Mulder"),
        ("Techniek", "Machinebouw", "Aandrijvingen", "Industrie", "Transport"),
        ("B.V.", "N.V."),
        ("Eindhoven", "Enschede", "Tilburg", "Venlo", "Rotterdam", "Zwolle"),
    ),
    Country(
        "PL",
        "Central & Eastern Europe",
        0.06,
        (
            "Kowalski",
            "Nowak",
            "Wiśniewski",
            "Wójcik",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
            "Dąbrowski",
        ),
        ("Napędy", "Maszyny", "Odlewnia", "Stal", "Automatyka", "Technika"),
        ("Sp. z o.o.", "S.A.", "Sp.k."),
        ("Poznań", "Wrocław", "Łódź", "Gdańsk", "Katowice", "Bydgoszcz"),
    ),
    Country(
        "CZ",
        "Central & Eastern Europe",
        0.04,
        ("Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý"),
        ("Strojírny", "Slévárna", "Pohony", "Technika", "Kovo"),
        ("s.r.o.", "a.s."),
        ("Brno", "Plzeň", "Ostrava", "Zlín", "Olomouc", "Liberec"),
    ),
    Country(
        "DK",
        "Northern Europe",
        0.03,
        ("Nielsen", "Jørgensen", "Sørensen", "Rasmussen", "Møller", "Kjær", "Østergaard"),
        ("Maskinfabrik", "Teknik", "Hydraulik", "Industri"),
        ("A/S", "ApS"),
        ("Aarhus", "Odense", "Aalborg", "Esbjerg", "Vejle", "Herning"),
    ),
    Country(
        "SE",
        "Northern Europe",
        0.03,
        ("Lindqvist", "Åberg", "Sjöberg", "Nyström", "Bergström", "Öhman", "Håkansson"),
        ("Mekaniska", "Verkstäder", "Industri", "Transmission"),
        ("AB",),
        ("Göteborg", "Västerås", "Jönköping", "Örebro", "Sandviken", "Borås"),
    ),
    Country(
        "ES",
        "Southern Europe",
        0.02,
        ("García", "Martínez", "López", "Fernández", "Muñoz", "Peña", "Ibáñez"),
        ("Mecanizados", "Transmisiones", "Industrial", "Automatización", "Fundiciones"),
        ("S.A.", "S.L."),
        ("Bilbao", "Zaragoza", "Valencia", "Vitoria-Gasteiz", "Pamplona", "Girona"),
    ),
    Country(
        "BG",
        "Central & Eastern Europe",
        0.012,
        ("Петров", "Иванов", "Георгиев", "Димитров", "Стоянов", "Николов"),
        ("Инженеринг", "Машини", "Хидравлика", "Метал", "Задвижвания"),
        ("ООД", "ЕООД", "АД"),
        ("Пловдив", "Русе", "Стара Загора", "Габрово", "Варна"),
    ),
    Country(
        "RS",
        "Central & Eastern Europe",
        0.01,
        ("Јовановић", "Петровић", "Николић", "Марковић", "Ђорђевић"),
        ("Машине", "Метал", "Погони", "Индустрија"),
        ("д.о.о.", "а.д."),
        ("Нови Сад", "Крагујевац", "Ниш", "Суботица"),
    ),
    Country(
        "UA",
        "Central & Eastern Europe",
        0.008,
        ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко"),
        ("Привод", "Машбуд", "Гідравліка", "Метал"),
        ("ТОВ", "ПрАТ"),
        ("Львів", "Харків", "Дніпро", "Запоріжжя"),
    ),
)


def pick_countries(rng: np.random.Generator, n: int, *, home_bias: float = 0.0) -> np.ndarray:
    """Indices into :data:`COUNTRIES` for ``n`` stakeholders; ``home_bias`` adds weight to DE."""
    w = np.array([c.weight for c in COUNTRIES])
    w[0] += home_bias
    return rng.choice(len(COUNTRIES), size=n, p=w / w.sum())


# German adjective forms of city names where "+er" is wrong (Göttingen -> Göttinger).
_CITY_ADJ = {
    "Göttingen": "Göttinger",
    "Reutlingen": "Reutlinger",
    "Tübingen": "Tübinger",
    "Münster": "Münsteraner",
    "Ingolstadt": "Ingolstädter",
    "Saarbrücken": "Saarbrücker",
    "St. Gallen": "St. Galler",
    "Biel/Bienne": "Bieler",
}


def _city_adjective(city: str) -> str:
    return _CITY_ADJ.get(city, f"{city}er")


def _prefix_form(c: Country) -> bool:
    return c.code == "UA"  # Ukrainian legal forms come first: ТОВ «...»


def company_names(
    rng: np.random.Generator, countries: np.ndarray, *, trades: tuple[str, ...] | None = None
) -> tuple[list[str], list[str]]:
    """Company names and cities for stakeholders of the given country indices.

    ``trades`` replaces the country's trade words for German names (e.g. agencies' service
    words) when given. Returns ``(names, cities)``, both the length of ``countries``.
    """
    n = len(countries)
    names: list[str] = [""] * n
    cities: list[str] = [""] * n
    pattern = rng.integers(
        0, 10, size=n
    )  # 0-4 family+trade, 5-6 two families, 7-8 city+trade, 9 family only
    r = rng.random((n, 5))
    for ci, country in enumerate(COUNTRIES):
        idx = np.flatnonzero(countries == ci)
        if idx.size == 0:
            continue
        fam, cit, frm = country.families, country.cities, country.forms
        trd = (
            trades
            if (trades is not None and country.code in ("DE", "AT", "CH"))
            else country.trades
        )
        for i in idx:
            ri = r[i]
            f1 = fam[int(ri[0] * len(fam))]
            f2 = fam[int(ri[1] * len(fam))]
            tr = trd[int(ri[2] * len(trd))]
            city = cit[int(ri[3] * len(cit))]
            form = frm[int(ri[4] * len(frm))]
            p = pattern[i]
            if p <= 4:
                core = f"{f1} {tr}"
            elif p <= 6 and f1 != f2:
                core = f"{f1}{country.joiner}{f2}"
            elif p <= 8:
                core = (
                    f"{_city_adjective(city)} {tr}"
                    if country.code in ("DE", "AT", "CH")
                    else f"{tr} {city}"
                )
            else:
                core = f"{f1} {tr}"
            names[i] = f"{form} «{core}»" if _prefix_form(country) else f"{core} {form}"
            cities[i] = city
    return names, cities


def unique_names(names: pd.Series, cities: pd.Series) -> pd.Series:
    """Make names unique: a repeated name gets its city as a branch suffix ("Müller Hydraulik
    GmbH, Ulm"), a name still repeated then a running number ("..., Ulm 2")."""
    out = names.where(~names.duplicated(keep="first"), names + ", " + cities)
    while out.duplicated().any():
        k = out.groupby(out).cumcount()
        out = out.where(k == 0, out + " " + (k + 1).astype(str))
    return out
