"""Helpers for the role integration tests: deploy with an engine, compare managed files."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import testinfra

from matops.deploy.engine import (
    CommandResult,
    Item,
    managed_items,
    plan_role,
)
from matops.deploy.runner import ROLES_DIR, DeployOutcome, DeployRequest, Engine, run
from matops.inventory.ansible_vars import AnsibleVariables
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab


def deploy(lab: Lab, engine: Engine, hosts: list[str], roles: list[str]) -> DeployOutcome:
    """Apply ``roles`` to ``hosts`` with ``engine``; the run must not fail on any host."""
    request = DeployRequest(
        trust_dir=EXAMPLE_TRUST, hosts=hosts, roles=roles, engine=engine, ssh_config=lab.ssh_config
    )
    outcome = run(request, printer=lambda line: None)
    failed = {h: r.errors for h, r in outcome.results.items() if r.is_failed}
    assert not failed, f"{engine.value} failed: {failed}"
    assert set(outcome.results) == set(hosts)
    return outcome


def deploy_trust(
    lab: Lab, trust: Path, engine: Engine, hosts: list[str], roles: list[str]
) -> DeployOutcome:
    """Apply ``roles`` from another trust folder (a test's copy of the example trust)."""
    request = DeployRequest(
        trust_dir=trust, hosts=hosts, roles=roles, engine=engine, ssh_config=lab.ssh_config
    )
    outcome = run(request, printer=lambda line: None)
    failed = {h: r.errors for h, r in outcome.results.items() if r.is_failed}
    assert not failed, f"{engine.value} failed: {failed}"
    return outcome


def converge_twice(lab: Lab, engine: Engine, hosts: list[str], roles: list[str]) -> None:
    """Apply, then apply again: the second run changes nothing on any host."""
    deploy(lab, engine, hosts, roles)
    again = deploy(lab, engine, hosts, roles)
    changed = {h: r.changes for h, r in again.results.items() if r.changed}
    assert not changed, f"{engine.value} second run changed: {changed}"


def host(lab: Lab, name: str) -> Any:
    """A testinfra host over the lab's ssh_config, as root through sudo; checks it is ``name``."""
    target = testinfra.get_host(f"ssh://{name}", ssh_config=str(lab.ssh_config), sudo=True)
    assert target.check_output("hostname") == name
    return target


def digests(target: Any, paths: list[str]) -> dict[str, str]:
    """sha256, owner and mode of each managed file on a testinfra host."""
    result = {}
    for path in paths:
        f = target.file(path)
        assert f.exists, f"{path} missing"
        result[path] = f"{f.sha256sum} {f.user}:{f.group} {oct(f.mode)}"
    return result


def derived_items(lab: Lab, host_name: str, roles: list[str]) -> list[Item]:
    """Every item the roles' tasks manage on a host, from the tasks: the pyinfra engine's plan
    (as if every step changed), its read-only commands answered by the host itself."""
    host_vars = AnsibleVariables(EXAMPLE_TRUST).rendered(host_name)

    def reads(shell: str) -> CommandResult:
        done = lab.ssh(host_name, f"sudo sh -c {shlex.quote(shell)}")
        return CommandResult(done.stdout, done.returncode)

    items: list[Item] = []
    for role in roles:
        steps = plan_role(ROLES_DIR / role, host_vars, host_name, reads)
        items += [i for s in steps for i in managed_items(s) if i not in items]
    return items


def _probe(item: Item) -> str:
    """The shell command that shows an item's state on a host."""
    q = shlex.quote(item.key)
    stat = f"sudo stat -c '%U %G %a' {q}"
    probes = {
        "file": f"{stat}; sudo cat {q}",
        "directory": stat,
        "attributes": stat,
        "line": f"{stat}; sudo grep -cxF -e {shlex.quote(dict(item.expect).get('line', ''))} {q}",
        "absent": f"sudo test -e {q} && echo present || echo absent",
        "service": f"systemctl is-enabled {q}; systemctl is-active {q}",
        "package": f"dpkg-query -W -f '${{Status}}\\n' {q}",
        "no package": f"dpkg-query -W -f '${{Status}}\\n' {q} 2>/dev/null || echo not known",
        "link": f"sudo readlink {q}",
        "account": f"getent passwd {q} | cut -d: -f6,7",
        "no account": f"getent passwd {q} >/dev/null && echo present || echo absent",
        "locked": f"sudo passwd -S {q} | cut -d' ' -f2",
        # the running value, and whether this host may set it (a container's /proc/sys is
        # mostly read-only: the role then reports the setting as not possible here)
        "sysctl": f"sudo sysctl -n {q} 2>&1 | tr -s ' \\t' ' '; "
        f"sudo test -w /proc/sys/{shlex.quote(item.key.replace('.', '/'))} && echo settable "
        "|| echo read-only",
    }
    return probes[item.kind]


def item_states(lab: Lab, host_name: str, items: list[Item]) -> dict[Item, str]:
    """What each item is on the host: owner, group, mode and content of a file or folder,
    whether a service is enabled and active, a package's status."""
    marker = "== matops item"
    script = "; ".join(f"echo {shlex.quote(marker)}; " + _probe(i) for i in items)
    result = lab.ssh(host_name, script)
    parts = result.stdout.split(f"{marker}\n")[1:]
    assert len(parts) == len(items), result.stderr
    return dict(zip(items, parts, strict=True))


def expected_problems(states: dict[Item, str]) -> list[str]:
    """Items whose state differs from what their task asks (owner, group, mode, service state,
    the running value of a kernel setting the host may set)."""
    problems = []
    for item, text in states.items():
        want = dict(item.expect)
        first = text.splitlines()[0] if text else ""
        if item.kind in ("file", "directory", "attributes", "line"):
            wanted = f"{want['owner']} {want['group']} {want['mode'].lstrip('0')}"
            if first != wanted:
                problems.append(f"{item.key}: {first!r}, the task says {wanted!r}")
        elif item.kind == "service":
            enabled = "enabled" if want.get("enabled") == "True" else None
            active = {"started": "active", "stopped": "inactive"}.get(want.get("state", ""))
            seen = text.split()
            if (enabled and seen[:1] != [enabled]) or (active and seen[1:2] != [active]):
                problems.append(f"{item.key}: {seen}, the task says {want}")
        if item.kind == "line" and text.splitlines()[1:2] != ["1"]:
            problems.append(f"{item.key}: the line {want['line']!r} is not there exactly once")
        if item.kind == "absent" and first != "absent":
            problems.append(f"{item.key}: exists, the task removes it")
        elif item.kind == "package" and "install ok installed" not in text:
            problems.append(f"{item.key}: {text.strip()!r}")
        elif item.kind == "no package" and "install ok installed" in text:
            problems.append(f"{item.key}: installed, the task removes it")
        elif item.kind == "link" and first != want["target"]:
            problems.append(f"{item.key}: points to {first!r}, the task says {want['target']!r}")
        elif item.kind == "account" and first != f"{want['home']}:{want['shell']}":
            problems.append(f"{item.key}: {first!r}, the task says {want}")
        elif item.kind == "no account" and first != "absent":
            problems.append(f"{item.key}: still there, the task removes it")
        elif item.kind == "locked" and first != "L":
            problems.append(f"{item.key}: not locked")
        elif item.kind == "sysctl" and text.splitlines()[1:2] == ["settable"]:
            running, wanted = first, " ".join(want["value"].split())
            if running != wanted:
                problems.append(f"{item.key}: runs with {running!r}, the role sets {wanted!r}")
    return problems
