"""Switches were bought with at least the trust's required years of warranty and support."""

from __future__ import annotations

from matops.inventory.model import Asset, RefreshPolicy
from matops.scan.helpers import add_years
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(asset: Asset, refresh_policy: RefreshPolicy) -> Verdict:
    """Compare warranty end with purchase date plus ``switch_support_years``."""
    if asset.purchase_date is None or asset.warranty_end is None:
        return not_applicable("purchase date or warranty end not recorded")
    years = refresh_policy.switch_support_years
    needed = add_years(asset.purchase_date, years)
    if asset.warranty_end < needed:
        return failed(
            f"bought {asset.purchase_date} with support to {asset.warranty_end}; "
            f"{years} years needs support to {needed}"
        )
    return passed(f"support to {asset.warranty_end} covers {years} years from purchase")
