"""Read the values of an asset tool's export: UK dates, months, pounds, categories and statuses.

Each reader returns the register's value or raises ``ValueError`` saying what the cell holds and
what was expected, so the importer can reject the row on its line. Nothing is guessed: a value
that does not read is an error, never a default.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from matops.inventory.model import AssetType

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
)

_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$")
_EPOCH_MS = re.compile(r"^\d{12,13}$")


def key(text: str) -> str:
    """A header or value reduced to lower-case letters and digits, for loose matching.

    >>> key("Warranty Expires")
    'warrantyexpires'
    """
    return re.sub(r"[^a-z0-9]", "", text.lower())


def parse_uk_date(text: str) -> date:
    """Parse a date as a UK spreadsheet or an asset tool writes it.

    Day-first forms (``03/04/2021``), ISO dates and timestamps (Snipe-IT's ``2021-04-03``,
    ``2021-04-03T10:00:00Z``) and the Directory API's milliseconds since 1970
    (``autoUpdateExpiration``).

    >>> parse_uk_date("03/04/2021")
    datetime.date(2021, 4, 3)
    >>> parse_uk_date("1782777600000")
    datetime.date(2026, 6, 30)
    """
    cleaned = text.strip()
    if _EPOCH_MS.match(cleaned):
        return datetime.fromtimestamp(int(cleaned) / 1000, tz=UTC).date()
    if _ISO_TIMESTAMP.match(cleaned):
        return datetime.fromisoformat(cleaned.replace("Z", "+00:00")).date()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (try DD/MM/YYYY)")


_MONTHS = re.compile(r"^(?P<n>\d{1,3})\s*(?P<unit>months?|mths?|mo|m|years?|yrs?|y)?$")


def parse_months(text: str) -> int:
    """A warranty or life given as a length: ``36``, ``36 months``, ``3 years`` (in months).

    >>> parse_months("3 years"), parse_months("36")
    (36, 36)
    """
    match = _MONTHS.match(text.strip().lower())
    if match is None:
        raise ValueError(f"{text!r} is not a number of months (e.g. 36 or '3 years')")
    months = int(match["n"])
    if (match["unit"] or "m").startswith("y"):
        months *= 12
    return months


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months, on the same day of the month or the month's last day.

    >>> add_months(date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


_POUNDS = re.compile(r"^(?:£|gbp)?\s*(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?P<pence>\.\d{1,2})?$")


def parse_cost(text: str) -> Decimal:
    """An amount in pounds as asset tools and spreadsheets write it: ``£1,249.00``, ``1249.5``.

    Other currencies, negative amounts and continental separators are errors.

    >>> parse_cost("£1,249.00"), parse_cost("GBP 329")
    (Decimal('1249.00'), Decimal('329'))
    """
    cleaned = text.strip().replace("\u00a3 ", "£")
    match = _POUNDS.match(cleaned.lower())
    if match is None:
        raise ValueError(f"cost {text!r} is not an amount in pounds (e.g. £1,249.00)")
    try:
        return Decimal(match["whole"].replace(",", "") + (match["pence"] or ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits digits only
        raise ValueError(f"cost {text!r} is not an amount in pounds") from exc


@dataclass(frozen=True)
class Category:
    """What a tool's category means in the register: a type, and the OS it implies if any."""

    type: AssetType
    os: str | None = None


_CATEGORY_WORDS: dict[str, Category] = {
    **{t.value.replace("_", ""): Category(t) for t in AssetType},
    **dict.fromkeys(("notebook", "ultrabook"), Category(AssetType.LAPTOP)),
    "chromebook": Category(AssetType.LAPTOP, "ChromeOS"),
    "chromebox": Category(AssetType.DESKTOP, "ChromeOS"),
    "macbook": Category(AssetType.LAPTOP, "macOS"),
    "imac": Category(AssetType.DESKTOP, "macOS"),
    "ipad": Category(AssetType.TABLET, "iPadOS"),
    **dict.fromkeys(
        ("pc", "desktoppc", "workstation", "allinone", "computer"), Category(AssetType.DESKTOP)
    ),
    **dict.fromkeys(("tab", "androidtablet"), Category(AssetType.TABLET)),
    **dict.fromkeys(("networkswitch", "poeswitch", "edgeswitch"), Category(AssetType.SWITCH)),
    **dict.fromkeys(
        ("ap", "wap", "wirelessaccesspoint", "wifi", "wirelessap", "wifiaccesspoint"),
        Category(AssetType.ACCESS_POINT),
    ),
    **dict.fromkeys(
        ("interactivedisplay", "interactivepanel", "panel", "projector", "monitor"),
        Category(AssetType.DISPLAY),
    ),
    **dict.fromkeys(("mfd", "copier", "photocopier"), Category(AssetType.PRINTER)),
    **dict.fromkeys(
        ("mobilephone", "voipphone", "deskphone", "conferencephone", "smartphone"),
        Category(AssetType.PHONE),
    ),
    "uninterruptiblepowersupply": Category(AssetType.UPS),
}


