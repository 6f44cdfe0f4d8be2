"""Laptops and desktops came with three years' warranty and tablets with two."""

from __future__ import annotations

from matops.inventory.model import Asset, AssetType
from matops.scan.helpers import add_years
from matops.scan.verdict import Verdict, failed, not_applicable, passed

YEARS = {AssetType.LAPTOP: 3, AssetType.DESKTOP: 3, AssetType.TABLET: 2}


def judge(asset: Asset) -> Verdict:
    """Compare warranty end with purchase date plus the type's warranty years."""
    years = YEARS.get(asset.type)
    if years is None:
        return not_applicable(f"no warranty minimum for {asset.type.value}s")
    if asset.purchase_date is None or asset.warranty_end is None:
        return not_applicable("purchase date or warranty end not recorded")
    needed = add_years(asset.purchase_date, years)
    if asset.warranty_end < needed:
        return failed(f"warranty to {asset.warranty_end}; {years} years needs {needed}")
    return passed(f"warranty to {asset.warranty_end} covers {years} years")
