"""The asset register's ``cost`` and ``disposal_ref`` columns: optional, validated, written back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from matops.inventory.assets import COLUMNS, parse_register, read_register, write_register

HEADER = "asset_tag,type,model,serial,purchase_date,disposed_date,cost,disposal_ref\n"
PATH = Path("assets/alpha-primary.csv")


def test_registers_without_the_new_columns_stay_valid() -> None:
    rows, problems = parse_register("asset_tag,type,model\nA-1,laptop,Dell Latitude 3440\n", PATH)
    assert problems == []
    assert rows[0].asset.cost is None
    assert rows[0].asset.disposal_ref is None


def test_cost_and_disposal_ref_are_read_and_written_back(tmp_path: Path) -> None:
    text = HEADER + (
        "A-1,laptop,Dell Latitude 3440,ABC123,2021-09-03,2025-07-21,649.99,CDD-2025-0142\n"
        'A-2,switch,Cisco C9200L-48P-4G,FOC1,2022-08-23,,"1250",\n'
    )
    rows, problems = parse_register(text, PATH)
    assert problems == []
    first, second = (r.asset for r in rows)
    assert first.cost == Decimal("649.99")
    assert first.disposal_ref == "CDD-2025-0142"
    assert first.disposed_date == date(2025, 7, 21)
    assert second.cost == Decimal("1250")
    target = tmp_path / "register.csv"
    write_register(target, [first, second])
    written = target.read_text().splitlines()
    assert written[0] == ",".join(COLUMNS)
    assert written[0].endswith(",cost,disposal_ref")
    assert written[1].endswith(",649.99,CDD-2025-0142")
    again, problems = read_register(target)
    assert problems == []
    assert [r.asset for r in again] == [first, second]


def test_a_cost_with_a_pound_sign_or_commas_is_a_problem_on_its_line() -> None:
    text = HEADER + 'A-1,laptop,Dell,S1,,,"£1,249.00",\nA-2,laptop,Dell,S2,,,-5,\n'
    rows, problems = parse_register(text, PATH)
    assert rows == []
    assert [(p.line, p.message) for p in problems] == [
        (2, "cost: '£1,249.00' is not an amount in pounds (use 1249.99: no £, no commas)"),
        (3, "cost: Input should be greater than or equal to 0"),
    ]


def test_a_disposal_reference_needs_the_disposal_date() -> None:
    rows, problems = parse_register(HEADER + "A-1,laptop,Dell,S1,,,,CDD-9\n", PATH)
    assert rows == []
    assert [(p.line, p.message) for p in problems] == [
        (2, "asset A-1: disposal_ref 'CDD-9' is given but disposed_date is empty "
            "(give the date it was disposed of)"),
    ]  # fmt: skip
