"""Registered switches, access points and firewalls are managed in the inventory."""

from __future__ import annotations

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(asset: Asset, school_target_names: list[str]) -> Verdict:
    """Fail when a live network device has no hostname or its hostname is not a target."""
    if asset.disposed_date is not None:
        return not_applicable(f"disposed on {asset.disposed_date}")
    if not asset.hostname:
        return failed(f"{asset.type.value} {asset.model} has no hostname to match a target")
    if asset.hostname.lower() not in {name.lower() for name in school_target_names}:
        return failed(f"{asset.hostname} ({asset.model}) is not in the school's inventory")
    return passed(f"managed as {asset.hostname}")
