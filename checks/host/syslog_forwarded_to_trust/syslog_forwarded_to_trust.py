"""System logs are forwarded to the trust's syslog service."""

from __future__ import annotations

from matops.facts.linux.model import SyslogTarget
from matops.inventory.model import Services, TargetVars
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(
    rsyslog_forwarding: list[SyslogTarget], trust_services: Services, target_info: TargetVars
) -> Verdict:
    """Pass when at least one forwarding target is a trust syslog address other than the host
    itself. A trust syslog server forwards its own logs to another one; when it is the trust's
    only syslog server there is nowhere independent to send them: not applicable, with why."""
    own = str(target_info.ansible_host)
    wanted = {str(address) for address in trust_services.syslog} - {own}
    targets = {t.address for t in rsyslog_forwarding}
    if not wanted:
        return not_applicable(
            "this host is the trust's only syslog server: it keeps its own logs, and the trust "
            "declares no second syslog server to keep a copy (list one in trust.services.syslog)"
        )
    matched = sorted(targets & wanted)
    if not matched:
        shown = ", ".join(sorted(targets)) or "none"
        return failed(f"logs forwarded to: {shown}; expected {', '.join(sorted(wanted))}")
    return passed(f"logs forwarded to {', '.join(matched)}")
