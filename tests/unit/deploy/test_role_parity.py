"""Parity derived, not listed: every managed item comes from a role's tasks, for both engines.

For each role the pyinfra engine runs from its tasks, the plan on every Linux host of the example
trust is derived from the tasks; each planned operation must come from a task of the role, and each
task that manages something must be planned on some host; and no role carries a hand-written
pyinfra file beside its tasks.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

import pytest

from matops.deploy.engine import (
    CommandResult,
    Item,
    Step,
    managed_items,
    plan_role,
)
from matops.deploy.pyinfra_engine import operation
from matops.deploy.pyinfra_roles import DEPLOY_USER_COMMAND
from matops.deploy.site import site_roles
from matops.deploy.tasks import Task, load_role
from matops.inventory.ansible_vars import AnsibleVariables
from tests.conftest import EXAMPLE_TRUST

ROLES = Path(__file__).resolve().parents[3] / "roles"
ENGINE_ROLES = list(site_roles())
#: Modules that manage nothing lasting (notes, failures, variables, looks): no item to compare.
NOT_ITEMS = {"debug", "assert", "set_fact", "stat", "getent"}


#: A host where every conditional step has work: files present, sysctls differing, home folders
#: open, no AIDE database or cracklib dictionary yet, not a container.
LOGIN_DEFS = "PASS_MAX_DAYS\t99999\nUMASK\t022\n[Coredump]\n#Storage=external\n"
READS = {
    "stat -c": "root root 644\n" + base64.b64encode(LOGIN_DEFS.encode()).decode(),
    "test -e /var/lib/aide/": "",
    "test -e ": "exists",
    "sh -c ": "differs net.ipv4.ip_forward\nreadonly kernel.kptr_restrict",
    "id -nG ": "matops sudo",
    "awk ": "leaver\nhokafor",
    "getent group ": "sudo:x:27:matops,hokafor,stranger",
    "getent shadow": "nopw::19000:0:99999:7:::\nmatops:*:19000:0:99999:7:::",
    DEPLOY_USER_COMMAND: "matops",
}


def reads(shell: str) -> CommandResult:
    """Answers for the read-only commands (by their start), ``""`` with status 1 otherwise."""
    for start, answer in READS.items():
        if shell.startswith(start):
            return CommandResult(answer)
    return CommandResult("", 1)


#: Settings the example trust does not use, tried on a copy of one of its hosts' variables.
VARIANTS = {"riv-ws01 with a package mirror": ("riv-ws01", {"endpoint_software_install": True})}


@cache
def linux_hosts() -> dict[str, dict[str, object]]:
    variables = AnsibleVariables(EXAMPLE_TRUST)
    hosts = {h: variables.rendered(h) for h in variables.hosts() if "linux" in variables.groups(h)}
    for name, (host, extra) in VARIANTS.items():
        hosts[name] = {**hosts[host], **extra}
    return hosts


@cache
def plans(role: str) -> dict[str, list[Step]]:
    return {h: plan_role(ROLES / role, v, h, reads) for h, v in linux_hosts().items()}


def managing(task: Task) -> bool:
    changing_command = task.module == "command" and task.keywords.get("changed_when") is not False
    return task.module not in NOT_ITEMS | {"command"} or changing_command


def test_no_role_is_written_a_second_time_for_pyinfra() -> None:
    """Every role with tasks is in site.yml and has no Python file of its own: one source."""
    with_tasks = {p.parent.parent.name for p in ROLES.glob("*/tasks/main.yml")}
    assert with_tasks == set(ENGINE_ROLES)
    assert not list(ROLES.glob("*/*.py")), "a role is written twice: remove its .py file"


@pytest.mark.parametrize("role", ENGINE_ROLES)
def test_every_operation_comes_from_a_task_and_every_task_is_planned(role: str) -> None:
    source = load_role(ROLES / role)
    tasks = source.tasks + source.handlers
    written = {t.where for t in tasks}  # file:line names a task
    planned: set[str] = set()
    for host, steps in plans(role).items():
        for step in steps:
            assert step.task.where in written, f"{host}: {step.name} has no task"
            operation(step)  # maps to exactly one pyinfra operation (raises otherwise)
            planned.add(step.task.where)
    unplanned = [f"{t.where} {t.name}" for t in tasks if managing(t) and t.where not in planned]
    assert not unplanned, f"tasks no example-trust host plans: {unplanned}"


@pytest.mark.parametrize("role", ENGINE_ROLES)
def test_every_file_and_directory_names_its_owner_group_and_mode(role: str) -> None:
    items: list[Item] = [
        i for steps in plans(role).values() for s in steps for i in managed_items(s)
    ]
    assert items, f"{role} manages nothing on any host"
    for item in items:
        if item.kind in ("file", "directory"):
            assert {k for k, _ in item.expect} == {"owner", "group", "mode"}, item


def test_the_servers_get_the_site_roles_items() -> None:
    """The items the lab's parity test compares on stm-srv01 (spot checks of the derivation)."""
    items = {(i.kind, i.key) for r in ENGINE_ROLES for s in plans(r)["stm-srv01"]
             for i in managed_items(s)}  # fmt: skip
    assert ("file", "/etc/nftables.conf") in items
    assert ("service", "unattended-upgrades.service") in items
    assert ("package", "openssh-server") in items
    assert not any(key.startswith("/etc/firefox") for _, key in items)  # not an endpoint


def test_the_example_role_in_roles_md_is_the_fixture_the_docs_plan() -> None:
    """docs/roles.md shows the example role's tasks: the same text as the role its example plans."""
    doc = (ROLES.parent / "docs" / "roles.md").read_text(encoding="utf-8")
    shown = doc.split("```yaml\n# tasks/main.yml\n", 1)[1].split("```", 1)[0]
    role = ROLES.parent / "tests" / "fixtures" / "roles" / "timekeeper"
    assert (role / "tasks" / "main.yml").read_text(encoding="utf-8") == f"---\n{shown}"
    steps = plan_role(role, linux_hosts()["stm-srv01"], "stm-srv01", reads)
    assert [i.kind for s in steps for i in managed_items(s)] == ["package", "file", "service"]
