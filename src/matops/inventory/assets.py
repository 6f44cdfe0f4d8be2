"""The asset register: one CSV per school, ``assets/<school>.csv``, validated row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from matops.inventory.model import Asset
from matops.source.problems import Problem
from matops.source.pydantic_errors import describe

COLUMNS: tuple[str, ...] = tuple(Asset.model_fields)
"""The register's columns, in order."""

REQUIRED_COLUMNS = ("asset_tag", "type", "model")


def _row_problems(
    path: Path, row: int, values: dict[str, str]
) -> tuple[Asset | None, list[Problem]]:
    data: dict[str, Any] = {k: (v.strip() or None) for k, v in values.items() if k in COLUMNS}
    try:
        asset = Asset.model_validate(data)
    except ValidationError as exc:
        return None, [Problem(path, row, _describe_cell(e)) for e in exc.errors()]
    if asset.purchase_date and asset.warranty_end and asset.warranty_end < asset.purchase_date:
        message = (
            f"asset {asset.asset_tag}: warranty_end {asset.warranty_end} is before "
            f"purchase_date {asset.purchase_date}"
        )
        return asset, [Problem(path, row, message)]
    if asset.disposal_ref and asset.disposed_date is None:
        message = (
            f"asset {asset.asset_tag}: disposal_ref {asset.disposal_ref!r} is given but "
            "disposed_date is empty (give the date it was disposed of)"
        )
        return asset, [Problem(path, row, message)]
    return asset, []


def _describe_cell(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    date_field = field.endswith("_date") or field in ("warranty_end", "end_of_support")
    if date_field and error["type"].startswith("date"):
        return f"{field}: {error['input']!r} is not a date (use YYYY-MM-DD)"
    if field == "cost" and error["type"].startswith("decimal"):
        return f"cost: {error['input']!r} is not an amount in pounds (use 1249.99: no £, no commas)"
    return describe(error)


class Row(NamedTuple):
    """An asset with the CSV row it came from (header = row 1)."""

    asset: Asset
    line: int


def read_register(path: Path) -> tuple[list[Row], list[Problem]]:
    """Read one school's register. Row numbers count the header as row 1.

    Problems name the file and row; bad rows are left out of the returned assets.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(path, 1, f"file is not UTF-8 text: {exc.reason}")]
    return parse_register(text, path)


def parse_register(text: str, path: Path) -> tuple[list[Row], list[Problem]]:
    """Parse register CSV text (see :func:`read_register`)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(path, 1, f"CSV error: {exc}")]
    if header is None:
        return [], [Problem(path, 1, "empty register: expected a header row")]
    header = [h.strip() for h in header]
    problems = _header_problems(path, header)
    if problems:
        return [], problems
    assets: list[Row] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                message = f"expected {len(header)} columns, found {len(row)}"
                problems.append(Problem(path, line, message))
                continue
            asset, row_problems = _row_problems(path, line, dict(zip(header, row, strict=True)))
            problems.extend(row_problems)
            if asset is not None and not row_problems:
                assets.append(Row(asset, line))
    except csv.Error as exc:
        problems.append(Problem(path, reader.line_num, f"CSV error: {exc}"))
    return assets, problems


def _header_problems(path: Path, header: list[str]) -> list[Problem]:
    problems = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(
            Problem(path, 1, f"unknown columns {unknown}; valid columns: {', '.join(COLUMNS)}")
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(Problem(path, 1, f"missing required columns {missing}"))
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(Problem(path, 1, f"duplicate columns {duplicated}"))
    return problems


def write_register(path: Path, assets: Iterable[Asset]) -> None:
    """Write assets as a canonical register (ISO dates, fixed column order)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for asset in assets:
        row = asset.model_dump(mode="json")
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    path.write_text(buffer.getvalue(), encoding="utf-8")
