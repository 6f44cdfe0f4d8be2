"""Load a trust directory into the typed model, collecting every problem with its file and line.

Layout (an ordinary Ansible YAML inventory)::

    inventories/<trust>/group_vars/all.yml      key ``trust``: trust-wide settings
    inventories/<trust>/schools/<school>.yml    group ``<school_group>`` with ``vars.school`` and
                                                children ``<school_group>_<kind>`` holding hosts
    inventories/<trust>/assets/<school>.csv     asset register
    inventories/<trust>/people/staff.csv        staff list (leavers), from the MIS or HR system
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matops.inventory.assets import read_register
from matops.inventory.checks import school_problems, trust_problems
from matops.inventory.model import (
    Asset,
    School,
    SchoolInfo,
    Target,
    TargetVars,
    Trust,
    TrustSettings,
)
from matops.inventory.prices import PRICES_FILE, load_prices
from matops.inventory.secrets import plaintext_secret_warnings
from matops.inventory.sources import SourceMap
from matops.inventory.staff_csv import read_staff
from matops.inventory.tenant_checks import tenant_problems
from matops.platforms import platform_error
from matops.source.problems import Problem, ProblemsError, Severity
from matops.source.pydantic_errors import validate_node
from matops.source.yamlsrc import LineDict, ParsedFiles, YamlSyntaxError

KIND_GROUPS: dict[str, str] = {
    "linux": "linux",
    "switches": "switch",
    "access_points": "access_point",
    "firewalls": "firewall",
}
"""Group-name suffix → target kind. The same names are trust-wide groups of every school's kit."""


class InventoryError(ProblemsError):
    """Raised when an inventory cannot be used; carries every problem found."""


