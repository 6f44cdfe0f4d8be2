"""Every asset in use is still within its end-of-support date."""

from __future__ import annotations

from datetime import date

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(asset: Asset, scan_date: date) -> Verdict:
    """Fail when an asset still in use has passed its end of support."""
    if asset.disposed_date is not None:
        return not_applicable(f"disposed on {asset.disposed_date}")
    if asset.end_of_support is None:
        return not_applicable(
            "no end-of-support date recorded (see asset_register_fields_complete)"
        )
    if asset.end_of_support < scan_date:
        days = (scan_date - asset.end_of_support).days
        return failed(
            f"{asset.model} ({asset.os or 'software'} {asset.os_version or ''}) went out of "
            f"support on {asset.end_of_support}, {days} days ago".replace("  ", " ")
        )
    return passed(f"supported until {asset.end_of_support}")
