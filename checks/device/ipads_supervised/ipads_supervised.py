"""Every active iPad reports supervised."""

from __future__ import annotations

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail for each iPad Intune reports unsupervised; not reported is an error."""

    def one(device: ManagedDevice) -> Outcome:
        if device.supervised is None:
            return "unknown", "supervision not reported"
        return ("ok", "") if device.supervised else ("bad", "not supervised")

    return judge_in_use(
        school_devices,
        (DeviceOs.IPADOS,),
        one,
        ok="every iPad is supervised",
        bad="iPads not supervised",
    )
