"""Security updates install automatically (unattended-upgrades)."""

from __future__ import annotations

from matops.facts.linux.model import AptState, UnattendedUpgrades
from matops.scan.verdict import Verdict, failed, verdict_for

SETTINGS = ("Update-Package-Lists", "Unattended-Upgrade")


def judge(unattended_upgrades: UnattendedUpgrades, apt_state: AptState) -> Verdict:
    """Fail unless installed, both APT::Periodic settings are non-zero and a security suite is
    in the sources (without one, unattended-upgrades has nothing to install)."""
    if not unattended_upgrades.installed:
        return failed("unattended-upgrades is not installed")
    off = [
        f"APT::Periodic::{name} is {unattended_upgrades.periodic.get(name, 'unset')}"
        for name in SETTINGS
        if unattended_upgrades.periodic.get(name, "0") in ("0", "")
    ]
    if not apt_state.security_suites():
        off.append("no security suite in the APT sources: it has nothing to install")
    return verdict_for(off, "unattended-upgrades runs daily from the security suite")
