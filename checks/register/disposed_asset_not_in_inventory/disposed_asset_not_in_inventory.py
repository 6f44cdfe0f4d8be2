"""Assets recorded as disposed are no longer managed targets."""

from __future__ import annotations

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(asset: Asset, school_target_names: list[str]) -> Verdict:
    """Fail when a disposed asset's hostname is still an inventory target."""
    if asset.disposed_date is None:
        return not_applicable("not disposed")
    names = {name.lower() for name in school_target_names}
    if asset.hostname and asset.hostname.lower() in names:
        return failed(
            f"disposed on {asset.disposed_date} but {asset.hostname} is still in the inventory"
        )
    return passed(f"disposed on {asset.disposed_date} and not in the inventory")
