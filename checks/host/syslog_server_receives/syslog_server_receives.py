"""A trust syslog server receives the logs the trust's hosts forward to it."""

from __future__ import annotations

from matops.facts.linux.model import ListeningSocket
from matops.inventory.model import Services, TargetVars
from matops.scan.verdict import Verdict, failed, not_applicable, passed

PORT = 514
LOCAL = ("127.", "::1", "[::1]")


def judge(
    listening_sockets: list[ListeningSocket], trust_services: Services, target_info: TargetVars
) -> Verdict:
    """On a host listed in the trust's syslog services, pass when something listens for syslog
    (port 514, TCP or UDP) on a non-loopback address; not applicable on every other host."""
    if str(target_info.ansible_host) not in {str(a) for a in trust_services.syslog}:
        return not_applicable("not one of the trust's syslog servers (trust.services.syslog)")
    found = sorted(
        {
            f"{s.protocol}/{s.port} ({s.process or 'unknown'})"
            for s in listening_sockets
            if s.port == PORT and not s.address.startswith(LOCAL)
        }
    )
    if not found:
        return failed(
            f"a trust syslog server with nothing listening on port {PORT}: what the trust's "
            "hosts forward here is never received"
        )
    return passed(f"receiving syslog on {', '.join(found)}")
