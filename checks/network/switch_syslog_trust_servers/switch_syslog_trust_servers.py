"""The switch sends its logs to the trust's syslog service."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import Services
from matops.scan.verdict import Verdict, failed, passed


def judge(running_config: NetworkConfig, trust_services: Services) -> Verdict:
    """Fail when no log host is a trust syslog server (others are listed)."""
    wanted = {str(address) for address in trust_services.syslog}
    configured = set(running_config.logging_hosts)
    if not configured & wanted:
        shown = ", ".join(sorted(configured)) or "none"
        return failed(f"log hosts: {shown}; expected {', '.join(sorted(wanted))}")
    other = sorted(configured - wanted)
    if other:
        return failed(f"logs also sent outside the trust's services: {', '.join(other)}")
    return passed(f"logs sent to {', '.join(sorted(configured))}")
