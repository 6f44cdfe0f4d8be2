"""Updates that really update: the lab's own mirror, a security update published into it, the
posture scan failing on it, unattended-upgrades installing it, the scan passing again.

The example trust names its mirror (``trust.apt_mirror``, 198.18.20.20); the session lab serves
it (:mod:`matops.lab.mirror`). Each test first puts its host in the state the auditors found
(sources without the security suite), so the order of tests does not matter. Ansible on
oak-srv01 and pyinfra on stm-srv01, the updates role's hosts in test_deploy.py too. Whatever is
published is withdrawn at the end, so that other tests' hosts see an empty security suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from matops.deploy.runner import Engine
from matops.lab.mirror import publish_update, withdraw_updates
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import LAB_MIRROR, Lab
from tests.integration.roles_support import converge_twice

pytestmark = pytest.mark.integration

CHECKS = (
    "apt_security_suite_configured",
    "apt_lists_fresh",
    "security_updates_within_14_days",
    "unattended_upgrades_enabled",
)
MIRROR = "http://198.18.20.20/debian"
ROLE_FILES = (
    "/etc/apt/sources.list.d/matops-mirror.sources /var/lib/apt/periodic/update-success-stamp"
)


def scan(lab: Lab, host: str, out: Path) -> dict[str, tuple[str, str]]:
    """``matops scan`` of the update checks on one host: check → (status, detail)."""
    tool = Path(sys.executable).with_name("matops")
    argv = [str(tool), "scan", str(EXAMPLE_TRUST), "--lab", "--lab-dir", str(lab.state_dir),
            "--target", host, "--checks", ",".join(CHECKS), "--fail-on", "never",
            "--output", str(out)]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    # exit 1 too: the example trust carries expired waivers, which fail every scan
    assert done.returncode in (0, 1) and out.is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    findings = json.loads(out.read_text())["findings"]
    found = {f["check"]: (f["status"], f["detail"]) for f in findings if f["target"] == host}
    assert set(found) == set(CHECKS), found
    return found


def as_found(lab: Lab, host: str, sources_list: str) -> None:
    """The host as the auditors found it: only ``sources_list``, lists refreshed from it."""
    script = (
        f"sudo rm -f {ROLE_FILES} && printf '%s' '{sources_list}' | sudo tee /etc/apt/sources.list"
        " >/dev/null && sudo apt-get update -q"
    )
    done = lab.ssh(host, script, timeout=300)
    assert lab.ssh(host, "hostname").stdout.strip() == host
    assert "198.18.20.20" in done.stdout, done.stdout + done.stderr


def statuses(found: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {check: status for check, (status, _detail) in found.items()}


def test_security_update_fails_the_scan_until_unattended_upgrades_installs_it(
    lab: Lab, tmp_path: Path
) -> None:
    host = "oak-srv01"
    as_found(lab, host, f"deb {MIRROR} bookworm main\n")
    before = scan(lab, host, tmp_path / "before.json")
    assert before["apt_security_suite_configured"][0] == "fail", before
    assert "no security suite" in before["security_updates_within_14_days"][1], before
    assert before["security_updates_within_14_days"][0] == "fail"
    assert before["unattended_upgrades_enabled"][0] == "fail"

    converge_twice(lab, Engine.ANSIBLE, [host], ["updates"])
    deployed = scan(lab, host, tmp_path / "deployed.json")
    assert statuses(deployed) == dict.fromkeys(CHECKS, "pass"), deployed

    assert LAB_MIRROR is not None
    published = datetime.now(UTC) - timedelta(days=20)
    version = publish_update(lab.state_dir, LAB_MIRROR, "less", published)
    try:
        refresh = lab.ssh(host, "sudo apt-get update -q", timeout=300)  # apt-daily's refresh
        assert refresh.returncode == 0, refresh.stdout + refresh.stderr
        pending = scan(lab, host, tmp_path / "pending.json")
        status, detail = pending["security_updates_within_14_days"]
        assert status == "fail", pending
        assert f"less {version}" in detail and f"since {published:%Y-%m-%d}" in detail, detail
        # read from dpkg's record and the security suite's list apt keeps, not apt's cache
        findings = json.loads((tmp_path / "pending.json").read_text())["findings"]
        (judged,) = [f for f in findings if f["target"] == host and f["check"] == CHECKS[2]]
        read = next(e for e in judged["evidence"] if "dpkg-query" in e["source"])
        assert f"less {version} (bookworm-security)" in read["excerpt"], read
        assert "dists_bookworm-security_main_binary-" in read["excerpt"], read

        # what the apt-daily-upgrade timer starts in the maintenance window
        upgrade = lab.ssh(host, "sudo systemctl start apt-daily-upgrade.service", timeout=600)
        assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
        installed = lab.ssh(host, "dpkg-query -W -f='${Version}' less").stdout
        assert installed == version
        after = scan(lab, host, tmp_path / "after.json")
        assert statuses(after) == dict.fromkeys(CHECKS, "pass"), after
    finally:
        withdraw_updates(lab.state_dir, LAB_MIRROR)


def test_sources_without_the_security_suite_fail_until_deploy(lab: Lab, tmp_path: Path) -> None:
    """One-line sources naming the release and a suite the mirror does not carry: apt cannot
    fetch it, and no security suite is configured. pyinfra's deploy puts both right."""
    host = "stm-srv01"
    as_found(lab, host, f"deb {MIRROR} bookworm main\ndeb {MIRROR} bookworm-backports main\n")
    before = scan(lab, host, tmp_path / "before.json")
    status, detail = before["apt_security_suite_configured"]
    assert status == "fail" and "bookworm (/etc/apt/sources.list)" in detail, before
    status, detail = before["apt_lists_fresh"]
    assert status == "fail" and "apt has never fetched" in detail, before
    assert f"bookworm-backports from {MIRROR}" in detail, detail
    assert before["security_updates_within_14_days"][0] == "fail"

    converge_twice(lab, Engine.PYINFRA, [host], ["updates"])
    after = scan(lab, host, tmp_path / "after.json")
    assert statuses(after) == dict.fromkeys(CHECKS, "pass"), after
    sources = lab.ssh(host, "cat /etc/apt/sources.list").stdout
    assert "bookworm-backports" not in sources
