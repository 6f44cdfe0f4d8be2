"""Deploys on the lab: Ansible on oak-srv01, pyinfra on stm-srv01, the same roles and variables.

Works on fresh or already-deployed hosts (every test first converges its host). Leaves both hosts
deployed with ssh_hardening, firewall and updates (SSH still open to the lab's operator).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from matops.deploy.runner import ROLES_DIR, DeployRequest, Engine, run
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab

pytestmark = pytest.mark.integration

ROLES = ["ssh_hardening", "firewall", "updates"]
HOSTS = {Engine.ANSIBLE: "oak-srv01", Engine.PYINFRA: "stm-srv01"}
SUBNETS = {"oak-srv01": "198.18.10.0/24", "stm-srv01": "198.18.30.0/24"}
MANAGED = [
    "/etc/ssh/sshd_config.d/00-matops-hardening.conf",
    "/etc/nftables.conf",
    "/etc/apt/apt.conf.d/20auto-upgrades",
    "/etc/apt/apt.conf.d/52matops-unattended-upgrades",
    "/etc/systemd/system/apt-daily-upgrade.timer.d/matops.conf",
]


def deploy(lab: Lab, engine: Engine, roles_dir: Path = ROLES_DIR, check: bool = False):  # type: ignore[no-untyped-def]
    request = DeployRequest(
        EXAMPLE_TRUST, [HOSTS[engine]], ROLES, engine, check, lab.ssh_config, roles_dir
    )
    return run(request, printer=lambda line: None)


def fresh_ssh(lab: Lab, host: str, *command: str) -> subprocess.CompletedProcess[str]:
    """A new SSH connection (no shared master), so the firewall and sshd are really tested."""
    argv = ["ssh", "-F", str(lab.ssh_config), "-o", "ControlPath=none", host, *command]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def state(lab: Lab, host: str) -> str:
    """Managed files (content, mode, owner), the live ruleset and sshd's effective settings."""
    script = (
        f'for f in {" ".join(MANAGED)}; do echo "== $f"; sudo stat -c \'%a %U %G\' "$f"; '
        'sudo cat "$f"; done; sudo nft list ruleset; sudo sshd -T | sort'
    )
    result = lab.ssh(host, script)
    assert result.returncode == 0, result.stderr
    return result.stdout


def broken_roles(tmp_path: Path, role: str, template: str, line: str) -> Path:
    roles = tmp_path / "roles"
    shutil.copytree(ROLES_DIR, roles, ignore=shutil.ignore_patterns("__pycache__"))
    path = roles / role / "templates" / template
    path.write_text(path.read_text() + line)
    return roles


@pytest.fixture(scope="module")
def deployed(lab: Lab) -> Lab:
    for engine, host in HOSTS.items():
        assert lab.ssh(host, "hostname").stdout.strip() == host
        first = deploy(lab, engine)
        assert not first.failed, first.results
    return lab


@pytest.mark.parametrize("engine", list(Engine))
def test_second_run_changes_nothing(deployed: Lab, engine: Engine) -> None:
    result = deploy(deployed, engine).results[HOSTS[engine]]
    assert not result.is_failed, result
    assert result.changed == 0, result.changes
    assert result.ok > 0


def test_both_engines_write_the_same_files(deployed: Lab) -> None:
    texts = {}
    for host, subnet in SUBNETS.items():
        text = state(deployed, host).split("table inet matops_filter", 1)[0]
        texts[host] = text.replace(subnet, "<management subnet>")
    assert texts["oak-srv01"] == texts["stm-srv01"]
    assert "== /etc/nftables.conf\n755 root root\n" in texts["oak-srv01"]


@pytest.mark.parametrize("engine", list(Engine))
@pytest.mark.parametrize(
    ("role", "template", "line"),
    [
        ("ssh_hardening", "sshd-hardening.conf.j2", "MaxAuthTries banana\n"),
        ("firewall", "nftables.conf.j2", "table inet broken { chain x { nonsense; } }\n"),
    ],
    ids=["sshd", "nftables"],
)
def test_broken_template_fails_validation_and_host_stays_reachable(
    deployed: Lab, tmp_path: Path, engine: Engine, role: str, template: str, line: str
) -> None:
    host = HOSTS[engine]
    before = state(deployed, host)
    result = deploy(deployed, engine, broken_roles(tmp_path, role, template, line)).results[host]
    assert result.is_failed
    assert fresh_ssh(deployed, host, "hostname").stdout.strip() == host
    assert state(deployed, host) == before


@pytest.mark.parametrize("engine", list(Engine))
def test_check_shows_changes_and_changes_nothing(
    deployed: Lab, tmp_path: Path, engine: Engine
) -> None:
    host = HOSTS[engine]
    roles = tmp_path / "roles"
    shutil.copytree(ROLES_DIR, roles, ignore=shutil.ignore_patterns("__pycache__"))
    defaults = roles / "ssh_hardening" / "defaults" / "main.yml"
    defaults.write_text(defaults.read_text().replace("max_auth_tries: 3", "max_auth_tries: 2"))
    before = state(deployed, host)
    result = deploy(deployed, engine, roles, check=True).results[host]
    assert not result.is_failed, result
    assert any("ssh_max_auth_tries" in change for change in result.changes), result.changes
    assert state(deployed, host) == before


@pytest.mark.parametrize("host", list(SUBNETS))
def test_deployed_state(deployed: Lab, host: str) -> None:
    import testinfra

    target = testinfra.get_host(f"ssh://{host}", ssh_config=str(deployed.ssh_config), sudo=True)
    for unit in ("ssh", "nftables", "apt-daily-upgrade.timer"):
        assert target.service(unit).is_running, unit
        assert target.service(unit).is_enabled, unit
    dropin = target.file("/etc/ssh/sshd_config.d/00-matops-hardening.conf")
    assert (dropin.mode, dropin.user) == (0o644, "root")
    assert "policy drop" in target.check_output("nft list chain inet matops_filter input")
    effective = target.check_output("sshd -T")
    assert re.search(r"^permitrootlogin no$", effective, re.M)
    assert re.search(r"^maxauthtries 3$", effective, re.M)


@pytest.mark.parametrize("host", list(SUBNETS))
def test_root_and_password_logins_are_refused(deployed: Lab, host: str) -> None:
    as_root = fresh_ssh(deployed, host, "-l", "root", "true")
    assert as_root.returncode == 255 and "Permission denied" in as_root.stderr
    password = fresh_ssh(
        deployed, host, "-o", "PubkeyAuthentication=no",
        "-o", "PreferredAuthentications=password,keyboard-interactive", "true",
    )  # fmt: skip
    assert password.returncode == 255
    assert "Permission denied (publickey)" in password.stderr
