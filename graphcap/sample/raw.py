"""The sample network written as raw system exports, with the quirks real exports have.

``write_raw(network, shape, folder)`` writes one of :data:`SHAPES`; the recipe of the same name in
``loaders/recipes/`` turns it back into the canonical tables. What each shape carries (and so what
an import of it can give back):

``erp``
    company codes (the business units), customer master (``KNA1.csv``: ``;``, decimal
    commas, ``DD.MM.YYYY`` dates, ``NULL`` strings, duplicate rows, a later row with a name variant
    for the same number), supplier master (``LFA1.csv``), order headers (``VBAK.csv``: cp1252,
    ``;``, decimal commas, ``NULL``, German document types with ``ß`` and an en dash) and order
    lines (``VBAP.csv``: the value split over 1-3 lines). Carries the customers, suppliers and units, every contact between
    them (date, channel, value: no sentiment) and so the relationships added up from it.
``crm``
    accounts (every stakeholder but the units, with type, segment, country, city, since, revenue,
    CLV), contacts (people at the accounts) and activities (by contact, not by account: the recipe
    joins them), with sentiment and amount. Carries all stakeholders and the whole interaction log.
``meetings``
    a meeting register in Excel: date, unit, and the organisations met, several in one cell
    (``A; B; C``), some under variant names (upper case, no accents, another legal form, an
    acronym). Carries the meetings and the names of those met.
``ratings``
    a headerless CSV ``rater,ratee,rating,epoch``: the focal unit's contacts rated -10..+10
    (sentiment x 10, rounded), epoch seconds, one self-rating to filter out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphcap.errors import ConfigError
from graphcap.i18n import gettext
from graphcap.model import Network
from graphcap.sample.raw_logs import write_meetings, write_ratings

__all__ = ["SHAPES", "write_raw"]

#: raw export shapes and what they hold
SHAPES: dict[str, str] = {
    "erp": "customer and supplier masters, company codes, order headers and lines",
    "crm": "accounts, contacts and activities",
    "meetings": "an Excel meeting register with messy names, several organisations per cell",
    "ratings": "a headerless signed rating log (-10..+10) in epoch seconds",
}

#: interaction channel -> ERP document type (cp1252 characters on purpose)
ERP_DOC_TYPES = {
    "call": "Telefonauftrag",
    "email": "E-Mail-Auftrag",
    "meeting": "Besprechung",
    "visit": "Außendienstbesuch",
    "event": "Messe – Veranstaltung",
}


def _write(
    path: Path,
    rows: list[list[Any]],
    header: list[str] | None,
    *,
    sep: str = ",",
    encoding: str = "utf-8",
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _de_number(value: float) -> str:
    return "NULL" if value is None or value != value else f"{value:.2f}".replace(".", ",")


def _de_date(value: Any) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%d.%m.%Y")


def _text(value: Any, null: str = "") -> str:
    return null if value is None or (isinstance(value, float) and value != value) else str(value)


def write_erp(net: Network, folder: Path, rng: np.random.Generator) -> None:
    nodes = net.nodes
    units = nodes[nodes["type"] == "organization"]
    _write(
        folder / "T001.csv",
        [[r.id, r.name, _text(r.city)] for r in units.itertuples()],
        ["BUKRS", "BUTXT", "ORT01"],
    )
    customers = nodes[nodes["type"] == "customer"]
    rows = []
    for r in customers.itertuples():
        rows.append(
            [
                r.id,
                r.name,
                _text(r.country, "NULL"),
                _text(r.city, "NULL"),
                _text(r.segment, "NULL"),
                _text(r.region, "NULL"),
                _de_date(r.since),
                _de_number(r.revenue),
                _de_number(r.clv),
            ]
        )
    for k in rng.choice(len(rows), size=min(3, len(rows)), replace=False):
        rows.append(list(rows[k]))  # an exact duplicate row
    for k in rng.choice(len(customers), size=min(2, len(customers)), replace=False):
        variant = list(rows[k])
        variant[1] = variant[1].upper()  # the same number again, the name typed in capitals
        rows.append(variant)
    _write(
        folder / "KNA1.csv",
        rows,
        ["KUNNR", "NAME1", "LAND1", "ORT01", "BRSCH", "REGIO", "ERDAT", "UMSATZ", "CLV"],
        sep=";",
    )
    suppliers = nodes[nodes["type"] == "supplier"]
    _write(
        folder / "LFA1.csv",
        [
            [
                r.id,
                r.name,
                _text(r.country, "NULL"),
                _text(r.city, "NULL"),
                _text(r.segment, "NULL"),
                _de_date(r.since),
            ]
            for r in suppliers.itertuples()
        ],
        ["LIFNR", "NAME1", "LAND1", "ORT01", "BRSCH", "ERDAT"],
    )
    partners = set(customers["id"]) | set(suppliers["id"])
    log = net.interactions
    log = log[log["source"].isin(partners) | log["target"].isin(partners)].reset_index(drop=True)
    heads, lines = [], []
    for k, r in enumerate(log.itertuples(), start=1):
        inbound = r.source in partners
        partner, unit = (r.source, r.target) if inbound else (r.target, r.source)
        number = f"{4500000000 + k}"
        heads.append(
            [
                number,
                partner,
                unit,
                pd.Timestamp(r.date).strftime("%d.%m.%Y"),
                "E" if inbound else "A",
                ERP_DOC_TYPES.get(r.channel, r.channel),
                _de_number(r.value),
            ]
        )
        if r.value != r.value:
            continue  # an order without lines: no value
        cents = int(round(r.value * 100))
        parts = int(rng.integers(1, 4)) if cents >= 3 else 1
        cuts = (
            sorted(rng.choice(np.arange(1, cents), size=parts - 1, replace=False).tolist())
            if parts > 1
            else []
        )
        bounds = [0, *cuts, cents]
        for p in range(parts):
            lines.append([number, (p + 1) * 10, f"{(bounds[p + 1] - bounds[p]) / 100:.2f}"])
    _write(
        folder / "VBAK.csv",
        heads,
        ["VBELN", "PARTNER", "BUKRS", "AUDAT", "RICHTUNG", "AUART", "NETWR"],
        sep=";",
        encoding="cp1252",
    )
    _write(folder / "VBAP.csv", lines, ["VBELN", "POSNR", "NETWR"])


def write_crm(net: Network, folder: Path, rng: np.random.Generator) -> None:
    nodes = net.nodes
    units = nodes[nodes["type"] == "organization"]
    accounts = nodes[nodes["type"] != "organization"]
    _write(folder / "units.csv", [[r.id, r.name] for r in units.itertuples()], ["UnitId", "Name"])
    _write(
        folder / "accounts.csv",
        [
            [
                f"001{r.Index:05d}",
                r.id,
                r.name,
                r.type.capitalize(),
                _text(r.segment),
                _text(r.region),
                _text(r.country),
                _text(r.city),
                "" if pd.isna(r.since) else pd.Timestamp(r.since).strftime("%Y-%m-%d"),
                "" if r.revenue != r.revenue else f"{r.revenue:.2f}",
                "" if r.clv != r.clv else f"{r.clv:.2f}",
            ]
            for r in accounts.itertuples()
        ],
        [
            "AccountId",
            "AccountNumber",
            "Name",
            "Type",
            "Industry",
            "Region",
            "BillingCountry",
            "BillingCity",
            "CreatedDate",
            "AnnualRevenue",
            "LifetimeValue",
        ],
    )
    account_of = {r.id: f"001{r.Index:05d}" for r in accounts.itertuples()}
    contacts: list[list[Any]] = []
    by_account: dict[str, list[str]] = {}
    for acc_id in account_of.values():
        for _ in range(int(rng.integers(1, 4))):
            cid = f"003{len(contacts) + 1:06d}"
            contacts.append([cid, acc_id, f"Kontakt {len(contacts) + 1}"])
            by_account.setdefault(acc_id, []).append(cid)
    _write(folder / "contacts.csv", contacts, ["ContactId", "AccountId", "Name"])
    acts = []
    for k, r in enumerate(net.interactions.itertuples(), start=1):
        inbound = r.source in account_of
        stakeholder, unit = (r.source, r.target) if inbound else (r.target, r.source)
        who = by_account[account_of[stakeholder]]
        acts.append(
            [
                f"00T{k:07d}",
                pd.Timestamp(r.date).strftime("%Y-%m-%dT00:00:00"),
                r.channel.capitalize(),
                who[int(rng.integers(0, len(who)))],
                unit,
                "Inbound" if inbound else "Outbound",
                "" if r.value != r.value else f"{r.value:.2f}",
                "" if r.sentiment != r.sentiment else f"{r.sentiment:.2f}",
            ]
        )
    _write(
        folder / "activities.csv",
        acts,
        ["ActivityId", "ActivityDate", "Type", "WhoId", "Unit", "Direction", "Amount", "Sentiment"],
    )


def write_raw(network: Network, shape: str, folder: str | Path, *, seed: int = 7) -> dict[str, Any]:
    """Write ``network`` as the raw export ``shape`` into ``folder``; returns ground truth
    (``variants``: planted name variant -> the real name, for the meeting register)."""
    if shape not in SHAPES:
        raise ConfigError(
            gettext("raw export shape {shape!r} is unknown; choose one of {shapes}").format(
                shape=shape, shapes=", ".join(SHAPES)
            )
        )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    if shape == "erp":
        write_erp(network, folder, rng)
    elif shape == "crm":
        write_crm(network, folder, rng)
    elif shape == "meetings":
        return write_meetings(network, folder, rng)
    else:
        write_ratings(network, folder)
    return {}
