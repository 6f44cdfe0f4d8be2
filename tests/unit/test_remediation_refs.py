"""Every remediation a check names exists: its role and tagged task (in both engines), or the
network template section that sets what it checks.

Role tasks are read as Ansible reads them: tags on a task, a block (and its rescue/always
tasks) or an ``import_tasks``/``include_tasks`` line, following the included files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from matops.scan.catalogue import Check, load_catalogue
from tests.conftest import REPO

CATALOGUE = load_catalogue()
ROLES = REPO / "roles"
TEMPLATES = REPO / "src" / "matops" / "network" / "templates"
INCLUDES = {"import_tasks", "include_tasks", "ansible.builtin.import_tasks",
            "ansible.builtin.include_tasks"}  # fmt: skip

SECTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    # network_template name → platform → lines (regular expressions) the section consists of
    "baseline": {"cisco_ios": (r"^hostname ",), "aruba_aoscx": (r"^hostname ",)},
    "aaa": {
        "cisco_ios": (r"^aaa new-model", r"^aaa authentication login default "),
        "aruba_aoscx": (r"^aaa authentication login default ",),
    },
    "management_access": {
        "cisco_ios": (
            r"^ip ssh version 2",
            r"transport input ssh",
            r"^no ip http server",
            r"exec-timeout",
            r"^username .* secret 9",
            r"^banner login",
        ),
        "aruba_aoscx": (
            r"^ssh server vrf",
            r"^cli-session",
            r"^banner motd",
            r"^user .* password ciphertext",
        ),
    },
    "snmp": {
        "cisco_ios": (r"^snmp-server group .* v3 priv", r"^snmp-server user .* auth sha .* priv"),
        "aruba_aoscx": (r"^snmpv3 user .* auth sha .* priv aes",),
    },
    "services": {
        "cisco_ios": (r"^no cdp run", r"^lldp run", r"^ntp server", r"^logging host"),
        "aruba_aoscx": (r"^ntp server", r"^logging "),
    },
    "interfaces": {
        "cisco_ios": (r"spanning-tree bpduguard enable", r"switchport", r"shutdown"),
        "aruba_aoscx": (r"spanning-tree bpdu-guard", r"vlan", r"shutdown"),
    },
    "layer2_security": {
        "cisco_ios": (r"^ip dhcp snooping", r"^spanning-tree mode rapid-pvst"),
        "aruba_aoscx": (r"^dhcpv4-snooping", r"^spanning-tree mode rpvst"),
    },
}
"""The templates have no named blocks: a section is the lines that set what its checks judge."""


Task = tuple[str, frozenset[str]]
"""A task's name and its tags, with those it inherits from enclosing blocks and imports."""


def _tasks(tasks: Iterable[Any], folder: Path, inherited: frozenset[str]) -> Iterator[Task]:
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        tags = task.get("tags", [])
        own = inherited | frozenset([tags] if isinstance(tags, str) else tags)
        yield str(task.get("name", "")), own
        for key in ("block", "rescue", "always"):
            yield from _tasks(task.get(key, []), folder, own)
        for key in INCLUDES & set(task):
            name = task[key] if isinstance(task[key], str) else task[key].get("file", "")
            yield from _file_tasks(folder / name, own)


def _file_tasks(path: Path, inherited: frozenset[str] = frozenset()) -> Iterator[Task]:
    assert path.is_file(), f"{path} is included but does not exist"
    yield from _tasks(yaml.safe_load(path.read_text()), path.parent, inherited)


def role_tasks(role: str) -> list[Task]:
    """Every task of the role, from tasks/main.yml through its blocks and includes."""
    return list(_file_tasks(ROLES / role / "tasks" / "main.yml"))


ROLE_CHECKS = [c for c in CATALOGUE if c.meta.remediation.role]
TEMPLATE_CHECKS = [c for c in CATALOGUE if c.meta.remediation.network_template]


def test_the_catalogue_names_remediations() -> None:
    assert len(ROLE_CHECKS) >= 20 and len(TEMPLATE_CHECKS) >= 15


@pytest.mark.parametrize("check", ROLE_CHECKS, ids=[c.id for c in ROLE_CHECKS])
def test_role_and_tag_exist_in_both_engines(check: Check) -> None:
    fix = check.meta.remediation
    assert fix.role is not None and fix.tag is not None
    assert (ROLES / fix.role / "tasks" / "main.yml").is_file(), f"no role {fix.role}"
    names = [name for name, tags in role_tasks(fix.role) if fix.tag in tags]
    assert names, f"no task in role {fix.role} is tagged {fix.tag}"
    twin = ROLES / fix.role / "deploy.py"
    if twin.is_file():  # the pyinfra twin runs the same steps under the same names
        text = twin.read_text()
        steps = [name.split(" | ", 1)[-1] for name in names]
        assert any(step in text for step in steps), f"{twin}: none of {steps}"


def test_tag_walk_sees_blocks_and_includes(tmp_path: Path) -> None:
    """The walk itself: a tag only inside a block, or only in an included file, is found."""
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "extra.yml").write_text("- name: x\n  ansible.builtin.debug: {}\n  tags: [deep]\n")
    (tasks / "main.yml").write_text(
        "- name: b\n  block:\n    - name: y\n      ansible.builtin.debug: {}\n"
        "      tags: [in_block]\n"
        "- name: i\n  ansible.builtin.include_tasks: extra.yml\n"
    )
    found = {name: tags for name, tags in _file_tasks(tasks / "main.yml")}
    assert found["y"] == {"in_block"} and found["x"] == {"deep"}


def _template_text(platform: str) -> list[str]:
    folder = TEMPLATES / platform
    return [
        ln.rstrip() for path in sorted(folder.glob("*.j2")) for ln in path.read_text().splitlines()
    ]


@pytest.mark.parametrize("check", TEMPLATE_CHECKS, ids=[c.id for c in TEMPLATE_CHECKS])
def test_network_template_section_exists(check: Check) -> None:
    name = check.meta.remediation.network_template
    assert name in SECTIONS, f"{check.id}: no network template section {name!r}"
    platforms = check.meta.applies_to.platforms or list(SECTIONS[name])
    for platform in platforms:
        lines = _template_text(platform)
        missing = [p for p in SECTIONS[name][platform] if not any(re.search(p, ln) for ln in lines)]
        assert not missing, f"{check.id}: {platform} templates lack {name} lines {missing}"
