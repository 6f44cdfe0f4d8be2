"""System logs are forwarded to the trust's syslog service."""

from __future__ import annotations

from matops.facts.linux.model import SyslogTarget
from matops.inventory.model import Services, TargetVars
from matops.scan.verdict import Verdict, failed, passed


def judge(
    rsyslog_forwarding: list[SyslogTarget], trust_services: Services, target_info: TargetVars
) -> Verdict:
    """Pass when at least one forwarding target is a trust syslog address, or the host is the
    trust's syslog server itself (it keeps what it receives; forwarding to itself would loop)."""
    wanted = {str(address) for address in trust_services.syslog}
    if str(target_info.ansible_host) in wanted:
        return passed("this host is the trust's syslog server")
    targets = {t.address for t in rsyslog_forwarding}
    matched = sorted(targets & wanted)
    if not matched:
        shown = ", ".join(sorted(targets)) or "none"
        return failed(f"logs forwarded to: {shown}; expected {', '.join(sorted(wanted))}")
    return passed(f"logs forwarded to {', '.join(matched)}")
