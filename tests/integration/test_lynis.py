"""Lynis, an independent auditor, on a fresh lab host and on a host after ``matops deploy``.

riv-mon01 is a fresh Debian container nobody deploys to; stm-srv01 gets the whole site with
pyinfra here (as ``test_deploy`` leaves it). Lynis runs on each (``lynis audit system --quick``);
the hardening index before and after, every remaining warning and suggestion, and the points a
container can never earn are written to ``lynis-summary.txt`` in the test's tmp folder (and the
raw reports and logs beside it), and printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.deploy.runner import DeployRequest, Engine, available_roles, run
from matops.lab.lynis import Audit, audit_host, index_without, lost
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab

pytestmark = pytest.mark.integration

FRESH = "riv-mon01"
DEPLOYED = "stm-srv01"
TARGET = 85
"""The issue's aim for the index after deploy (not met yet: docs/roles.md lists what is left)."""

CONTAINER = {
    "FILE-6310": "separate /home, /var and /tmp partitions: a container has one overlay root",
    "ACCT-9628": "auditd cannot run in a container (the audit subsystem is the machine's)",
    "MACF-6290": "AppArmor profiles are the machine's kernel's; a container cannot load them",
}
"""Lynis tests (besides read-only sysctls, found on the host itself) a container cannot pass."""

KNOWN_WARNINGS = {
    "PKGS-7388": "Lynis 3.0.8 looks for 'security' followed by a space or '/' in apt sources; "
    "the updates role writes deb822 .sources files, where the suite ends its line",
}
"""Warnings left after deploy, each with why it is not a finding about the host."""


def _deploy_site(lab: Lab, host: str) -> None:
    request = DeployRequest(
        EXAMPLE_TRUST, [host], available_roles(), Engine.PYINFRA, ssh_config=lab.ssh_config,
        extra_env={"MATOPS_LAB_DIR": str(lab.state_dir)},
    )  # fmt: skip
    outcome = run(request, printer=lambda line: None)
    assert not outcome.results[host].is_failed, outcome.results[host].errors


def _container_items(lab: Lab, host: str, audit: Audit) -> set[str]:
    """Lost points a container cannot earn: the CONTAINER tests and read-only sysctls."""
    return {name for name in lost(audit) if name in CONTAINER} | _readonly_sysctls(lab, host, audit)


def _readonly_sysctls(lab: Lab, host: str, audit: Audit) -> set[str]:
    """The KRNL-6000 sysctl items that lost points and cannot be written on ``host`` (measured
    there, as root: in a container ``kernel.*`` and other machine-wide keys are read-only)."""
    items = [name for name in lost(audit) if name.startswith("KRNL-6000:")]
    script = " ".join(
        f"test -w /proc/sys/{name.split(':', 1)[1].replace('.', '/')} || echo {name};"
        for name in items
    )
    done = lab.ssh(host, f"sudo sh -c {script!r}") if items else None
    assert done is None or done.returncode == 0, done.stderr
    return set(done.stdout.split()) if done else set()


def _summary(audit: Audit, artefacts: set[str]) -> list[str]:
    lines = [f"== {audit.host}: hardening index {audit.index}"]
    if artefacts:
        without = index_without(audit, artefacts)
        lines.append(f"   without points a container cannot earn: {without}")
        lines += [
            f"   container: {name} (-{lost(audit)[name]}) {CONTAINER.get(name, 'read-only here')}"
            for name in sorted(artefacts)
        ]
    lines += [f"   warning: {w.line()}" for w in audit.warnings]
    lines += [f"   suggestion: {s.line()}" for s in audit.suggestions]
    lines += [f"   lost: {name} -{n}" for name, n in lost(audit).items() if name not in artefacts]
    return lines


def test_lynis_before_and_after_deploy(lab: Lab, tmp_path: Path) -> None:
    audits: dict[str, tuple[Audit, set[str]]] = {}
    _deploy_site(lab, DEPLOYED)
    for host in (FRESH, DEPLOYED):
        audit, report, log = audit_host(lab.ssh_config, host)
        (tmp_path / f"{host}.report.dat").write_text(report)
        (tmp_path / f"{host}.log").write_text(log)
        audits[host] = (audit, _container_items(lab, host, audit))
    summary = [line for audit, artefacts in audits.values() for line in _summary(audit, artefacts)]
    (before, _), (after, artefacts) = audits[FRESH], audits[DEPLOYED]
    summary.append(
        f"== index {before.index} -> {after.index} ({index_without(before, audits[FRESH][1])} -> "
        f"{index_without(after, artefacts)} without what a container cannot earn); "
        f"the issue aims at {TARGET}"
    )
    (tmp_path / "lynis-summary.txt").write_text("\n".join(summary) + "\n")
    print("\n".join(summary))
    # What the roles earn, as measured (61 -> 77 on 2026-12-05): a regression fails here.
    assert after.index - before.index >= 12, summary[-1]
    unexplained = {w.test for w in after.warnings} - set(KNOWN_WARNINGS)
    assert not unexplained, [w.line() for w in after.warnings if w.test in unexplained]
    # The fixes Lynis measures for the hardening role's own checks are in place.
    assert not {"AUTH-9230", "AUTH-9328"} & set(lost(after)), lost(after)
