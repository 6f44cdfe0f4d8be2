"""SNMP v1 and v2c are off; monitoring uses SNMPv3."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, failed, passed


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail when any v1/v2c community is configured."""
    count = len(running_config.snmp_communities)
    if count:
        return failed(f"{count} SNMP v1/v2c communit{'y' if count == 1 else 'ies'} configured")
    return passed("no SNMP v1/v2c communities")
