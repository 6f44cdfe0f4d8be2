"""Every active Intune device reports its storage encrypted."""

from __future__ import annotations

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict

SYSTEMS = (DeviceOs.WINDOWS, DeviceOs.MACOS, DeviceOs.IPADOS, DeviceOs.IOS, DeviceOs.ANDROID)


def judge(school_devices: SchoolDevices) -> Verdict:
    """Fail for each device Intune reports unencrypted; not reported is an error."""

    def one(device: ManagedDevice) -> Outcome:
        if device.encrypted is None:
            return "unknown", "encryption not reported"
        return ("ok", "") if device.encrypted else ("bad", f"{device.os.value}, not encrypted")

    return judge_in_use(
        school_devices,
        SYSTEMS,
        one,
        ok="every device is encrypted",
        bad="storage not encrypted",
    )
