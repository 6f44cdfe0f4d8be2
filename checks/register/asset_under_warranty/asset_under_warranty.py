"""Assets in use are covered by the manufacturer's warranty."""

from __future__ import annotations

from datetime import date

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(asset: Asset, scan_date: date) -> Verdict:
    """Fail when the warranty end date has passed for an asset still in use."""
    if asset.disposed_date is not None:
        return not_applicable(f"disposed on {asset.disposed_date}")
    if asset.warranty_end is None:
        return not_applicable("no warranty end date recorded (see asset_register_fields_complete)")
    if asset.warranty_end < scan_date:
        return failed(f"{asset.model}: warranty ended on {asset.warranty_end}")
    return passed(f"under warranty until {asset.warranty_end}")
