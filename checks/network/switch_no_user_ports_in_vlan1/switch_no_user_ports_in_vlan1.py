"""No active access port is left in VLAN 1."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, verdict_for


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail listing enabled access (or negotiating) ports whose VLAN is 1."""
    in_vlan1 = [
        i.name
        for i in running_config.interfaces
        if i.physical and not i.shutdown and i.mode in ("access", "dynamic") and i.access_vlan == 1
    ]
    return verdict_for(in_vlan1, "no active access port in VLAN 1", "ports in VLAN 1: ")
