"""Tablets were bought with at least three years of manufacturer support ahead."""

from __future__ import annotations

from matops.inventory.model import Asset
from matops.scan.helpers import support_from_purchase
from matops.scan.verdict import Verdict

YEARS = 3


def judge(asset: Asset) -> Verdict:
    """Compare end of support with purchase date plus three years."""
    return support_from_purchase(asset, YEARS)