def _singular(word: str) -> str:
    for suffix, replacement in (("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ses", "s")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word[:-1] if word.endswith("s") else word


def parse_category(text: str) -> Category:
    """A tool's category (``Laptops``, ``Chromebook``, ``Access Points``) as a register type.

    A Chromebook is a laptop running ChromeOS (the register's ``os`` says which plane manages
    it), an iPad a tablet running iPadOS.

    >>> parse_category("Chromebooks")
    Category(type=<AssetType.LAPTOP: 'laptop'>, os='ChromeOS')
    >>> parse_category("Switches").type.value
    'switch'
    """
    word = key(text)
    found = _CATEGORY_WORDS.get(word) or _CATEGORY_WORDS.get(_singular(word))
    if found is None:
        raise ValueError(f"unknown asset type {text!r}; valid: {', '.join(AssetType)}")
    return found


def category_from_model(model: str) -> Category | None:
    """The category a model's name gives away (``Lenovo 300e Chromebook Gen 3``), if any.

    >>> category_from_model("Lenovo 300e Chromebook Gen 3").os
    'ChromeOS'
    >>> category_from_model("Latitude 5440") is None
    True
    """
    words = {key(w) for w in re.split(r"[\s/()-]+", model) if w}
    for word in ("chromebook", "chromebox", "ipad", "macbook", "imac"):
        if word in words:
            return _CATEGORY_WORDS[word]
    return None


class Standing(StrEnum):
    """Where a status puts an asset: still the school's (``live``) or gone from it."""

    LIVE = "live"
    GONE = "gone"


@dataclass(frozen=True)
class Status:
    """A tool's status read: live or gone, and what the importer makes of it."""

    standing: Standing
    meaning: str


_LIVE = "in use or in stock (no disposal date)"
_STATUS_WORDS: dict[str, Status] = {
    **dict.fromkeys(
        (
            "deployed",
            "deployable",
            "readytodeploy",
            "pending",
            "instock",
            "spare",
            "active",
            "inuse",
            "available",
            "outforrepair",
            "outfordiagnostics",
            "inrepair",
            "onloan",
            "provisioned",
            "preprovisioned",
        ),
        Status(Standing.LIVE, _LIVE),
    ),
    **dict.fromkeys(
        ("broken", "brokennotfixable", "undeployable", "faulty", "damaged"),
        Status(Standing.LIVE, "kept as live: a broken device still holds data until disposed of"),
    ),
    "disabled": Status(
        Standing.LIVE, "kept as live: disabled in management, the device still exists"
    ),
    **dict.fromkeys(
        (
            "archived",
            "disposed",
            "retired",
            "recycled",
            "sold",
            "writtenoff",
            "destroyed",
            "deprovisioned",
            "scrapped",
        ),
        Status(Standing.GONE, "disposed of: needs the disposal date"),
    ),
    **dict.fromkeys(
        ("lost", "stolen", "loststolen", "missing"),
        Status(Standing.GONE, "gone (lost or stolen): needs the date, recorded as disposed_date"),
    ),
}

_SNIPE_META = re.compile(r"^(?P<label>.*?)\s*\((?P<meta>[a-z]+)\)\s*$")


def parse_status(text: str) -> Status:
    """A tool's status label: Snipe-IT's ``Ready to Deploy (deployable)``, ``Archived``…

    Snipe-IT's custom report writes ``label (type)``: the label is read first, then its type
    (``deployable``, ``pending``, ``archived``, ``undeployable``, ``deployed``) for labels a
    school made up.

    >>> parse_status("Ready to Deploy (deployed)").standing.value
    'live'
    >>> parse_status("Sent to WEEE (archived)").standing.value
    'gone'
    """
    match = _SNIPE_META.match(text.strip())
    label, meta = (match["label"], match["meta"]) if match else (text, None)
    found = _STATUS_WORDS.get(key(label))
    if found is None and meta is not None:
        found = _STATUS_WORDS.get(meta)
    if found is None:
        raise ValueError(
            f"unknown status {text!r}: expected one like deployed, ready to deploy, pending, "
            "broken, archived, disposed, lost/stolen"
        )
    return found
