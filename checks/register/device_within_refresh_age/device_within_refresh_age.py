"""Devices are younger than the trust's refresh age for their type."""

from __future__ import annotations

from datetime import date

from matops.inventory.model import Asset, RefreshPolicy
from matops.scan.helpers import add_years
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(asset: Asset, refresh_policy: RefreshPolicy, scan_date: date) -> Verdict:
    """Fail when purchase date plus the type's refresh years is before the scan date."""
    years = refresh_policy.device_refresh_years.get(asset.type.value)
    if years is None:
        return not_applicable(f"the trust sets no refresh age for {asset.type.value}s")
    if asset.disposed_date is not None:
        return not_applicable(f"disposed on {asset.disposed_date}")
    if asset.purchase_date is None:
        return not_applicable("no purchase date recorded")
    due = add_years(asset.purchase_date, years)
    if due < scan_date:
        return failed(f"bought {asset.purchase_date}; {asset.type.value} refresh was due {due}")
    return passed(f"refresh due {due}")
