"""Laptops and desktops were bought with at least five years of security updates ahead."""

from __future__ import annotations

from matops.inventory.model import Asset
from matops.scan.helpers import add_years
from matops.scan.verdict import Verdict, failed, not_applicable, passed

YEARS = 5


def judge(asset: Asset) -> Verdict:
    """Compare end of support with purchase date plus five years."""
    if asset.purchase_date is None or asset.end_of_support is None:
        return not_applicable("purchase date or end of support not recorded")
    needed = add_years(asset.purchase_date, YEARS)
    if asset.end_of_support < needed:
        return failed(
            f"bought {asset.purchase_date} with support to {asset.end_of_support}; "
            f"{YEARS} years needs {needed}"
        )
    return passed(f"supported to {asset.end_of_support}, {YEARS}+ years from purchase")
