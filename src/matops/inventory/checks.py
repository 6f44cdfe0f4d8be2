"""Semantic checks on a loaded inventory: within one school, and across the whole trust."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

from matops.inventory.model import ROLE_PURPOSE, SchoolInfo, Target, TrustSettings
from matops.inventory.sources import SourceMap
from matops.source.problems import Problem, Severity
from matops.source.yamlsrc import LineDict, LineList


def school_problems(
    info: SchoolInfo, located: list[tuple[Target, LineDict]], node: LineDict, path: Path
) -> list[Problem]:
    """Problems inside one school: its network plan, addresses and switch ports."""
    problems = _plan_problems(info, node, path)
    mgmt = info.network.management.subnet
    for target, tnode in located:
        if target.address not in mgmt:
            line = tnode.key_lines.get("ansible_host", tnode.line)
            message = (
                f"{target.name}: management address {target.address} is outside the school's "
                f"management network {mgmt}"
            )
            problems.append(Problem(path, line, message))
        problems.extend(_port_problems(info, target, tnode, path))
        if target.vars.stack_members is not None and target.kind != "switch":
            line = tnode.key_lines.get("stack_members", tnode.line)
            problems.append(Problem(path, line, f"{target.name}: only switches are stacked"))
    return problems


def _plan_problems(info: SchoolInfo, node: LineDict, path: Path) -> list[Problem]:
    net = info.network
    net_node = node.get("network")
    mgmt_node = net_node.get("management") if isinstance(net_node, LineDict) else None
    mgmt_line = mgmt_node.line if isinstance(mgmt_node, LineDict) else node.line
    problems = []
    if net.management.gateway not in net.management.subnet:
        message = f"management gateway {net.management.gateway} is outside {net.management.subnet}"
        problems.append(Problem(path, mgmt_line, message))
    ids = [v.id for v in net.vlans]
    vlan_nodes = net_node.get("vlans") if isinstance(net_node, LineDict) else None
    for index, vlan in enumerate(net.vlans):
        if ids.index(vlan.id) != index:
            line = vlan_nodes.item_lines[index] if isinstance(vlan_nodes, LineList) else 1
            problems.append(Problem(path, line, f"VLAN {vlan.id} is defined more than once"))
    if net.management.vlan not in ids:
        message = f"management VLAN {net.management.vlan} is not in the school's VLAN plan"
        problems.append(Problem(path, mgmt_line, message))
    return problems


def _port_problems(info: SchoolInfo, target: Target, tnode: LineDict, path: Path) -> list[Problem]:
    ports_node = tnode.get("ports")
    if not target.vars.ports:
        return []
    if target.kind != "switch":
        line = tnode.key_lines.get("ports", tnode.line)
        return [Problem(path, line, f"{target.name}: only switches have ports")]
    vlan_ids = {v.id for v in info.network.vlans}
    purposes = {v.purpose for v in info.network.vlans}
    problems = []
    for index, group in enumerate(target.vars.ports):
        line = ports_node.item_lines[index] if isinstance(ports_node, LineList) else tnode.line
        if group.vlan is not None and group.vlan not in vlan_ids:
            message = (
                f"{target.name} port {group.name}: VLAN {group.vlan} is not in the school's "
                f"VLAN plan ({', '.join(str(v) for v in sorted(vlan_ids))})"
            )
            problems.append(Problem(path, line, message))
        purpose = ROLE_PURPOSE.get(group.role)
        if group.vlan is None and purpose is not None and purpose not in purposes:
            message = (
                f"{target.name} port {group.name}: role {group.role.value} needs a "
                f"{purpose.value} VLAN, which the school's plan does not have"
            )
            problems.append(Problem(path, line, message))
    return problems


def trust_problems(
    settings: TrustSettings | None, sources: SourceMap, complete: bool = True
) -> list[Problem]:
    """Problems across the trust: duplicates, overlaps and unknown service addresses.

    Service addresses are only checked when every school loaded (``complete``), since a school
    that failed to load would make its targets' addresses look unknown.
    """
    problems = (
        _duplicate_targets(sources) + _overlapping_subnets(sources) + _duplicate_assets(sources)
    )
    if settings is not None and complete:
        problems += _unknown_services(settings, sources)
    return problems


def _duplicate_targets(sources: SourceMap) -> list[Problem]:
    problems = []
    seen_names: dict[str, tuple[Path, int]] = {}
    seen_addresses: dict[IPv4Address, tuple[str, Path, int]] = {}
    for target, path, line in sources.target_sites:
        if target.name in seen_names:
            first = seen_names[target.name]
            message = f"duplicate hostname {target.name!r} (also at {first[0]}:{first[1]})"
            problems.append(Problem(path, line, message))
        else:
            seen_names[target.name] = (path, line)
        other = seen_addresses.get(target.address)
        if other is not None and other[0] != target.name:
            message = (
                f"duplicate management address {target.address}: {target.name} and {other[0]} "
                f"(at {other[1]}:{other[2]})"
            )
            problems.append(Problem(path, line, message))
        else:
            seen_addresses.setdefault(target.address, (target.name, path, line))
    return problems


def _overlapping_subnets(sources: SourceMap) -> list[Problem]:
    problems = []
    subnets = sources.subnets
    for i, (school, net, path, line) in enumerate(subnets):
        for other_school, other_net, other_path, other_line in subnets[:i]:
            if other_school != school and net.overlaps(other_net):
                message = (
                    f"subnet {net} of {school} overlaps {other_net} of {other_school} "
                    f"(at {other_path}:{other_line})"
                )
                problems.append(Problem(path, line, message))
    return problems


def _duplicate_assets(sources: SourceMap) -> list[Problem]:
    problems = []
    tags: dict[str, tuple[Path, int]] = {}
    serials: dict[str, tuple[Path, int]] = {}
    for _school, row, path in sources.asset_rows:
        tag = row.asset.asset_tag.upper()
        if tag in tags:
            first = tags[tag]
            message = f"duplicate asset tag {row.asset.asset_tag} (also at {first[0]}:{first[1]})"
            problems.append(Problem(path, row.line, message))
        tags.setdefault(tag, (path, row.line))
        serial = (row.asset.serial or "").upper()
        if serial and serial in serials:
            first = serials[serial]
            message = f"duplicate serial {row.asset.serial} (also at {first[0]}:{first[1]})"
            problems.append(Problem(path, row.line, message))
        elif serial:
            serials[serial] = (path, row.line)
    return problems


def _unknown_services(settings: TrustSettings, sources: SourceMap) -> list[Problem]:
    known = {t.address for t, _p, _l in sources.target_sites}
    services = settings.services
    addresses = [
        *services.ntp,
        *services.syslog,
        *services.dns,
        *(r.address for r in services.radius),
    ]
    if not sources.target_sites or sources.settings is None:
        return []
    path, line = sources.settings
    message = "service address {} is not the address of any target in the trust"
    return [
        Problem(path, line, message.format(addr), Severity.WARNING)
        for addr in dict.fromkeys(addresses)
        if addr not in known
    ]
