"""The five-year replacement and budget plan, from the asset registers and a trust price list.

Pure apart from :func:`plan_for` (which reads ``inventories/<trust>/prices.yml``).

**When a row is due.** A live register row (no ``disposed_date``) is due at the earlier of its
``end_of_support`` and its purchase date plus the trust's refresh age for its type
(``trust.refresh_policy.device_refresh_years``, the same setting ``device_within_refresh_age``
judges). A row with neither date is *undated*; one due after the plan's last year is *later*.
A row already due before the plan starts is put in the first year and marked overdue.

**Financial years** are academy financial years, 1 September to 31 August (``2026-27``). The plan
covers the year the plan date falls in and the four after it. Each row is planned once: the
replacement's own next refresh is not projected.

**Prices** (pounds) come first from the price list's ``models`` (the row's model, exactly), then
from the row's own register ``cost`` (what that asset cost when bought: nearer to its
replacement than a price for a whole type), then from the price list's ``types``. A row with
none of them is counted as *unpriced* and the year's total says so.

The price list is :mod:`matops.inventory.prices` (``prices.yml``), checked when the inventory
loads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from matops.inventory.model import Asset, AssetType, RefreshPolicy, Trust
from matops.inventory.prices import PRICES_FILE, Prices, load_prices
from matops.scan.helpers import add_years
from matops.source.problems import ProblemsError

PLAN_YEARS = 5


class PriceListError(ProblemsError):
    """The trust's ``prices.yml`` is invalid: the plan's costs cannot be trusted."""


def plan_for(root: Path, trust: Trust, today: date) -> BudgetPlan:
    """The trust's plan from its registers and ``<root>/prices.yml``; raises
    :class:`PriceListError` (every problem as ``path:line: message``) when the list is invalid."""
    prices, problems = load_prices(root / PRICES_FILE)
    if problems:
        raise PriceListError(problems)
    registers = {s.id: s.assets for s in trust.schools}
    return five_year_plan(registers, trust.settings.refresh_policy, prices.prices, today)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """An academy financial year, 1 September to 31 August, named by the year it starts in.

    >>> fy = FinancialYear.of(date(2027, 3, 1))
    >>> fy.label, fy.start, fy.end
    ('2026-27', datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    >>> FinancialYear.of(date(2026, 9, 1)).label
    '2026-27'
    """

    start_year: int

    @classmethod
    def of(cls, day: date) -> FinancialYear:
        """The financial year ``day`` falls in."""
        return cls(day.year if day.month >= 9 else day.year - 1)

    @property
    def start(self) -> date:
        """1 September."""
        return date(self.start_year, 9, 1)

    @property
    def end(self) -> date:
        """31 August of the next calendar year."""
        return date(self.start_year + 1, 8, 31)

    @property
    def label(self) -> str:
        """``2026-27``."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"


def due(asset: Asset, policy: RefreshPolicy) -> tuple[date, str] | None:
    """When a row is due for replacement and why (the earlier of support end and refresh age).

    >>> policy = RefreshPolicy(device_refresh_years={"laptop": 5})
    >>> a = Asset(asset_tag="A", type="laptop", model="X", purchase_date=date(2022, 1, 10),
    ...           end_of_support=date(2028, 6, 30))
    >>> due(a, policy)
    (datetime.date(2027, 1, 10), 'refresh age (5 years)')
    """
    found: list[tuple[date, str]] = []
    if asset.end_of_support is not None:
        found.append((asset.end_of_support, "end of support"))
    years = policy.device_refresh_years.get(asset.type.value)
    if years is not None and asset.purchase_date is not None:
        found.append((add_years(asset.purchase_date, years), f"refresh age ({years} years)"))
    return min(found) if found else None


def unit_price(asset: Asset, prices: Prices) -> tuple[Decimal | None, str]:
    """The price of one replacement and where it came from (model, register cost, type).

    >>> p = Prices(models={"X": Decimal("600")}, types={"laptop": Decimal("500")})
    >>> unit_price(Asset(asset_tag="A", type="laptop", model="X", cost=Decimal("450")), p)
    (Decimal('600'), 'price list: model')
    >>> unit_price(Asset(asset_tag="A", type="laptop", model="Y", cost=Decimal("450")), p)
    (Decimal('450'), 'register cost')
    >>> unit_price(Asset(asset_tag="A", type="tablet", model="Y"), p)
    (None, 'no price')
    """
    model_price = prices.models.get(asset.model.strip())
    if model_price is not None:
        return model_price, "price list: model"
    if asset.cost is not None:
        return asset.cost, "register cost"
    type_price = prices.types.get(asset.type)
    if type_price is not None:
        return type_price, "price list: type"
    return None, "no price"


@dataclass(frozen=True)
class Replacement:
    """One register row planned for replacement."""

    school: str
    asset_tag: str
    type: str
    model: str
    due: date
    reason: str
    year: str
    overdue: bool
    """Due before the plan's first year began."""
    unit_price: Decimal | None
    price_source: str


@dataclass(frozen=True)
class YearTotal:
    """What one financial year needs: rows, their cost and how many have no price."""

    year: str
    count: int
    cost: Decimal
    unpriced: int


@dataclass(frozen=True)
class ProcurementLine:
    """One school's replacements of one type and model in one year (for procurement)."""

    school: str
    year: str
    type: str
    model: str
    count: int
    unit_price: Decimal | None
    cost: Decimal
    price_source: str


@dataclass(frozen=True)
class SchoolPlan:
    """One school's plan: totals per year, rows due later and rows with no date."""

    school: str
    years: tuple[YearTotal, ...]
    later: int
    undated: int


@dataclass(frozen=True)
class BudgetPlan:
    """The trust's five-year plan."""

    years: tuple[str, ...]
    replacements: tuple[Replacement, ...]
    schools: tuple[SchoolPlan, ...]
    trust: tuple[YearTotal, ...]
    procurement: tuple[ProcurementLine, ...]

    @property
    def total(self) -> Decimal:
        """The five years' cost together."""
        return sum((t.cost for t in self.trust), Decimal(0))


def _totals(years: Sequence[str], rows: Sequence[Replacement]) -> tuple[YearTotal, ...]:
    out = []
    for year in years:
        in_year = [r for r in rows if r.year == year]
        priced = [r.unit_price for r in in_year if r.unit_price is not None]
        cost = sum(priced, Decimal(0))
        out.append(YearTotal(year, len(in_year), cost, len(in_year) - len(priced)))
    return tuple(out)


def _procurement(rows: Sequence[Replacement]) -> tuple[ProcurementLine, ...]:
    groups: dict[tuple[str, str, str, str, Decimal | None, str], int] = defaultdict(int)
    for r in rows:
        groups[(r.school, r.year, r.type, r.model, r.unit_price, r.price_source)] += 1
    lines = [
        ProcurementLine(school, year, kind, model, count, price, (price or Decimal(0)) * count, src)
        for (school, year, kind, model, price, src), count in groups.items()
    ]
    lines.sort(key=lambda p: (p.school, p.year, p.type, p.model, p.unit_price or Decimal(0)))
    return tuple(lines)


def five_year_plan(
    registers: Mapping[str, Sequence[Asset]],
    policy: RefreshPolicy,
    prices: Prices,
    today: date,
    span: int = PLAN_YEARS,
) -> BudgetPlan:
    """Plan each school's live register rows into the financial years from ``today``'s on.

    >>> policy = RefreshPolicy(device_refresh_years={"laptop": 5})
    >>> a = Asset(asset_tag="A", type="laptop", model="X", purchase_date=date(2022, 10, 1))
    >>> plan = five_year_plan({"oak": [a]}, policy, Prices(types={"laptop": Decimal(500)}),
    ...                       date(2026, 12, 5))
    >>> plan.years[0], [(t.year, t.count, t.cost) for t in plan.trust if t.count]
    ('2026-27', [('2027-28', 1, Decimal('500'))])
    """
    first = FinancialYear.of(today)
    fyears = [FinancialYear(first.start_year + n) for n in range(span)]
    labels = tuple(fy.label for fy in fyears)
    rows: list[Replacement] = []
    schools: list[SchoolPlan] = []
    for school in sorted(registers):
        later = undated = 0
        mine: list[Replacement] = []
        for asset in registers[school]:
            if asset.disposed_date is not None:
                continue
            when = due(asset, policy)
            if when is None:
                undated += 1
                continue
            day, reason = when
            if day > fyears[-1].end:
                later += 1
                continue
            year = FinancialYear.of(max(day, first.start)).label
            price, source = unit_price(asset, prices)
            mine.append(
                Replacement(
                    school, asset.asset_tag, asset.type.value, asset.model, day, reason, year,
                    day < first.start, price, source,
                )
            )  # fmt: skip
        mine.sort(key=lambda r: (r.due, r.asset_tag))
        rows += mine
        schools.append(SchoolPlan(school, _totals(labels, mine), later, undated))
    return BudgetPlan(
        labels, tuple(rows), tuple(schools), _totals(labels, rows), _procurement(rows)
    )


@dataclass(frozen=True)
class Minimum:
    """A DfE minimum a replacement must meet: the standard's ID and the fact, in our words."""

    standard: str
    requirement: str


_ENDPOINT = (Minimum("DFE-DEV-03.1", "an enterprise or education edition of its operating system"),)
DFE_MINIMUMS: dict[AssetType, tuple[Minimum, ...]] = {
    AssetType.LAPTOP: (
        *_ENDPOINT,
        Minimum("DFE-DEV-03.2", "security updates for at least 5 years from purchase"),
        Minimum("DFE-DEV-03.3", "a warranty of at least 3 years"),
        Minimum("DFE-DEV-03.4", "Wi-Fi 802.11ac Wave 2 or newer (Wi-Fi 6 recommended)"),
    ),
    AssetType.DESKTOP: (
        *_ENDPOINT,
        Minimum("DFE-DEV-03.2", "security updates for at least 5 years from purchase"),
        Minimum("DFE-DEV-03.3", "a warranty of at least 3 years"),
    ),
    AssetType.TABLET: (
        *_ENDPOINT,
        Minimum("DFE-DEV-03.2", "maker's support and updates for at least 3 years"),
        Minimum("DFE-DEV-03.3", "a warranty of at least 2 years"),
        Minimum("DFE-DEV-03.4", "Wi-Fi 802.11ac Wave 2 or newer"),
        Minimum("DFE-DEV-03.5", "a screen of 9.7 inches or more"),
    ),
    AssetType.SWITCH: (
        Minimum("DFE-SW-02.1", "warranty and support with firmware updates for at least 5 years"),
        Minimum("DFE-SW-01.1", "1 Gbps or faster to every desk"),
        Minimum("DFE-SW-01.2", "multi-gigabit ports for access points and servers"),
        Minimum("DFE-SW-01.3", "40 Gbps between stack members over stacking ports"),
        Minimum("DFE-SW-01.4", "at least 2 x 10 Gbps from a hub room to the core"),
        Minimum("DFE-SW-01.5", "512 MB memory, 16,000 MAC addresses, a non-blocking fabric"),
        Minimum("DFE-SW-01.6", "rapid or multiple spanning tree"),
        Minimum("DFE-SW-01.7", "PoE to 802.3af/at/bt as needed, with LLDP-MED"),
        Minimum("DFE-SW-01.8", "energy-efficient Ethernet (802.3az)"),
    ),
    AssetType.ACCESS_POINT: (
        Minimum("DFE-WL-01", "the latest Wi-Fi standard when upgrading: Wi-Fi 7 (802.11be)"),
        Minimum("DFE-WL-03", "managed from one central tool that alerts on failure"),
        Minimum("DFE-WL-03.1", "security and firmware updates applied automatically"),
        Minimum("DFE-WL-03.3", "warranty and support covering licences and firmware"),
        Minimum("DFE-WL-04.1", "WPA3, Enterprise (802.1X) where possible"),
    ),
    AssetType.SERVER: (
        Minimum("DFE-SRV-01.2", "valid warranty and support; replaced before either ends"),
        Minimum(
            "DFE-SRV-01.3",
            "for critical data: two power supplies, mirrored disks, a UPS "
            "giving 30 minutes or more with automatic shutdown",
        ),
        Minimum("DFE-SRV-03", "energy efficient (ENERGY STAR or equivalent), right-sized"),
    ),
    AssetType.FIREWALL: (
        Minimum("DFE-CYBER-03.2", "firmware its maker still updates, kept current each term"),
    ),
}
"""What a replacement of each type must meet, from the DfE digital and technology standards
(facts from the standards, in our own words; IDs as in ``checks/frameworks/dfe_standards.yml``)."""
