"""Laptops and desktops were bought with at least five years of security updates ahead."""

from __future__ import annotations

from matops.inventory.model import Asset
from matops.scan.helpers import support_from_purchase
from matops.scan.verdict import Verdict

YEARS = 5


def judge(asset: Asset) -> Verdict:
    """Compare end of support with purchase date plus five years."""
    return support_from_purchase(asset, YEARS)
