"""Reading the staff list, ``people/staff.csv``: an MIS or HR export with loose column names.

Column names are matched loosely (``Full Name``, ``Work Email``, ``Leaving Date``…) and dates in
the forms UK spreadsheets write, as the asset importer does; every problem is ``path:line``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from matops.inventory.importer import parse_uk_date, read_export
from matops.inventory.staff import StaffMember
from matops.source.problems import Problem
from matops.source.pydantic_errors import describe

STAFF_FILE = Path("people") / "staff.csv"
"""Where a trust keeps its staff list, relative to the trust folder."""

COLUMN_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("name", "fullname", "staffname", "displayname", "employee", "employeename", "person"),
        "name",
    ),
    **dict.fromkeys(
        (
            "email",
            "emailaddress",
            "workemail",
            "schoolemail",
            "mail",
            "upn",
            "userprincipalname",
            "login",
            "account",
        ),
        "email",
    ),
    **dict.fromkeys(
        ("start", "startdate", "started", "datestarted", "employmentstart", "joined", "datejoined"),
        "start",
    ),
    **dict.fromkeys(
        (
            "leave",
            "leavedate",
            "leavingdate",
            "left",
            "dateleft",
            "enddate",
            "employmentend",
            "contractend",
            "leaver",
            "leaverdate",
        ),
        "leave_date",
    ),
}
"""Header (lower case, letters and digits only) → staff list column."""


class StaffRow(NamedTuple):
    """A member of staff with the CSV line they came from (header = line 1)."""

    member: StaffMember
    line: int


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def map_staff_columns(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Header positions → columns (first match wins), and the headers left unused.

    >>> map_staff_columns(["Full Name", "Work Email", "Date Started", "Leaving Date", "Dept"])
    ({0: 'name', 1: 'email', 2: 'start', 3: 'leave_date'}, ['Dept'])
    """
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        column = COLUMN_ALIASES.get(_key(name))
        if column is None or column in mapping.values():
            ignored.append(name)
        else:
            mapping[index] = column
    return mapping, ignored


def _member(cells: list[str], mapping: dict[int, str]) -> StaffMember:
    data: dict[str, Any] = {}
    for index, column in mapping.items():
        value = cells[index].strip() if index < len(cells) else ""
        if not value:
            continue
        data[column] = parse_uk_date(value) if column in ("start", "leave_date") else value
    return StaffMember.model_validate(data)


def parse_staff(text: str, path: Path) -> tuple[list[StaffRow], list[Problem]]:
    """Read staff list CSV text; each problem names ``path`` and the CSV line.

    >>> rows, problems = parse_staff("Name,Email,Leave Date\\nA. Lee,a.lee@x.org,31/08/2026\\n",
    ...                              Path("people/staff.csv"))
    >>> rows[0].member.leave_date, rows[0].line, problems
    (datetime.date(2026, 8, 31), 2, [])
    """
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(path, 1, f"CSV error: {exc}")]
    if header is None:
        return [], [Problem(path, 1, "empty staff list: expected a header row")]
    mapping, _ignored = map_staff_columns(header)
    missing = [c for c in ("name", "email", "leave_date") if c not in mapping.values()]
    if missing:
        found = ", ".join(h for h in header if h.strip()) or "none"
        message = f"no column for {', '.join(missing)} (found: {found})"
        return [], [Problem(path, 1, message)]
    return _rows(reader, mapping, path)


def _rows(
    reader: Iterator[list[str]], mapping: dict[int, str], path: Path
) -> tuple[list[StaffRow], list[Problem]]:
    rows: list[StaffRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    line = 1
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            problems.append(Problem(path, line + 1, f"CSV error: {exc}"))
            break
        if cells is None:
            break
        line = getattr(reader, "line_num", line + 1)
        if not any(c.strip() for c in cells):
            continue
        try:
            member = _member(cells, mapping)
        except ValidationError as exc:
            problems.extend(Problem(path, line, describe(e)) for e in exc.errors())
            continue
        except ValueError as exc:
            problems.append(Problem(path, line, str(exc)))
            continue
        if member.start and member.leave_date and member.leave_date < member.start:
            message = (
                f"{member.email}: leave date {member.leave_date} is before start {member.start}"
            )
            problems.append(Problem(path, line, message))
        if member.email in seen:
            message = f"{member.email} is listed twice (also on line {seen[member.email]})"
            problems.append(Problem(path, line, message))
            continue
        seen[member.email] = line
        rows.append(StaffRow(member, line))
    return rows, problems


def read_staff(root: Path) -> tuple[list[StaffRow], list[Problem]]:
    """The trust's staff list (``people/staff.csv`` under ``root``); none when absent."""
    path = root / STAFF_FILE
    if not path.is_file():
        return [], []
    return parse_staff(read_export(path), path)
