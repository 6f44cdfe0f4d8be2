"""The five-year plan: totals against a hand-computed example, the price list's problems with
file and line, the example trust's own price list, and the DfE minimums' IDs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from matops.handbook.budget import DFE_MINIMUMS, five_year_plan
from matops.inventory import load
from matops.inventory.model import Asset, RefreshPolicy
from matops.inventory.prices import Prices, load_prices
from matops.scan.catalogue import load_catalogue

REPO = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 5)  # financial year 2026-27 (1 Sep 2026 - 31 Aug 2027)
POLICY = RefreshPolicy(device_refresh_years={"laptop": 5, "switch": 8, "tablet": 4})
PRICES = Prices(
    models={"C9200L-24P-4G": Decimal("2150.00")},
    types={"laptop": Decimal("560.00"), "tablet": Decimal("380.00")},
)


def _asset(tag: str, kind: str, model: str, **dates: object) -> Asset:
    return Asset.model_validate({"asset_tag": tag, "type": kind, "model": model, **dates})


OAK = [
    # bought 2021-10-01 + 5 years = 2026-10-01 (support ends later): 2026-27, type price 560
    _asset("O1", "laptop", "L1", purchase_date="2021-10-01", end_of_support="2029-01-01"),
    # bought 2020-01-01 + 5 = 2025-01-01: overdue, planned in 2026-27, its register cost 430
    _asset("O2", "laptop", "L2", purchase_date="2020-01-01", cost="430.00"),
    # refresh age 2019-09-01 + 8 = 2027-09-01, earlier than its support end 2028-06-30:
    # 2027-28, model price 2150 (beats its register cost 1999)
    _asset(
        "O3",
        "switch",
        "C9200L-24P-4G",
        purchase_date="2019-09-01",
        end_of_support="2028-06-30",
        cost="1999.00",
    ),
    # support ends 2031-08-31, the plan's last day (2030-31): type price 380
    _asset("O4", "tablet", "T1", end_of_support="2031-08-31"),
    # support ends 2031-09-01: after the plan -> later
    _asset("O5", "tablet", "T1", end_of_support="2031-09-01"),
    # disposed of: left out
    _asset("O6", "laptop", "L1", purchase_date="2015-01-01", disposed_date="2020-01-01"),
    # no dates at all: undated
    _asset("O7", "laptop", "L1"),
]
RIV = [
    # support ends 2027-08-31 (last day of 2026-27): 560
    _asset("R1", "laptop", "L1", end_of_support="2027-08-31"),
    # support ends 2027-09-01 (first day of 2027-28): 560
    _asset("R2", "laptop", "L1", end_of_support="2027-09-01"),
    # a display: no refresh age, no price anywhere: 2028-29, unpriced
    _asset("R3", "display", "D1", end_of_support="2029-03-01"),
]


def test_totals_match_the_hand_computed_example() -> None:
    plan = five_year_plan({"oak": OAK, "riv": RIV}, POLICY, PRICES, TODAY)
    assert plan.years == ("2026-27", "2027-28", "2028-29", "2029-30", "2030-31")
    # oak: 2026-27 = O1 560 + O2 430 = 990 (2 rows); 2027-28 = O3 2150; 2030-31 = O4 380
    # riv: 2026-27 = R1 560; 2027-28 = R2 560; 2028-29 = R3 unpriced
    # trust: 2026-27 = 990 + 560 = 1550 (3); 2027-28 = 2150 + 560 = 2710 (2);
    #        2028-29 = 0 (1 unpriced); 2029-30 = 0; 2030-31 = 380 (1)
    trust = [(t.year, t.count, t.cost, t.unpriced) for t in plan.trust]
    assert trust == [
        ("2026-27", 3, Decimal("1550.00"), 0),
        ("2027-28", 2, Decimal("2710.00"), 0),
        ("2028-29", 1, Decimal("0"), 1),
        ("2029-30", 0, Decimal("0"), 0),
        ("2030-31", 1, Decimal("380.00"), 0),
    ]
    # 1550 + 2710 + 0 + 0 + 380 = 4640
    assert plan.total == Decimal("4640.00")
    oak, riv = plan.schools
    assert [(y.count, y.cost) for y in oak.years] == [
        (2, Decimal("990.00")),
        (1, Decimal("2150.00")),
        (0, Decimal("0")),
        (0, Decimal("0")),
        (1, Decimal("380.00")),
    ]
    assert (oak.later, oak.undated) == (1, 1)
    assert (riv.later, riv.undated) == (0, 0)
    assert sum(y.cost for y in riv.years) == Decimal("1120.00")  # 560 + 560


def test_each_row_says_when_why_and_at_what_price() -> None:
    plan = five_year_plan({"oak": OAK}, POLICY, PRICES, TODAY)
    rows = {r.asset_tag: r for r in plan.replacements}
    assert set(rows) == {"O1", "O2", "O3", "O4"}
    assert (rows["O1"].due, rows["O1"].reason) == (date(2026, 10, 1), "refresh age (5 years)")
    assert rows["O2"].overdue and rows["O2"].year == "2026-27"
    assert (rows["O2"].unit_price, rows["O2"].price_source) == (Decimal("430.00"), "register cost")
    assert (rows["O3"].due, rows["O3"].price_source) == (date(2027, 9, 1), "price list: model")
    assert (rows["O4"].reason, rows["O4"].year) == ("end of support", "2030-31")
    assert not rows["O1"].overdue


def test_procurement_lines_group_by_model_and_price() -> None:
    plan = five_year_plan({"riv": RIV}, POLICY, PRICES, TODAY)
    lines = [(p.year, p.model, p.count, p.cost, p.price_source) for p in plan.procurement]
    assert lines == [
        ("2026-27", "L1", 1, Decimal("560.00"), "price list: type"),
        ("2027-28", "L1", 1, Decimal("560.00"), "price list: type"),
        ("2028-29", "D1", 1, Decimal("0"), "no price"),
    ]


PRICE_CASES = [
    ("prices:\n  types:\n    lorry: 100\n", 3, "prices.types.lorry"),
    ("prices:\n  models:\n    X: -5\n", 3, "greater than 0"),
    ("prices:\n  models:\n    X: 12.345\n", 3, "decimal places"),
    ("prices:\n  models:\n    X: cheap\n", 3, "prices.models.X"),
    ("prices:\n  types: {}\n  currency: GBP\n", 3, "unknown field 'currency'"),
    ("price:\n  types: {}\n", 1, "unknown field 'price'"),
    ("prices:\n  models: [1\n", 3, ""),
]


@pytest.mark.parametrize(("text", "line", "words"), PRICE_CASES)
def test_invalid_price_lists_name_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = tmp_path / "prices.yml"
    path.write_text(text)
    _, problems = load_prices(path)
    assert problems, text
    assert problems[0].path == path
    assert problems[0].line == line, str(problems[0])
    assert words in str(problems[0]), str(problems[0])
    assert str(problems[0]).startswith(f"{path}:{line}: ")


def test_a_missing_price_list_leaves_every_row_unpriced(tmp_path: Path) -> None:
    prices, problems = load_prices(tmp_path / "prices.yml")
    assert problems == []
    plan = five_year_plan({"riv": RIV}, POLICY, prices.prices, TODAY)
    assert all(r.price_source == "no price" for r in plan.replacements)
    assert [t.unpriced for t in plan.trust] == [t.count for t in plan.trust]


def test_the_example_trust_is_priced_and_planned() -> None:
    root = REPO / "inventories" / "example-trust"
    prices, problems = load_prices(root / "prices.yml")
    assert problems == []
    trust = load(root).trust
    assert trust is not None
    registers = {s.id: s.assets for s in trust.schools}
    plan = five_year_plan(registers, trust.settings.refresh_policy, prices.prices, TODAY)
    assert {s.school for s in plan.schools} == set(registers)
    assert all(t.unpriced == 0 for t in plan.trust)
    assert plan.total > 0
    # every switch model in the registers has its own price, not a type's
    switches = [r for r in plan.replacements if r.type == "switch"]
    assert switches and all(r.price_source == "price list: model" for r in switches)


def test_minimums_name_controls_of_the_dfe_framework() -> None:
    framework = yaml.safe_load((REPO / "checks/frameworks/dfe_standards.yml").read_text())
    ids = {c["id"] for c in framework["controls"]}
    named = {m.standard for minimums in DFE_MINIMUMS.values() for m in minimums}
    assert named <= ids, named - ids


def test_the_plan_agrees_with_the_refresh_age_check() -> None:
    """Every example row that device_within_refresh_age fails on a day is, in the plan made that
    day, overdue in the first year; every row it passes is not overdue for its refresh age."""
    root = REPO / "inventories" / "example-trust"
    trust = load(root).trust
    assert trust is not None
    check = load_catalogue().checks["device_within_refresh_age"]
    policy = trust.settings.refresh_policy
    day = date(2027, 9, 1)  # the first day of 2027-28: overdue means due before it
    plan = five_year_plan({s.id: s.assets for s in trust.schools}, policy, Prices(), day)
    rows = {(r.school, r.asset_tag): r for r in plan.replacements}
    failed = 0
    for school in trust.schools:
        for asset in school.assets:
            verdict = check.judge(asset=asset, refresh_policy=policy, scan_date=day)
            row = rows.get((school.id, asset.asset_tag))
            if verdict.status.value == "fail":
                failed += 1
                assert row is not None and row.overdue and row.year == "2027-28", asset.asset_tag
            elif verdict.status.value == "pass" and row is not None and row.overdue:
                assert row.reason == "end of support", asset.asset_tag
    assert failed > 10
