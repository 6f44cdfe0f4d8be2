"""Security updates install automatically (unattended-upgrades)."""

from __future__ import annotations

from matops.facts.linux.model import UnattendedUpgrades
from matops.scan.verdict import Verdict, failed, verdict_for

SETTINGS = ("Update-Package-Lists", "Unattended-Upgrade")


def judge(unattended_upgrades: UnattendedUpgrades) -> Verdict:
    """Fail unless installed and both APT::Periodic settings are non-zero."""
    if not unattended_upgrades.installed:
        return failed("unattended-upgrades is not installed")
    off = [
        f"APT::Periodic::{name} is {unattended_upgrades.periodic.get(name, 'unset')}"
        for name in SETTINGS
        if unattended_upgrades.periodic.get(name, "0") in ("0", "")
    ]
    return verdict_for(off, "unattended-upgrades runs daily")
