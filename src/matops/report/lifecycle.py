"""Asset lifecycle: what leaves support or warranty in the next 12, 24 and 36 months.

The starting point of a refresh plan. Pure: takes each school's register rows and the scan date.
Disposed assets are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from matops.inventory.model import Asset
from matops.report.model import LifecycleBand, LifecycleItem

HORIZONS = (12, 24, 36)
MEASURES = ("support", "warranty")


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier).

    >>> months_between(date(2026, 1, 15), date(2027, 1, 14)), months_between(date(2026, 3, 1), date(2026, 1, 1))
    (11, -2)
    """  # noqa: E501
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def _ends(asset: Asset, measure: str) -> date | None:
    return asset.end_of_support if measure == "support" else asset.warranty_end


def lifecycle(
    registers: Mapping[str, Sequence[Asset]], today: date
) -> tuple[list[LifecycleBand], list[LifecycleItem]]:
    """Counts per school and measure, and the assets ending within 36 months (or already ended).

    >>> a = Asset(asset_tag="A1", type="laptop", model="X", end_of_support=date(2027, 6, 1))
    >>> bands, items = lifecycle({"oak": [a]}, date(2026, 11, 22))
    >>> bands[0].within_12, bands[0].within_24, items[0].months
    (1, 1, 6)
    """
    bands: list[LifecycleBand] = []
    items: list[LifecycleItem] = []
    for school in sorted(registers):
        live = [a for a in registers[school] if a.disposed_date is None]
        for measure in MEASURES:
            counts = {"already": 0, "unknown": 0, 12: 0, 24: 0, 36: 0}
            for asset in live:
                ends = _ends(asset, measure)
                if ends is None:
                    counts["unknown"] += 1
                    continue
                months = months_between(today, ends)
                if ends < today:
                    counts["already"] += 1
                for horizon in HORIZONS:
                    if today <= ends and months < horizon:
                        counts[horizon] += 1
                if ends < today or months < HORIZONS[-1]:
                    items.append(
                        LifecycleItem(
                            school,
                            asset.asset_tag,
                            asset.type.value,
                            asset.model,
                            measure,
                            ends,
                            months,
                        )
                    )
            bands.append(
                LifecycleBand(
                    school=school,
                    measure=measure,
                    already=counts["already"],
                    within_12=counts[12],
                    within_24=counts[24],
                    within_36=counts[36],
                    unknown=counts["unknown"],
                )
            )
    items.sort(key=lambda i: (i.school, i.measure, i.ends, i.asset_tag))
    return bands, items
