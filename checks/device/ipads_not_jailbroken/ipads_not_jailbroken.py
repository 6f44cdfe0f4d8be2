"""No active iPad reports jailbroken."""

from __future__ import annotations

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail for each iPad Intune reports jailbroken; not reported ('Unknown') is an error."""

    def one(device: ManagedDevice) -> Outcome:
        if device.jailbroken is None:
            return "unknown", "jailbreak state not reported"
        return ("bad", "jailbroken") if device.jailbroken else ("ok", "")

    return judge_in_use(
        school_devices,
        (DeviceOs.IPADOS,),
        one,
        ok="no iPad is jailbroken",
        bad="jailbroken iPads",
    )
