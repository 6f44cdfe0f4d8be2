"""No asset in use reaches end of support within the next six months."""

from __future__ import annotations

from datetime import date, timedelta

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, not_applicable, passed

HORIZON = timedelta(days=183)


def judge(asset: Asset, scan_date: date) -> Verdict:
    """Fail when end of support falls between the scan date and six months later."""
    if asset.disposed_date is not None or asset.end_of_support is None:
        return not_applicable("disposed, or no end-of-support date recorded")
    if asset.end_of_support < scan_date:
        return not_applicable("already out of support (see asset_within_end_of_support)")
    days = (asset.end_of_support - scan_date).days
    if asset.end_of_support <= scan_date + HORIZON:
        return failed(f"{asset.model}: support ends {asset.end_of_support}, in {days} days")
    return passed(f"support ends {asset.end_of_support}")
