"""Every active Intune device has been evaluated by a compliance policy."""

from __future__ import annotations

from matops.facts.tenant.devices import ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail for each device whose compliance state is not evaluated or unknown; no state
    reported is an error."""

    def one(device: ManagedDevice) -> Outcome:
        if device.compliance is None:
            return "unknown", "no compliance state reported"
        if device.compliance in ("not_evaluated", "unknown"):
            return "bad", f"compliance {device.compliance.replace('_', ' ')}"
        return "ok", ""

    return judge_in_use(
        school_devices,
        (),
        one,
        ok="a compliance policy evaluates every device",
        bad="no compliance policy evaluates them",
    )
