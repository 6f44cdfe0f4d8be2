"""System logs are forwarded to the trust's syslog service."""

from __future__ import annotations

from matops.facts.linux.model import SyslogTarget
from matops.inventory.model import Services
from matops.scan.verdict import Verdict, failed, passed


def judge(rsyslog_forwarding: list[SyslogTarget], trust_services: Services) -> Verdict:
    """Pass when at least one forwarding target is a trust syslog address."""
    wanted = {str(address) for address in trust_services.syslog}
    targets = {t.address for t in rsyslog_forwarding}
    matched = sorted(targets & wanted)
    if not matched:
        shown = ", ".join(sorted(targets)) or "none"
        return failed(f"logs forwarded to: {shown}; expected {', '.join(sorted(wanted))}")
    return passed(f"logs forwarded to {', '.join(matched)}")
