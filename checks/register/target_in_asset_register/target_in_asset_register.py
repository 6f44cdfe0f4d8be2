"""Every managed target has a live entry in its school's asset register."""

from __future__ import annotations

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, passed


def judge(register_entry: Asset | None) -> Verdict:
    """Fail when no register row has this hostname, or the only one says disposed."""
    if register_entry is None:
        return failed("no asset register row has this hostname")
    if register_entry.disposed_date is not None:
        return failed(
            f"register row {register_entry.asset_tag} says disposed on "
            f"{register_entry.disposed_date}"
        )
    return passed(f"registered as {register_entry.asset_tag} ({register_entry.model})")
