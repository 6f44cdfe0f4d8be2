"""Normalise a spreadsheet export of assets into the canonical register.

Column names are matched loosely (``Serial No.``, ``Asset Number``, ``Date Purchased`` …), dates
accept UK forms (``31/01/2024``, ``31-01-24``, ``31 Jan 2024``) and asset types common synonyms.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matops.inventory.assets import COLUMNS
from matops.inventory.model import Asset, AssetType
from matops.source.pydantic_errors import describe

COLUMN_ALIASES: dict[str, str] = {
    **{c.replace("_", ""): c for c in COLUMNS},
    **dict.fromkeys(("assetno", "assetnumber", "assetid", "tag", "asset", "tagno"), "asset_tag"),
    **dict.fromkeys(("devicetype", "category", "assettype", "kind", "class"), "type"),
    **dict.fromkeys(("modelname", "makemodel", "makeandmodel", "product", "description"), "model"),
    **dict.fromkeys(("serialnumber", "serialno", "sn", "servicetag"), "serial"),
    **dict.fromkeys(("room", "site", "building", "locationroom"), "location"),
    **dict.fromkeys(("user", "owner", "assignee", "allocatedto", "issuedto"), "assigned_to"),
    **dict.fromkeys(("devicename", "computername", "name", "host"), "hostname"),
    **dict.fromkeys(("purchased", "datepurchased", "dateofpurchase", "bought"), "purchase_date"),
    **dict.fromkeys(
        ("warranty", "warrantyexpiry", "warrantyexpires", "warrantyenddate", "warrantyuntil"),
        "warranty_end",
    ),
    **dict.fromkeys(("operatingsystem", "firmware", "ostype"), "os"),
    **dict.fromkeys(("version", "firmwareversion", "osbuild", "build"), "os_version"),
    **dict.fromkeys(
        ("eos", "eol", "endoflife", "supportend", "supportedto", "eosdate"), "end_of_support"
    ),
    **dict.fromkeys(("disposed", "disposaldate", "dateofdisposal", "writtenoff"), "disposed_date"),
}

TYPE_ALIASES: dict[str, AssetType] = {
    **{t.value.replace("_", ""): t for t in AssetType},
    **dict.fromkeys(("notebook", "chromebook", "macbook", "ultrabook"), AssetType.LAPTOP),
    **dict.fromkeys(("pc", "desktoppc", "workstation", "allinone", "imac"), AssetType.DESKTOP),
    **dict.fromkeys(("ipad", "tab", "androidtablet"), AssetType.TABLET),
    **dict.fromkeys(("networkswitch", "poeswitch"), AssetType.SWITCH),
    **dict.fromkeys(("ap", "wap", "wirelessaccesspoint", "wifi"), AssetType.ACCESS_POINT),
    **dict.fromkeys(("interactivedisplay", "panel", "projector", "monitor"), AssetType.DISPLAY),
    **dict.fromkeys(("mfd", "copier", "photocopier"), AssetType.PRINTER),
}

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
)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def parse_uk_date(text: str) -> date:
    """Parse a date as a UK spreadsheet writes it.

    >>> parse_uk_date("03/04/2021")
    datetime.date(2021, 4, 3)
    """
    cleaned = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (try DD/MM/YYYY)")


@dataclass
class ImportResult:
    """What an import took and what it could not take (CSV row → reason)."""

    assets: list[Asset] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)


def map_columns(header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map spreadsheet headers onto register columns; return the mapping and ignored headers."""
    mapping: dict[str, str] = {}
    ignored = []
    for name in header:
        column = COLUMN_ALIASES.get(_key(name))
        if column is None or column in mapping.values():
            ignored.append(name)
        else:
            mapping[name] = column
    return mapping, ignored


def _normalise_row(row: dict[str, str], mapping: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for header, column in mapping.items():
        value = (row.get(header) or "").strip()
        if not value:
            continue
        if column.endswith("_date") or column in ("warranty_end", "end_of_support"):
            data[column] = parse_uk_date(value)
        elif column == "type":
            kind = TYPE_ALIASES.get(_key(value))
            if kind is None:
                raise ValueError(f"unknown asset type {value!r}; valid: {', '.join(AssetType)}")
            data[column] = kind
        else:
            data[column] = value
    return data


def import_csv(text: str) -> ImportResult:
    """Normalise spreadsheet CSV text into assets, collecting rejected rows with reasons."""
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    result = ImportResult()
    result.columns, result.ignored_columns = map_columns(list(reader.fieldnames or []))
    missing = {"asset_tag", "type", "model"} - set(result.columns.values())
    if missing:
        raise ValueError(f"no column for {', '.join(sorted(missing))} (found: {reader.fieldnames})")
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            result.assets.append(Asset.model_validate(_normalise_row(row, result.columns)))
        except ValidationError as exc:
            result.rejected.append((line, "; ".join(describe(e) for e in exc.errors())))
        except ValueError as exc:
            result.rejected.append((line, str(exc)))
    return result


def merge_assets(existing: list[Asset], new: list[Asset]) -> list[Asset]:
    """Existing register with imported rows replacing same-tag rows and new rows appended."""
    by_tag = {a.asset_tag: a for a in existing}
    for asset in new:
        by_tag[asset.asset_tag] = asset
    return list(by_tag.values())


def read_export(path: Path) -> str:
    """Read a spreadsheet export, tolerating a BOM and Windows-1252 from older tools."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
