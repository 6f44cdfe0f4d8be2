"""No SNMP community is named public or private."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, failed, passed

DEFAULT_NAMES = frozenset({"public", "private"})


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail listing default-named communities and their access."""
    found = [
        f"{c.name} ({c.access.upper()})"
        for c in running_config.snmp_communities
        if c.name.lower() in DEFAULT_NAMES
    ]
    if found:
        return failed(f"default SNMP communities configured: {', '.join(found)}")
    return passed("no default SNMP community")