@dataclass
class LoadResult:
    """A loaded trust (None when errors prevent it) and every problem found."""

    trust: Trust | None
    problems: list[Problem]
    sources: SourceMap

    @property
    def errors(self) -> list[Problem]:
        """Only the problems that are errors."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def _read_yaml(path: Path, problems: list[Problem], parsed: ParsedFiles) -> Any:
    try:
        return parsed.load(path)
    except YamlSyntaxError as exc:
        problems.append(Problem(path, exc.line, str(exc)))
    except OSError as exc:
        problems.append(Problem(path, 1, f"cannot read file: {exc.strerror}"))
    return None


def _trust_vars_files(root: Path, problems: list[Problem]) -> list[Path]:
    """The files Ansible reads for group ``all``: the ``all/`` folder, else ``all.yml``."""
    group_vars = root / "group_vars"
    single = [group_vars / f"all{ext}" for ext in (".yml", ".yaml")]
    single = [f for f in single if f.is_file()]
    folder = group_vars / "all"
    if not folder.is_dir():
        return single
    for path in single:
        message = "Ansible ignores this file because group_vars/all/ exists: move it into all/"
        problems.append(Problem(path, 1, message))
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_settings(
    root: Path, problems: list[Problem], sources: SourceMap, parsed: ParsedFiles | None = None
) -> TrustSettings | None:
    """Read the ``trust`` key from ``group_vars/all`` (``parsed``: the load's parsed files)."""
    parsed = parsed or ParsedFiles()
    files = _trust_vars_files(root, problems)
    if not files:
        problems.append(Problem(root / "group_vars" / "all.yml", 1, "missing trust settings file"))
        return None
    for path in files:
        doc = _read_yaml(path, problems, parsed)
        if isinstance(doc, LineDict) and "trust" in doc:
            node = doc["trust"]
            services = node.key_lines.get("services") if isinstance(node, LineDict) else None
            sources.settings = (path, services or doc.key_lines["trust"])
            if isinstance(node, LineDict):
                sources.tenants = (path, node)
            settings, found = validate_node(TrustSettings, node, path, ("trust",))
            if not isinstance(node, LineDict):
                found = [Problem(path, doc.key_lines["trust"], "trust: expected a mapping")]
            problems.extend(found)
            return settings
    problems.append(Problem(files[0], 1, "no 'trust' key with the trust-wide settings"))
    return None


def _school_group(doc: LineDict, path: Path, problems: list[Problem]) -> str | None:
    names = [k for k in doc if k not in KIND_GROUPS and k != "all"]
    if len(names) != 1 or not isinstance(names[0], str):
        found = ", ".join(map(str, names)) or "none"
        problems.append(Problem(path, 1, f"expected exactly one school group, found: {found}"))
        return None
    return names[0]


def _load_targets(
    group: str, body: LineDict, school_id: str, path: Path, problems: list[Problem]
) -> list[tuple[Target, LineDict]]:
    children = body.get("children") or LineDict()
    if not isinstance(children, LineDict):
        problems.append(
            Problem(path, body.key_lines.get("children", body.line), "children: expected a mapping")
        )
        return []
    targets: list[tuple[Target, LineDict]] = []
    for child, child_body in children.items():
        suffix = str(child).removeprefix(f"{group}_")
        kind = KIND_GROUPS.get(suffix)
        line = children.key_lines[child]
        if kind is None or not str(child).startswith(f"{group}_"):
            valid = ", ".join(f"{group}_{s}" for s in KIND_GROUPS)
            problems.append(Problem(path, line, f"unknown group {child!r}; valid groups: {valid}"))
            continue
        hosts = child_body.get("hosts") if isinstance(child_body, LineDict) else None
        if not isinstance(hosts, LineDict):
            continue
        for name, host_vars in hosts.items():
            host_line = hosts.key_lines[name]
            prefix = ("children", child, "hosts", name)
            tvars, found = validate_node(TargetVars, host_vars or LineDict(), path, prefix)
            problems.extend(
                Problem(p.path, p.line if host_vars else host_line, p.message) for p in found
            )
            if tvars is None:
                continue
            error = platform_error(tvars.platform, kind)
            if error:
                problems.append(
                    Problem(
                        path, host_vars.key_lines.get("platform", host_line), f"{name}: {error}"
                    )
                )
                continue
            try:
                target = Target(name=str(name), kind=kind, school=school_id, vars=tvars)
            except ValueError:
                problems.append(
                    Problem(path, host_line, f"invalid hostname {name!r} (use a-z, 0-9, -)")
                )
                continue
            targets.append((target, host_vars))
    return targets


def load_school(
    path: Path, problems: list[Problem], sources: SourceMap, parsed: ParsedFiles | None = None
) -> tuple[SchoolInfo, str, list[Target]] | None:
    """Load one school file: its facts and its targets (``parsed``: the load's parsed files)."""
    doc = _read_yaml(path, problems, parsed or ParsedFiles())
    if doc is None:
        return None
    if not isinstance(doc, LineDict):
        problems.append(
            Problem(path, 1, "expected an Ansible YAML inventory (a mapping of groups)")
        )
        return None
    group = _school_group(doc, path, problems)
    if group is None:
        return None
    body = doc[group]
    school_vars = body.get("vars") if isinstance(body, LineDict) else None
    if not isinstance(school_vars, LineDict) or "school" not in school_vars:
        problems.append(Problem(path, doc.key_lines[group], f"group {group!r} has no vars.school"))
        return None
    info, found = validate_node(SchoolInfo, school_vars["school"], path, ("vars", "school"))
    problems.extend(found)
    if info is None:
        return None
    if info.id != path.stem:
        line = school_vars["school"].key_lines.get("id", 1)
        problems.append(
            Problem(path, line, f"school id {info.id!r} does not match file name {path.stem!r}")
        )
    sources.schools[info.id] = (path, doc.key_lines[group])
    located = _load_targets(group, body, info.id, path, problems)
    for target, node in located:
        sources.target_sites.append((target, path, node.key_lines.get("ansible_host", node.line)))
    _record_subnets(info, school_vars["school"], path, sources)
    problems.extend(school_problems(info, located, school_vars["school"], path))
    return info, group, [t for t, _ in located]


def _record_subnets(info: SchoolInfo, node: LineDict, path: Path, sources: SourceMap) -> None:
    net = node.get("network", LineDict())
    mgmt_line = (
        net.get("management", LineDict()).key_lines.get("subnet", 1)
        if isinstance(net, LineDict)
        else 1
    )
    sources.subnets.append((info.id, info.network.management.subnet, path, mgmt_line))
    vlan_nodes = net.get("vlans", []) if isinstance(net, LineDict) else []
    for vlan, vnode in zip(info.network.vlans, vlan_nodes, strict=False):
        if vlan.subnet is not None and vlan.subnet != info.network.management.subnet:
            line = vnode.key_lines.get("subnet", 1) if isinstance(vnode, LineDict) else 1
            sources.subnets.append((info.id, vlan.subnet, path, line))


def _has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def load(root: Path) -> LoadResult:
    """Load and validate a whole trust directory. Never raises for bad content.

    Each YAML file is parsed once: the plaintext-secret warnings read the documents the model
    was built from (and parse only the files the model does not use).
    """
    problems: list[Problem] = []
    sources = SourceMap()
    if not root.is_dir():
        return LoadResult(None, [Problem(root, 1, "inventory directory not found")], sources)
    parsed = ParsedFiles()
    settings = load_settings(root, problems, sources, parsed)
    schools: list[School] = []
    school_files = sorted((root / "schools").glob("*.y*ml"))
    if not school_files:
        problems.append(Problem(root / "schools", 1, "no school files (schools/*.yml)"))
    for path in school_files:
        loaded = load_school(path, problems, sources, parsed)
        if loaded is None:
            continue
        info, group, targets = loaded
        assets = _load_assets(root, info.id, problems, sources)
        schools.append(School(info=info, group=group, targets=targets, assets=assets))
    problems.extend(trust_problems(settings, sources, complete=not _has_errors(problems)))
    if settings is not None:
        problems.extend(tenant_problems(settings, sources, {s.id for s in schools}))
    staff, found = read_staff(root)
    problems.extend(found)
    problems.extend(load_prices(root / PRICES_FILE, parsed.load)[1])
    problems.extend(plaintext_secret_warnings(root, parsed.load))
    valid = settings is not None and not _has_errors(problems)
    members = [row.member for row in staff]
    trust = Trust(settings=settings, schools=schools, staff=members) if valid and settings else None
    return LoadResult(trust, sorted(set(problems)), sources)


def _load_assets(
    root: Path, school_id: str, problems: list[Problem], sources: SourceMap
) -> list[Asset]:
    path = root / "assets" / f"{school_id}.csv"
    if not path.is_file():
        return []
    sources.assets[school_id] = path
    rows, found = read_register(path)
    problems.extend(found)
    sources.asset_rows.extend((school_id, row, path) for row in rows)
    return [row.asset for row in rows]


def load_trust(root: Path) -> Trust:
    """Load a trust or raise :class:`InventoryError` listing every error."""
    result = load(root)
    if result.trust is None:
        raise InventoryError(result.errors or result.problems)
    return result.trust
