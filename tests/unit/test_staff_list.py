"""The staff list (people/staff.csv): loose column names and UK dates like the asset importer,
every problem at its CSV line, and the example trust's list loaded into the trust."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from matops.inventory.loader import load_trust
from matops.inventory.staff_csv import map_staff_columns, parse_staff

REPO = Path(__file__).resolve().parents[2]
PATH = Path("people/staff.csv")


@pytest.mark.parametrize(
    "header",
    [
        "Name,Email,Start,Leave Date",
        "Staff Name;Email Address;Date Started;Date Left",
        "Employee\tUPN\tEmployment Start\tEnd Date",
        "FULL NAME,Work E-mail,start_date,Leaving date",
    ],
)
def test_loose_headers_and_separators(header: str) -> None:
    sep = ";" if ";" in header else "\t" if "\t" in header else ","
    row = sep.join(["Ann Lee", "Ann.Lee@School.example", "01/09/2015", "31 Aug 2026"])
    rows, problems = parse_staff(f"{header}\n{row}\n", PATH)
    assert problems == []
    member = rows[0].member
    assert (member.email, member.start, member.leave_date) == (
        "ann.lee@school.example",
        date(2015, 9, 1),
        date(2026, 8, 31),
    )
    assert member.has_left(date(2026, 9, 1)) and not member.has_left(date(2026, 8, 31))


def test_unknown_columns_are_ignored_and_blank_rows_skipped() -> None:
    mapping, ignored = map_staff_columns(["Name", "Email", "Leave", "Payroll No"])
    assert sorted(mapping.values()) == ["email", "leave_date", "name"] and ignored == ["Payroll No"]
    rows, problems = parse_staff("Name,Email,Leave\n,,\nA B,a@b.example,\n", PATH)
    assert problems == [] and [r.line for r in rows] == [3]


def test_problems_name_the_line() -> None:
    text = (
        "Name,Email,Start,Leave\n"
        "A B,a@b.example,01/09/2020,\n"
        "C D,not-an-email,,\n"
        "E F,e@b.example,01/09/2020,01/01/2019\n"
        "G H,A@B.example,,\n"
    )
    rows, problems = parse_staff(text, PATH)
    found = [(p.line, p.message.split(":")[0]) for p in problems]
    assert found == [
        (3, "email"),
        (4, "e@b.example"),
        (5, "a@b.example is listed twice (also on line 2)"),
    ]
    assert [r.member.email for r in rows] == ["a@b.example", "e@b.example"]


def test_example_trust_has_leavers_past_their_date() -> None:
    trust = load_trust(REPO / "inventories" / "example-trust")
    left = [m.email for m in trust.staff if m.has_left(date(2026, 12, 1))]
    assert len(trust.staff) >= 10 and len(left) >= 2
    assert any(m.leave_date and not m.has_left(date(2026, 12, 1)) for m in trust.staff)
    assert [t.name for t in trust.settings.tenants] == ["northfield-m365", "northfield-google"]
