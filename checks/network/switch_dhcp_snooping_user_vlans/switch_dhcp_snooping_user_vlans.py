"""DHCP snooping is on for every user VLAN the switch serves."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import (
    AP_PURPOSES,
    ROLE_PURPOSE,
    USER_PURPOSES,
    PortRole,
    SchoolNetwork,
    TargetVars,
)
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def user_vlans(target_info: TargetVars, school_network: SchoolNetwork) -> set[int]:
    """User VLAN ids that the port plan puts on this switch."""
    purposes = {v.id: v.purpose for v in school_network.vlans}
    wanted: set[int] = set()
    for group in target_info.ports:
        if group.vlan is not None:
            if purposes.get(group.vlan) in USER_PURPOSES:
                wanted.add(group.vlan)
            continue
        carried = (
            set(AP_PURPOSES) if group.role is PortRole.AP_UPLINK else {ROLE_PURPOSE.get(group.role)}
        )
        users = carried & set(USER_PURPOSES)
        wanted |= {v.id for v in school_network.vlans if v.purpose in users}
    return wanted


def judge(
    running_config: NetworkConfig, target_info: TargetVars, school_network: SchoolNetwork
) -> Verdict:
    """Fail when snooping is off or misses a user VLAN of the port plan."""
    wanted = user_vlans(target_info, school_network)
    if not wanted:
        return not_applicable("the port plan puts no user VLAN on this switch")
    if not running_config.dhcp_snooping:
        return failed("DHCP snooping is not enabled")
    missing = sorted(wanted - set(running_config.dhcp_snooping_vlans))
    if missing:
        return failed(f"DHCP snooping missing on VLAN {', '.join(map(str, missing))}")
    return passed(f"DHCP snooping on VLAN {', '.join(map(str, sorted(wanted)))}")
