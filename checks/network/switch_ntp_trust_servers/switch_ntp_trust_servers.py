"""The switch takes its time from the trust's NTP servers only."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import Services
from matops.scan.verdict import Verdict, failed, passed


def judge(running_config: NetworkConfig, trust_services: Services) -> Verdict:
    """Fail when no NTP server is set, or one is not a trust NTP server."""
    wanted = {str(address) for address in trust_services.ntp}
    configured = set(running_config.ntp_servers)
    if not configured:
        return failed(f"no NTP server configured; expected {', '.join(sorted(wanted))}")
    other = sorted(configured - wanted)
    if other:
        return failed(f"NTP servers outside the trust's services: {', '.join(other)}")
    return passed(f"NTP from {', '.join(sorted(configured))}")
