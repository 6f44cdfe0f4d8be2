"""The audit daemon (auditd) is running."""

from __future__ import annotations

from matops.facts.linux.model import UnitState, Virtualisation
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(systemd_units: dict[str, UnitState], virtualisation: Virtualisation) -> Verdict:
    """Pass when auditd.service is active and enabled; not applicable in a container."""
    if virtualisation.in_container:
        return not_applicable(
            f"not possible in a container ({virtualisation.container}): the kernel audits only "
            "the machine's initial namespaces, so auditd belongs on the machine itself"
        )
    unit = systemd_units.get("auditd", UnitState())
    if unit.load == "not-found":
        return failed("auditd is not installed")
    if unit.active != "active" or unit.enabled != "enabled":
        return failed(f"auditd is {unit.active} and {unit.enabled or 'not enabled'} at boot")
    return passed("auditd active and enabled")
