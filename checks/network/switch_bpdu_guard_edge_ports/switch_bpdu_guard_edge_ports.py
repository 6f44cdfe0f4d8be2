"""BPDU guard protects every active edge port."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import PortRole, TargetVars
from matops.scan.verdict import Verdict, verdict_for


def judge(running_config: NetworkConfig, target_info: TargetVars) -> Verdict:
    """Fail listing enabled access ports (not planned as uplinks) without BPDU guard."""
    uplinks = {
        n.lower() for g in target_info.ports if g.role is PortRole.UPLINK for n in g.port_names()
    }
    unguarded = [
        i.name
        for i in running_config.interfaces
        if i.physical
        and not i.shutdown
        and i.mode in ("access", "dynamic")
        and i.name.lower() not in uplinks
        and not i.bpduguard
    ]
    return verdict_for(unguarded, "every active edge port has BPDU guard", "no BPDU guard on: ")
