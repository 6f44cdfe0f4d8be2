"""No device of the tenant is placed in no school."""

from __future__ import annotations

from matops.facts.tenant.devices import SchoolDevices
from matops.scan.device_judging import label
from matops.scan.verdict import Verdict, failed, listing, passed


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail listing the tenant's devices that no category, org unit or register places."""
    loose = sorted(
        f"{label(d)}: category {d.category!r}" if d.category else f"{label(d)}: no category"
        for d in school_devices.unplaced
        if d.state not in ("retired", "wiped", "deprovisioned")
    )
    figures = {"unplaced": len(loose)}
    if loose:
        return failed(
            f"{len(loose)} device{'s' if len(loose) != 1 else ''} in {school_devices.tenant} "
            f"placed in no school: "
            f"{listing(loose)}",
            figures,
        )
    return passed(f"every device in {school_devices.tenant} belongs to a school", figures)
