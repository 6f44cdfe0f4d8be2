"""Every register entry records serial, location, purchase date and support details."""

from __future__ import annotations

from matops.inventory.model import Asset, AssetType
from matops.scan.verdict import Verdict, failed, passed

RUNS_SOFTWARE = frozenset(
    {
        AssetType.LAPTOP,
        AssetType.DESKTOP,
        AssetType.TABLET,
        AssetType.SERVER,
        AssetType.SWITCH,
        AssetType.ACCESS_POINT,
        AssetType.FIREWALL,
    }
)
PORTABLE = frozenset({AssetType.LAPTOP, AssetType.TABLET})


def missing_fields(asset: Asset) -> list[str]:
    """The required columns this row leaves empty."""
    if asset.disposed_date is not None:
        return [] if asset.serial else ["serial"]
    required = ["serial", "location", "purchase_date", "warranty_end"]
    if asset.type in RUNS_SOFTWARE:
        required += ["os", "end_of_support"]
    if asset.type in PORTABLE:
        required.append("assigned_to")
    return [name for name in required if getattr(asset, name) in (None, "")]


def judge(asset: Asset) -> Verdict:
    """Fail listing the empty required columns."""
    missing = missing_fields(asset)
    if missing:
        return failed(f"{asset.model}: missing {', '.join(missing)}")
    return passed("all required fields recorded")
