"""Helpers for the role integration tests: deploy with an engine, compare managed files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import testinfra

from matops.deploy.runner import DeployOutcome, DeployRequest, Engine, run
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
