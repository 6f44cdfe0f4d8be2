"""The five-year plan's page helpers: the chart's bars and figures, the board's table, a school's
procurement lines, escaping, and an invalid price list stopping the page with file:line."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from markupsafe import escape

from matops.handbook.budget import (
    BudgetPlan,
    PriceListError,
    YearTotal,
    five_year_plan,
    plan_for,
)
from matops.handbook.budget_page import (
    budget_chart_svg,
    plan_page,
    plan_section,
    school_plan_html,
    trust_chart,
    trust_plan_html,
)
from matops.handbook.site import HandbookContext
from matops.inventory import load
from matops.inventory.model import Asset, RefreshPolicy
from matops.inventory.prices import Prices

REPO = Path(__file__).resolve().parents[3]
TODAY = date(2026, 12, 5)
SVG = "{http://www.w3.org/2000/svg}"


def _assets() -> list[Asset]:
    return [
        Asset(asset_tag="A1", type="laptop", model="L<1>", end_of_support=date(2027, 3, 1)),
        Asset(asset_tag="A2", type="laptop", model="L<1>", end_of_support=date(2027, 4, 1)),
        Asset(asset_tag="A3", type="switch", model="S1", end_of_support=date(2029, 1, 1)),
        Asset(asset_tag="A4", type="display", model="D1", end_of_support=date(2029, 1, 1)),
    ]


def _plan() -> BudgetPlan:
    prices = Prices(models={"S1": Decimal("2000")}, types={"laptop": Decimal("500")})
    return five_year_plan({"oak": _assets()}, RefreshPolicy(), prices, TODAY)


def test_the_chart_has_a_bar_per_year_scaled_to_its_cost() -> None:
    totals = [
        YearTotal("2026-27", 2, Decimal("1000"), 0),
        YearTotal("2027-28", 0, Decimal("0"), 0),
        YearTotal("2028-29", 1, Decimal("500"), 1),
    ]
    root = ET.fromstring(str(budget_chart_svg(totals, "Oak")))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") != "#ffffff"]
    assert len(bars) == 3
    heights = [float(r.get("height", "0")) for r in bars]
    assert heights[1] == 0 and heights[0] == pytest.approx(2 * heights[2])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"£1,000", "£0", "£500", "2026-27", "2 items", "1 item, 1 unpriced"} <= set(texts)


def test_the_board_table_and_a_schools_procurement_lines() -> None:
    plan = _plan()
    board = str(trust_plan_html(plan, {"oak": "Oak & Ash Primary"}))
    assert "Oak &amp; Ash Primary" in board and "Oak & Ash" not in board
    # 2026-27: two laptops at 500 = 1000; 2028-29: the switch 2000 and the unpriced display
    assert "£1,000" in board and "£2,000" in board and "1 unpriced" in board
    assert "DFE-SW-02.1" in board and "DFE-DEV-03.4" in board
    school = str(school_plan_html(plan, "oak", "Oak"))
    assert "L&lt;1&gt;" in school and "<1>" not in school
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", school)
    cells = [r.split("</td><td>") for r in rows]
    assert [(c[0], c[2], c[3], c[5]) for c in cells] == [
        ("2026-27", "L&lt;1&gt;", "2", "£1,000"),
        ("2028-29", "D1", "1", "£0"),
        ("2028-29", "S1", "1", "£2,000"),
    ]


def test_the_example_trusts_page_and_sections_render() -> None:
    root = REPO / "inventories" / "example-trust"
    trust = load(root).trust
    assert trust is not None
    ctx = HandbookContext(root=root, trust=trust, built=TODAY)
    page = str(plan_page(ctx))
    assert page.count("<svg") == 1
    for school in trust.schools:
        assert str(escape(school.info.name)) in page
        section = str(plan_section(ctx, school))
        assert section.count("<svg") == 1 and "price list: model" in section


def test_an_invalid_price_list_stops_the_inventory_and_the_page(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(REPO / "inventories" / "example-trust", root)
    trust = load(root).trust
    assert trust is not None
    (root / "prices.yml").write_text("prices:\n  types:\n    laptop: free\n")
    result = load(root)
    assert result.trust is None
    assert [str(p) for p in result.problems if "prices" in str(p)] == [
        f"{root / 'prices.yml'}:3: prices.types.laptop: Input should be a valid decimal"
    ]
    with pytest.raises(PriceListError) as caught:
        plan_page(HandbookContext(root=root, trust=trust, built=TODAY))
    assert str(caught.value).startswith(f"{root / 'prices.yml'}:3: prices.types.laptop")


EXAMPLE = REPO / "inventories" / "example-trust"
README_CHART = REPO / "docs" / "img" / "handbook-plan.svg"
README_CHART_DAY = date(2026, 12, 5)
"""The README's picture is the example trust's plan chart as the handbook built on this day
shows it. When the registers or prices change, write it again:
``python -c "from tests.unit.handbook.test_budget_page import write_readme_chart as w; w()"``."""


def _readme_chart() -> str:
    trust = load(EXAMPLE).trust
    assert trust is not None
    page = str(plan_page(HandbookContext(root=EXAMPLE, trust=trust, built=README_CHART_DAY)))
    chart = str(trust_chart(plan_for(EXAMPLE, trust, README_CHART_DAY)))
    assert chart in page
    return chart + "\n"


def write_readme_chart() -> None:
    """Write the README's picture of the plan chart (see :data:`README_CHART_DAY`)."""
    README_CHART.write_text(_readme_chart(), encoding="utf-8")


def test_the_readme_picture_is_the_example_trusts_chart() -> None:
    assert README_CHART.read_text(encoding="utf-8") == _readme_chart(), (
        "docs/img/handbook-plan.svg is out of date: see README_CHART_DAY for how to write it"
    )
