"""No active Intune device is non-compliant, in conflict or in error."""

from __future__ import annotations

from matops.facts.tenant.devices import ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail for each device whose compliance is noncompliant, conflict or error; devices not
    evaluated are left to device_compliance_policy_assigned; no state reported is an error."""

    def one(device: ManagedDevice) -> Outcome:
        if device.compliance is None:
            return "unknown", "no compliance state reported"
        if device.compliance in ("noncompliant", "conflict", "error"):
            return "bad", device.compliance
        return "ok", ""

    return judge_in_use(
        school_devices,
        (),
        one,
        ok="no device fails its compliance policy",
        bad="not compliant",
    )
