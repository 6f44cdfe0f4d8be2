"""No active Chromebook reports developer mode."""

from __future__ import annotations

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail for each Chromebook in developer mode; no boot mode reported is an error."""

    def one(device: ManagedDevice) -> Outcome:
        if device.jailbroken is None:
            return "unknown", "no boot mode reported"
        return ("bad", "developer mode") if device.jailbroken else ("ok", "")

    return judge_in_use(
        school_devices,
        (DeviceOs.CHROMEOS,),
        one,
        ok="every Chromebook boots in verified mode",
        bad="in developer mode",
    )
