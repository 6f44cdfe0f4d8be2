"""USB mass-storage devices cannot be mounted (usb-storage blocked)."""

from __future__ import annotations

from matops.facts.linux.model import UsbStorage
from matops.scan.verdict import Verdict, verdict_for

BLOCKERS = ("/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true")


def judge(usb_storage: UsbStorage) -> Verdict:
    """Fail when the driver is loaded or modprobe would load it."""
    problems = []
    if usb_storage.loaded:
        problems.append("usb_storage module is loaded")
    install = (usb_storage.install_command or "").strip()
    if not install.startswith(BLOCKERS):
        problems.append("modprobe would load usb-storage (no 'install usb-storage /bin/false')")
    return verdict_for(problems, "usb-storage cannot load")
