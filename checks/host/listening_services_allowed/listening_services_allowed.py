"""Only the services the host's role allows are listening on the network."""

from __future__ import annotations

from matops.facts.linux.model import ListeningSocket
from matops.inventory.model import TargetVars
from matops.scan.verdict import Verdict, verdict_for

SERVICE_PORTS: dict[str, set[tuple[str, int]]] = {
    "ssh": {("tcp", 22)},
    "smb": {("tcp", 139), ("tcp", 445), ("udp", 137), ("udp", 138)},
    "ipp": {("tcp", 631), ("udp", 631)},
    "ntp": {("udp", 123)},
    "dns": {("tcp", 53), ("udp", 53)},
    "syslog": {("udp", 514), ("tcp", 514), ("tcp", 6514)},
    "radius": {("udp", 1812), ("udp", 1813)},
    "http": {("tcp", 80)},
    "https": {("tcp", 443)},
    "dhcp-client": {("udp", 68)},
}
ALWAYS = ("ssh", "dhcp-client")
LOCAL = ("127.", "::1", "[::1]")


def judge(listening_sockets: list[ListeningSocket], target_info: TargetVars) -> Verdict:
    """Fail listing non-loopback listeners whose port no allowed service uses."""
    allowed: set[tuple[str, int]] = set()
    for service in (*ALWAYS, *target_info.allowed_services):
        allowed |= SERVICE_PORTS.get(service, set())
    unexpected = sorted(
        {
            f"{s.protocol}/{s.port} ({s.process or 'unknown'})"
            for s in listening_sockets
            if not s.address.startswith(LOCAL) and (s.protocol, s.port) not in allowed
        }
    )
    return verdict_for(unexpected, "only allowed services listen", "unexpected listeners: ")
