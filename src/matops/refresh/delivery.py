"""A supplier's delivery note (CSV) read into the new devices of an endpoint refresh.

Suppliers export delivery notes loosely: a few lines of letterhead before the header, column
names of their own (``Serial No.``, ``S/N``, ``Product Description``, ``Your Order Ref``), the
serials of a line of several units in one cell, Windows-1252 text. This reader finds the header
row, matches columns by name as the asset importer does (and says which column it chose when
several match), gives one device per serial, and reports every problem as ``path:line``.

>>> note = parse_delivery_note(
...     "Serial Number,Description,PO\\n5CD1,HP ProBook 450 G10,PO-1\\n", Path("note.csv"))
>>> [(d.serial, d.model, d.order_ref, d.line) for d in note.devices], note.problems
([('5CD1', 'HP ProBook 450 G10', 'PO-1', 2)], [])
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from matops.inventory.import_columns import FIELDS as ASSET_FIELDS
from matops.inventory.import_values import key
from matops.inventory.importer import read_export
from matops.source.problems import Problem


def _merged(*names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for group in names for n in group))


FIELDS: dict[str, tuple[str, ...]] = {
    "serial": _merged(
        ASSET_FIELDS["serial"].aliases,
        ("serialnumbers", "serials", "deviceserial", "deviceserialnumber", "unitserial"),
    ),
    "model": _merged(
        ASSET_FIELDS["model"].aliases, ("productdescription", "itemdescription", "item")
    ),
    "order_ref": (
        "orderref",
        "orderreference",
        "yourorderref",
        "yourref",
        "customerref",
        "customerorderref",
        "ponumber",
        "pono",
        "po",
        "purchaseorder",
        "purchaseordernumber",
        "customerpo",
        "orderno",
        "ordernumber",
        "salesorder",
    ),
    "quantity": ("qty", "quantity", "units", "qtyshipped", "qtydelivered", "shipped"),
}
"""Field → header names (compared as the asset importer compares them: lower-case letters and
digits only), in order of preference: when several headers match, the earliest name here wins
(the trust's own purchase order reference before the supplier's sales order number). Serial
and model start from the importer's own names for the register's columns."""

REQUIRED = ("serial",)
"""A note without a model column is still a delivery (Windows Autopilot's import CSV, which
suppliers send for the devices they register, has serials and hardware hashes only)."""
HEADER_SEARCH_ROWS = 15
"""Rows looked at for the header: letterhead lines before it are skipped."""

_SPLIT = re.compile(r"[;,/\s|]+")


def normalise_serial(text: str) -> str:
    """A serial as the management planes' serials are compared: stripped, upper case.

    >>> normalise_serial(" 5cd2-41x ")
    '5CD2-41X'
    """
    return text.strip().upper()


@dataclass(frozen=True)
class DeliveredDevice:
    """One device on a delivery note: where it came from (file, line) and what it is."""

    serial: str
    model: str | None
    order_ref: str | None
    source: Path
    line: int

    @property
    def where(self) -> str:
        """``path:line`` of the note row."""
        return f"{self.source}:{self.line}"


@dataclass
class DeliveryNote:
    """What a note gave: devices, the columns chosen (field → header), notes and problems."""

    devices: list[DeliveredDevice] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    header_line: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def choose_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Field → column index, by the earliest preferred name; and notes on columns passed over.

    >>> choose_columns(["Sales Order", "Your Order Ref", "Serial", "Model"])[0]
    {'serial': 2, 'model': 3, 'order_ref': 1}
    """
    keys = [key(h) for h in header]
    chosen: dict[str, int] = {}
    notes: list[str] = []
    for name, aliases in FIELDS.items():
        found = [i for alias in aliases for i, k in enumerate(keys) if k == alias]
        if not found:
            continue
        chosen[name] = found[0]
        others = [header[i] for i in dict.fromkeys(found[1:])]
        if others:
            passed = ", ".join(repr(o) for o in others)
            notes.append(f"{name}: took {header[found[0]]!r}, not {passed}")
    return chosen, notes


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int], list[str]]:
    """The index (in ``rows``) of the first row naming a serial column."""
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        chosen, notes = choose_columns(row)
        if all(f in chosen for f in REQUIRED):
            return index, chosen, notes
    return -1, {}, []


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Every CSV record with the line it starts on (blank lines left out)."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((start, row))
        start = reader.line_num + 1
    return rows


def parse_delivery_note(text: str, path: Path) -> DeliveryNote:
    """Read delivery-note CSV text (see the module's docstring); problems name ``path:line``."""
    note = DeliveryNote()
    try:
        rows = _rows(text)
    except csv.Error as exc:
        note.problems.append(Problem(path, 1, f"CSV error: {exc}"))
        return note
    index, columns, notes = _find_header(rows)
    if index < 0:
        line = rows[0][0] if rows else 1
        wanted = f"no header row with a column for serial in the first {HEADER_SEARCH_ROWS} rows"
        note.problems.append(Problem(path, line, wanted))
        return note
    note.header_line, header = rows[index]
    note.columns = {f: header[i].strip() for f, i in columns.items()}
    note.notes = notes
    if "model" not in columns:
        note.notes.append("no model column: the devices' models are not known from the note")
    seen: dict[str, int] = {}
    for line, row in rows[index + 1 :]:
        if len(row) != len(header):
            note.problems.append(
                Problem(
                    path,
                    line,
                    f"{len(row)} fields where the header (line {note.header_line}) "
                    f"has {len(header)}",
                )
            )
            continue
        for device in _devices(row, columns, path, line, note.problems, note.notes):
            if device.serial in seen:
                note.problems.append(
                    Problem(
                        path, line, f"serial {device.serial} is also on line {seen[device.serial]}"
                    )
                )
                continue
            seen[device.serial] = line
            note.devices.append(device)
    return note


def _devices(
    row: list[str],
    columns: dict[str, int],
    path: Path,
    line: int,
    problems: list[Problem],
    notes: list[str],
) -> list[DeliveredDevice]:
    """The devices of one row: one per serial in its serial cell, checked against a quantity."""
    cell = {f: row[i].strip() for f, i in columns.items()}
    serials = [normalise_serial(s) for s in _SPLIT.split(cell["serial"]) if s.strip()]
    if not serials:  # accessories (keyboards, cables) are delivered without serials
        what = cell.get("model") or "the row"
        notes.append(f"line {line}: {what!r} has no serial number: not a device to enrol")
        return []
    if "model" in columns and not cell["model"]:
        problems.append(Problem(path, line, f"no model for serial {serials[0]}"))
        return []
    quantity = cell.get("quantity", "")
    if quantity:
        if not quantity.isdigit():
            problems.append(Problem(path, line, f"quantity {quantity!r} is not a whole number"))
            return []
        if int(quantity) != len(serials):
            problems.append(
                Problem(
                    path,
                    line,
                    f"quantity {quantity} but {len(serials)} "
                    f"serial{'s' if len(serials) != 1 else ''}",
                )
            )
            return []
    ref = cell.get("order_ref") or None
    model = cell.get("model") or None
    return [DeliveredDevice(s, model, ref, path, line) for s in serials]


def read_delivery_note(path: Path) -> DeliveryNote:
    """Read one delivery note file (UTF-8 with or without BOM, or Windows-1252)."""
    try:
        text = read_export(path)
    except OSError as exc:
        note = DeliveryNote()
        note.problems.append(Problem(path, 1, f"cannot read the delivery note: {exc.strerror}"))
        return note
    return parse_delivery_note(text, path)
