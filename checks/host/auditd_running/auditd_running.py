"""The audit daemon (auditd) is running."""

from __future__ import annotations

from matops.facts.linux.model import UnitState
from matops.scan.verdict import Verdict, failed, passed


def judge(systemd_units: dict[str, UnitState]) -> Verdict:
    """Pass when auditd.service is active and enabled."""
    unit = systemd_units.get("auditd", UnitState())
    if unit.load == "not-found":
        return failed("auditd is not installed")
    if unit.active != "active" or unit.enabled != "enabled":
        return failed(f"auditd is {unit.active} and {unit.enabled or 'not enabled'} at boot")
    return passed("auditd active and enabled")
