"""Meaning checks on the trust's tenants (``trust.tenants``), each problem at its YAML line.

Shape is pydantic's job (``matops.inventory.tenants``); here: names unique across the trust,
every school a tenant serves exists, break-glass accounts and the Google delegated admin are in
the tenant's own domains, and the ``devices:`` block places devices only in schools the tenant
serves, each school told apart by a different category or org unit.
"""

from __future__ import annotations

from pathlib import Path

from matops.inventory.model import TrustSettings
from matops.inventory.sources import SourceMap
from matops.inventory.tenants import GoogleWorkspaceTenant, TenantInfo
from matops.source.problems import Problem
from matops.source.yamlsrc import LineDict, LineList


def _item_line(node: object, key: str, index: int, fallback: int) -> int:
    items = node.get(key) if isinstance(node, LineDict) else None
    if isinstance(items, LineList) and index < len(items.item_lines):
        return items.item_lines[index]
    return fallback


def _key_line(node: object, key: str, fallback: int) -> int:
    return node.key_lines.get(key, fallback) if isinstance(node, LineDict) else fallback


def tenant_problems(
    settings: TrustSettings, sources: SourceMap, school_ids: set[str]
) -> list[Problem]:
    """Problems with the tenants once the schools are known (none when there are no tenants)."""
    if not settings.tenants or sources.tenants is None:
        return []
    path, trust_node = sources.tenants
    tenants_node = trust_node.get("tenants")
    line_of_list = trust_node.key_lines.get("tenants", 1)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, tenant in enumerate(settings.tenants):
        node = tenants_node[index] if isinstance(tenants_node, LineList) else None
        start = _item_line(trust_node, "tenants", index, line_of_list)
        name_line = _key_line(node, "name", start)
        if tenant.name in seen:
            message = f"duplicate tenant name {tenant.name!r} (also at {path}:{seen[tenant.name]})"
            problems.append(Problem(path, name_line, message))
        seen.setdefault(tenant.name, name_line)
        problems += _entry_problems(tenant, node, start, path, school_ids)
    return problems


def _entry_problems(
    tenant: TenantInfo, node: object, start: int, path: Path, school_ids: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    for i, school in enumerate(tenant.schools):
        if school not in school_ids:
            valid = ", ".join(sorted(school_ids)) or "none"
            message = f"tenant {tenant.name}: unknown school {school!r}; schools: {valid}"
            problems.append(Problem(path, _item_line(node, "schools", i, start), message))
    domains = ", ".join(tenant.domains)
    for i, address in enumerate(tenant.break_glass):
        if not tenant.in_domains(address):
            message = (
                f"tenant {tenant.name}: break-glass account {address} is not in the tenant's "
                f"domains ({domains})"
            )
            problems.append(Problem(path, _item_line(node, "break_glass", i, start), message))
    if isinstance(tenant, GoogleWorkspaceTenant):
        admin = tenant.credentials.delegated_admin
        if not tenant.in_domains(admin):
            creds = node.get("credentials") if isinstance(node, LineDict) else None
            line = _key_line(creds, "delegated_admin", _key_line(node, "credentials", start))
            message = (
                f"tenant {tenant.name}: delegated_admin {admin} is not in the tenant's domains "
                f"({domains})"
            )
            problems.append(Problem(path, line, message))
    problems += _device_problems(tenant, node, start, path)
    return problems


def _device_problems(tenant: TenantInfo, node: object, start: int, path: Path) -> list[Problem]:
    if tenant.devices is None:
        return []
    devices = node.get("devices") if isinstance(node, LineDict) else None
    schools_node = devices.get("schools") if isinstance(devices, LineDict) else None
    block_line = _key_line(node, "devices", start)
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for school, match in tenant.devices.schools.items():
        line = _key_line(schools_node, school, block_line)
        if school not in tenant.schools:
            served = ", ".join(tenant.schools)
            message = (
                f"tenant {tenant.name}: devices.schools names {school!r}, a school the tenant "
                f"does not serve (it serves {served})"
            )
            problems.append(Problem(path, line, message))
        key = match.casefold().rstrip("/") or "/"
        if key in seen:
            message = (
                f"tenant {tenant.name}: devices.schools: {school} and {seen[key]} both use "
                f"{match!r}; each school needs its own category or org unit"
            )
            problems.append(Problem(path, line, message))
        seen.setdefault(key, school)
    return problems
