"""Ports planned as unused are shut down and in the parking VLAN."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import PortRole, SchoolNetwork, TargetVars, VlanPurpose
from matops.scan.verdict import Verdict, not_applicable, verdict_for


def judge(
    running_config: NetworkConfig, target_info: TargetVars, school_network: SchoolNetwork
) -> Verdict:
    """Fail listing planned-unused ports that are up, elsewhere, or missing from the config."""
    planned = [n for g in target_info.ports if g.role is PortRole.UNUSED for n in g.port_names()]
    if not planned:
        return not_applicable("the port plan has no unused ports")
    parking = next((v.id for v in school_network.vlans if v.purpose is VlanPurpose.PARKING), None)
    ports = {i.name.lower(): i for i in running_config.interfaces}
    problems = []
    for name in planned:
        port = ports.get(name.lower())
        if port is None:
            problems.append(f"{name} not in config")
            continue
        if not port.shutdown:
            problems.append(f"{name} is up")
        if parking is not None and port.access_vlan != parking:
            problems.append(f"{name} in VLAN {port.access_vlan} not {parking}")
    return verdict_for(problems, f"{len(planned)} unused port(s) shut and parked")
