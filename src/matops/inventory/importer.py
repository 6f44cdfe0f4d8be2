"""Normalise an asset tool's or a spreadsheet's export into the canonical register.

Columns are matched by name and judged by content (:mod:`matops.inventory.import_columns`),
values read as UK tools write them (:mod:`matops.inventory.import_values`). The result says
which column fed each field and which were passed over, how values were translated (with the
lines they were on), and every rejected row with its line and reason: nothing is silently
guessed or dropped.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matops.inventory.import_columns import FIELDS, IMPORT_ONLY, ColumnChoice, choose_columns
from matops.inventory.import_values import (
    Category,
    Standing,
    Status,
    add_months,
    category_from_model,
    parse_category,
    parse_cost,
    parse_months,
    parse_status,
    parse_uk_date,
)
from matops.inventory.model import Asset
from matops.source.pydantic_errors import describe

__all__ = ["ImportResult", "import_csv", "merge_assets", "parse_uk_date", "read_export"]

REQUIRED = ("asset_tag", "model")


@dataclass
class ImportResult:
    """What an import took, how it read it, and what it could not take (line -> reason)."""

    assets: list[Asset] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    """The export line each of ``assets`` came from."""
    rejected: list[tuple[int, str]] = field(default_factory=list)
    choices: list[ColumnChoice] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    translations: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """(what the export said, what the register got) -> the lines it happened on."""

    @property
    def columns(self) -> dict[str, str]:
        """Chosen header -> the field it feeds."""
        return {c.header: c.field for c in self.choices if c.header is not None}


class RowError(ValueError):
    """A row that cannot become a register row; the message says why."""


@dataclass
class _Reader:
    """Turns one export row into register values, noting each translation it makes."""

    indexes: dict[str, int]
    notes: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    pending: list[tuple[str, str, int]] = field(default_factory=list)
    """This row's translations, kept only if the row is taken."""

    def cell(self, row: list[str], name: str) -> str:
        index = self.indexes.get(name)
        return row[index].strip() if index is not None else ""

    def note(self, line: int, said: str, became: str) -> None:
        self.pending.append((said, became, line))

    def commit(self) -> None:
        """The row was taken: its translations count."""
        for said, became, line in self.pending:
            self.notes[(said, became)].append(line)
        self.pending.clear()

    def read(self, row: list[str], line: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        self.pending.clear()
        for name, spec in FIELDS.items():
            value = self.cell(row, name)
            if not value or name in IMPORT_ONLY or spec.kind == "category":
                continue
            if spec.kind == "date":
                data[name] = parse_uk_date(value)
            elif spec.kind == "money":
                data[name] = parse_cost(value)
            else:
                data[name] = value
        self._assignee(row, line, data)
        self._model(row, line, data)
        self._type(row, line, data)
        self._warranty(row, line, data)
        self._status(row, line, data)
        return data

    def _assignee(self, row: list[str], line: int, data: dict[str, Any]) -> None:
        kind = self.cell(row, "assigned_type").lower()
        if kind in ("location", "asset") and "assigned_to" in data:
            del data["assigned_to"]
            self.note(line, f"checked out to a {kind}", "assigned_to left empty (not a person)")

    def _model(self, row: list[str], line: int, data: dict[str, Any]) -> None:
        maker = self.cell(row, "manufacturer")
        model = data.get("model")
        if maker and model and not model.lower().startswith(maker.lower()):
            data["model"] = f"{maker} {model}"
            self.note(line, "Manufacturer + Model", "model as 'Manufacturer Model'")

    def _type(self, row: list[str], line: int, data: dict[str, Any]) -> None:
        text = self.cell(row, "type")
        category: Category | None
        if text:
            category = parse_category(text)
            said = f"category {text!r}"
        else:
            category = category_from_model(data.get("model", ""))
            if category is None:
                raise RowError("no asset type: the category is empty and the model does not say")
            said = "model names its type (no category)"
        data["type"] = category.type
        became = f"type {category.type.value}"
        named = category_from_model(data.get("model", "")) if text else None
        if category.os is None and named is not None and named.type is category.type:
            category = named  # "Tablets" + "Apple iPad (9th generation)": iPadOS
        if category.os and not data.get("os"):
            data["os"] = category.os
            became += f", os {category.os}"
        self.note(line, said, became)

    def _warranty(self, row: list[str], line: int, data: dict[str, Any]) -> None:
        text = self.cell(row, "warranty_months")
        if not text:
            return
        months = parse_months(text)
        bought: date | None = data.get("purchase_date")
        if bought is None:
            if "warranty_end" not in data:
                self.note(line, "warranty in months", "no warranty_end: no purchase date")
            return
        computed = add_months(bought, months)
        given: date | None = data.get("warranty_end")
        if given is None:
            data["warranty_end"] = computed
            self.note(line, "warranty in months", "warranty_end = purchase date + months")
        elif abs((given - computed).days) > 1:  # some tools end it the day before
            self.note(line, "warranty months disagree with the warranty end date", "end date kept")

    def _status(self, row: list[str], line: int, data: dict[str, Any]) -> None:
        text = self.cell(row, "status")
        if not text:
            return
        status: Status = parse_status(text)
        disposed = data.get("disposed_date")
        if status.standing is Standing.GONE and disposed is None:
            raise RowError(
                f"status {text!r} says the asset has gone, but the export gives no disposal date: "
                "add the date it left (a 'Disposed' column) or correct the status"
            )
        if status.standing is Standing.LIVE and disposed is not None:
            raise RowError(
                f"status {text!r} says the asset is still here, but it has a disposal date "
                f"({disposed}): correct one of them"
            )
        self.note(line, f"status {text!r}", status.meaning)


def _records(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip() for h in next(reader, [])]

    def rows() -> Iterator[tuple[int, list[str]]]:
        last = reader.line_num
        for row in reader:
            yield last + 1, row
            last = reader.line_num

    return header, rows()


def import_csv(text: str) -> ImportResult:
    """Normalise export CSV text into assets, collecting rejected rows with reasons.

    Raises ``ValueError`` when the export has no column for a required field.
    """
    header, records = _records(text)
    try:
        rows = [(line, row) for line, row in records if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise ValueError(f"CSV error: {exc}") from exc
    result = ImportResult()
    plan = choose_columns(header, [row for _, row in rows if len(row) == len(header)])
    result.choices, result.ignored_columns = plan.choices, plan.ignored
    missing = [f for f in REQUIRED if plan.index(f) is None]
    if missing:
        raise ValueError(f"no column for {', '.join(missing)} (found: {header})")
    reader = _Reader({c.field: c.index for c in plan.choices if c.index is not None})
    seen: dict[str, dict[str, int]] = {"asset_tag": {}, "serial": {}}
    for line, row in rows:
        try:
            asset = _take(reader, header, row, line, seen)
        except (RowError, ValueError) as exc:
            result.rejected.append((line, str(exc)))
            continue
        reader.commit()
        result.assets.append(asset)
        result.lines.append(line)
    result.translations = dict(reader.notes)
    return result


def _take(
    reader: _Reader, header: list[str], row: list[str], line: int, seen: dict[str, dict[str, int]]
) -> Asset:
    if len(row) != len(header):
        raise RowError(
            f"{len(row)} fields where the header has {len(header)} "
            "(a comma or quote out of place?): row not read"
        )
    try:
        asset = Asset.model_validate(reader.read(row, line))
    except ValidationError as exc:
        raise RowError("; ".join(describe(e) for e in exc.errors())) from exc
    if asset.purchase_date and asset.warranty_end and asset.warranty_end < asset.purchase_date:
        raise RowError(
            f"warranty_end {asset.warranty_end} is before purchase_date {asset.purchase_date}"
        )
    for name in ("asset_tag", "serial"):
        value = getattr(asset, name)
        if value is None:
            continue
        first = seen[name].setdefault(value.upper(), line)
        if first != line:
            raise RowError(f"{name} {value} is already on line {first}")
    return asset


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


def line_ranges(lines: list[int]) -> str:
    """Lines as short ranges.

    >>> line_ranges([2, 3, 4, 7, 9, 10])
    '2-4, 7, 9-10'
    """
    parts: list[str] = []
    start = prev = lines[0]
    for n in [*lines[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
