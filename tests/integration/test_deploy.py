"""Deploys on the lab: Ansible on oak-srv01, pyinfra on stm-srv01, the same roles and variables.

Works on fresh or already-deployed hosts (every test first converges its host). Leaves both hosts,
and the endpoint oak-ws01 (Ansible), deployed with the whole site (every role of site.yml; SSH
still open to the lab's operator, who stays in sudo), the trust's administrators created, and no
other local login accounts.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from matops.connect.profile import build_profile
from matops.deploy.runner import ROLES_DIR, DeployRequest, Engine, available_roles, run
from matops.inventory import load_trust
from matops.lab.mirror import publish_update, withdraw_updates
from matops.scan.catalogue import load_catalogue
from matops.scan.live import LiveOptions
from matops.scan.runner import Selection
from matops.scan.session import ScanRequest, run_scan
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import LAB_MIRROR, Lab
from tests.integration.roles_support import derived_items, expected_problems, item_states

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
    "/etc/apt/sources.list.d/matops-mirror.sources",
    "/etc/apt/sources.list",
    "/etc/apt/apt.conf.d/15matops-update-stamp",
]


#: The whole site: every role of site.yml. The endpoint oak-ws01 joins the Ansible run.
SITE = available_roles()
SITE_HOSTS = {Engine.ANSIBLE: ["oak-srv01", "oak-ws01"], Engine.PYINFRA: ["stm-srv01"]}
SITE_MANAGED = [
    *MANAGED,
    "/etc/hostname",
    "/etc/hosts",
    "/etc/timezone",
    "/etc/chrony/chrony.conf",
    "/etc/resolv.conf",
    "/etc/issue.net",
    "/etc/issue",
    "/etc/sudoers.d/matops-admins",
    "/home/hokafor/.ssh/authorized_keys",
    "/home/breakglass/.ssh/authorized_keys",
    "/etc/rsyslog.d/50-matops-forward.conf",
    "/etc/systemd/journald.conf.d/50-matops.conf",
    "/etc/audit/rules.d/50-matops-privileged.rules",
    "/etc/security/faillock.conf",
    "/etc/security/pwquality.conf",
    "/etc/modprobe.d/60-matops-blocked-modules.conf",
    "/etc/security/limits.d/60-matops-coredump.conf",
    "/etc/login.defs",
    "/etc/pam.d/common-auth",
]
#: The command docs/deploy.md shows for a dry run (run by a test below, from that file).
DEPLOY_DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def deploy(lab: Lab, engine: Engine, roles_dir: Path = ROLES_DIR, check: bool = False):  # type: ignore[no-untyped-def]
    request = DeployRequest(
        EXAMPLE_TRUST, [HOSTS[engine]], ROLES, engine, check, roles_dir=roles_dir,
        profile=build_profile(EXAMPLE_TRUST, lab_dir=lab.state_dir),
    )  # fmt: skip
    return run(request, printer=lambda line: None)


def deploy_site(lab: Lab, engine: Engine, roles: list[str] = SITE):  # type: ignore[no-untyped-def]
    """Every role of site.yml (or ``roles``) on the engine's site hosts."""
    request = DeployRequest(
        EXAMPLE_TRUST, SITE_HOSTS[engine], roles, engine,
        profile=build_profile(EXAMPLE_TRUST, lab_dir=lab.state_dir),
    )  # fmt: skip
    return run(request, printer=lambda line: None)


def fresh_ssh(lab: Lab, host: str, *command: str) -> subprocess.CompletedProcess[str]:
    """A new SSH connection (no shared master), so the firewall and sshd are really tested."""
    argv = ["ssh", "-F", str(lab.ssh_config), "-o", "ControlPath=none", host, *command]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def state(lab: Lab, host: str, managed: list[str] = MANAGED) -> str:
    """Managed files (content, mode, owner), the live ruleset and sshd's effective settings."""
    script = (
        f'for f in {" ".join(managed)}; do echo "== $f"; sudo stat -c \'%a %U %G\' "$f"; '
        'sudo cat "$f"; done; sudo nft list ruleset; sudo sshd -T | sort'
    )
    result = lab.ssh(host, script)
    assert result.returncode == 0, result.stderr
    return result.stdout


def files(lab: Lab, host: str, managed: list[str]) -> str:
    """The managed files alone: path, mode, owner, group, content."""
    script = " ".join(
        f"echo \"== {f}\"; sudo stat -c '%a %U %G' {f}; sudo cat {f};" for f in managed
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


def compared_items(lab: Lab, roles: list[str], placeholders: dict[str, dict[str, str]]) -> None:
    """Every item the roles' tasks manage (derived from the tasks, not listed) is as its task says
    on the Ansible host and the pyinfra host, and the same on both once host-specific values
    (``placeholders[host]``: value -> placeholder) are replaced."""
    items = {host: derived_items(lab, host, roles) for host in SUBNETS}
    assert items["oak-srv01"] == items["stm-srv01"]
    texts = {}
    for host, replace in placeholders.items():
        states = item_states(lab, host, items[host])
        assert not expected_problems(states), (host, expected_problems(states))
        for value, placeholder in replace.items():
            states = {i: t.replace(value, placeholder) for i, t in states.items()}
        texts[host] = states
    assert texts["oak-srv01"] == texts["stm-srv01"]


def test_every_item_the_tasks_manage_is_the_same_with_both_engines(deployed: Lab) -> None:
    compared_items(deployed, ROLES, {h: {s: "<management subnet>"} for h, s in SUBNETS.items()})


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


# The whole site (every role of site.yml) with each engine ------------------------------------


@pytest.fixture(scope="module")
def site_deployed(lab: Lab) -> Lab:
    """The whole site on every site host, after planting a local account nobody named (a leaver
    still in sudo) that the baseline role must remove."""
    for engine, hosts in SITE_HOSTS.items():
        for host in hosts:
            assert lab.ssh(host, "hostname").stdout.strip() == host
            plant = "id leaver >/dev/null 2>&1 || sudo useradd --create-home --groups sudo leaver"
            assert lab.ssh(host, plant).returncode == 0
        first = deploy_site(lab, engine)
        assert not first.failed, first.results
    return lab


@pytest.mark.parametrize("engine", list(Engine))
def test_whole_site_second_run_changes_nothing(site_deployed: Lab, engine: Engine) -> None:
    outcome = deploy_site(site_deployed, engine)
    assert set(outcome.results) == set(SITE_HOSTS[engine])
    for host, result in outcome.results.items():
        assert not result.is_failed, (host, result)
        assert result.changed == 0, (host, result.changes)
        assert result.ok > 0, host


def test_whole_site_files_are_the_same_with_both_engines(site_deployed: Lab) -> None:
    texts = {}
    for host, subnet in SUBNETS.items():
        address = {"oak-srv01": "198.18.10.11", "stm-srv01": "198.18.30.11"}[host]
        text = files(site_deployed, host, SITE_MANAGED)
        for value, placeholder in ((subnet, "<subnet>"), (address, "<address>"), (host, "<host>")):
            text = text.replace(value, placeholder)
        texts[host] = text
    assert texts["oak-srv01"] == texts["stm-srv01"]
    assert "== /etc/sudoers.d/matops-admins\n440 root root\n" in texts["oak-srv01"]
    assert "== /home/hokafor/.ssh/authorized_keys\n600 hokafor hokafor\n" in texts["oak-srv01"]


def test_whole_site_items_the_tasks_manage_are_the_same_with_both_engines(
    site_deployed: Lab,
) -> None:
    addresses = {"oak-srv01": "198.18.10.11", "stm-srv01": "198.18.30.11"}
    compared_items(site_deployed, SITE, {
        h: {s: "<subnet>", addresses[h]: "<address>", h: "<host>"} for h, s in SUBNETS.items()
    })  # fmt: skip


@pytest.mark.parametrize("host", [h for hosts in SITE_HOSTS.values() for h in hosts])
def test_baseline_state(site_deployed: Lab, host: str) -> None:
    import testinfra

    target = testinfra.get_host(
        f"ssh://{host}", ssh_config=str(site_deployed.ssh_config), sudo=True
    )
    assert target.check_output("hostname") == host
    assert target.file("/etc/localtime").linked_to == "/usr/share/zoneinfo/Europe/London"
    chrony = target.file("/etc/chrony/chrony.conf").content_string
    assert re.findall(r"^(?:server|pool|peer|sourcedir|confdir)\b.*$", chrony, re.M) == [
        "server 198.18.20.10 iburst"
    ]
    assert "nameserver 198.18.20.10" in target.file("/etc/resolv.conf").content_string
    banner = target.file("/etc/issue.net")
    assert banner.content_string.startswith("Meadowbrook Learning Trust: authorised users only.")
    assert (banner.mode, banner.user) == (0o644, "root")
    assert "banner /etc/issue.net" in target.check_output("sshd -T")
    sudo_members = set(target.group("sudo").members)
    assert sudo_members == {"hokafor", "tbrennan", "breakglass", "matops"}
    for admin in ("hokafor", "tbrennan", "breakglass"):
        keys = target.file(f"/home/{admin}/.ssh/authorized_keys")
        assert (keys.mode, keys.user, keys.group) == (0o600, admin, admin)
        assert f"{admin}@meadowbrook.example" in keys.content_string
    assert not target.user("leaver").exists  # planted by the fixture, not in the inventory
    assert target.user("matops").exists  # the deploy account is never removed
    assert target.run("visudo -c").rc == 0


def test_posture_verdicts_match_between_engines(site_deployed: Lab) -> None:
    """Ansible's host and pyinfra's host get the same verdict for every Linux check."""
    catalogue = load_catalogue()
    hosts = list(SUBNETS)
    request = ScanRequest(
        root=EXAMPLE_TRUST, trust=load_trust(EXAMPLE_TRUST), catalogue=catalogue,
        checks=list(catalogue), selection=Selection(targets=frozenset(hosts)),
        live=LiveOptions(
            build_profile(EXAMPLE_TRUST, lab_dir=site_deployed.state_dir), connect_timeout=15
        ),
    )  # fmt: skip
    results = run_scan(request)
    verdicts = {
        host: {f.check: f.status.value for f in results.findings if f.target == host}
        for host in hosts
    }
    # every host check, but the endpoint-only one (neither host is an endpoint)
    linux = {c.id for c in catalogue if c.meta.area.value == "host"} - {"filtering_ca_installed"}
    assert linux <= set(verdicts["oak-srv01"]), linux - set(verdicts["oak-srv01"])
    assert verdicts["oak-srv01"] == verdicts["stm-srv01"]
    statuses = set(verdicts["oak-srv01"].values())
    assert not statuses & {"error", "unreachable"}, verdicts
    fixed_by_the_site = ("ssh_login_banner", "ssh_restricted_to_management_network",
                         "syslog_forwarded_to_trust", "password_minimum_length")  # fmt: skip
    assert {c: verdicts["oak-srv01"][c] for c in fixed_by_the_site} == dict.fromkeys(
        fixed_by_the_site, "pass"
    )


def documented_check_command() -> list[str]:
    """The dry-run command line docs/deploy.md shows (the first ``matops deploy ... --check``)."""
    for line in DEPLOY_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("matops deploy ") and "--check" in line:
            return line.split()
    raise AssertionError(f"{DEPLOY_DOC} shows no `matops deploy ... --check` line")


def test_documented_dry_run_changes_nothing(site_deployed: Lab) -> None:
    argv = documented_check_command()
    assert "oak-srv01" in argv, argv  # the doc's example targets a host these tests own
    before = state(site_deployed, "oak-srv01", SITE_MANAGED)
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("MATOPS_LAB_DIR", None)  # --lab finds the running lab by itself
    tool = Path(sys.executable).with_name("matops")
    done = subprocess.run([str(tool), *argv[1:]], env=env, capture_output=True, text=True,
                          timeout=900, check=False, cwd=DEPLOY_DOC.parents[1])  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "would change (--check)" in done.stdout
    assert re.search(r"│ oak-srv01 +│ 0 +│ \d+ +│ 0 +│", done.stdout), done.stdout[-2000:]
    assert state(site_deployed, "oak-srv01", SITE_MANAGED) == before


# Nothing the roles configure may break a basic task ------------------------------------------

ADMIN = "hokafor"
TEST_KEY_COMMENT = "matops-basic-tasks-test"
UPDATED = "netbase"
"""The package the test updates: no dependencies, conffiles nobody edits."""
UPGRADE = (
    "sudo -S -p '' sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
    f" -o Dpkg::Options::=--force-confold --only-upgrade {UPDATED}'"
)


def as_admin(lab: Lab, host: str, key: Path, command: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    """A new SSH connection as the administrator, with the test's key only."""
    argv = ["ssh", "-F", str(lab.ssh_config), "-o", "ControlPath=none", "-o", "IdentitiesOnly=yes",
            "-o", "IdentityFile=none", "-i", str(key), "-l", ADMIN, host, command]  # fmt: skip
    return subprocess.run(
        argv, input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def as_root(lab: Lab, host: str, command: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    """A command as root through the operator's sudo, with ``stdin`` (never on a command line)."""
    argv = ["ssh", "-F", str(lab.ssh_config), host, "sudo", "sh", "-c", shlex.quote(command)]
    return subprocess.run(
        argv, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("host", list(SUBNETS))
def test_basic_tasks_still_work_after_deploy(site_deployed: Lab, host: str, tmp_path: Path) -> None:
    """After the whole site: root sets an administrator's password (chpasswd, through pwquality),
    the administrator logs in with a key, sudo refuses them without the password and accepts it
    with, logrotate rotates, and the administrator installs an update published in the trust's
    mirror. The host is then put back as the deploy left it (the update stays installed)."""
    lab = site_deployed
    key = tmp_path / "admin_key"
    keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", TEST_KEY_COMMENT, "-f", str(key)]
    subprocess.run(keygen, check=True, capture_output=True)
    keys_file = f"/home/{ADMIN}/.ssh/authorized_keys"
    saved = as_root(lab, host, f"getent shadow {ADMIN} | cut -d: -f2")
    assert saved.returncode == 0 and saved.stdout.strip().startswith("!"), "not as deploy left it"
    password = secrets.token_urlsafe(18)
    try:
        done = as_root(lab, host, "chpasswd", stdin=f"{ADMIN}:{password}\n")
        assert done.returncode == 0, f"chpasswd failed after deploy: {done.stderr.strip()}"

        public = key.with_name("admin_key.pub").read_text()
        added = as_root(lab, host, f"cat >> {keys_file}", stdin=public)
        assert added.returncode == 0, added.stderr
        login = as_admin(lab, host, key, "id -un")
        assert login.returncode == 0 and login.stdout.strip() == ADMIN, login.stderr

        refused = as_admin(lab, host, key, "sudo -n true")
        assert refused.returncode != 0 and "password is required" in refused.stderr
        root = as_admin(lab, host, key, "sudo -S -p '' id -u", stdin=password + "\n")
        assert root.returncode == 0 and root.stdout.strip() == "0", root.stderr

        rotated = as_root(lab, host, "logrotate -f /etc/logrotate.conf")
        assert rotated.returncode == 0, rotated.stderr

        # an update published in the trust's mirror (the lab's), installed by the administrator
        assert LAB_MIRROR is not None
        version = publish_update(lab.state_dir, LAB_MIRROR, UPDATED, datetime.now(UTC))
        try:
            upgrade = as_admin(lab, host, key, UPGRADE, stdin=password + "\n")
            assert upgrade.returncode == 0, upgrade.stdout[-1500:] + upgrade.stderr[-1500:]
        finally:
            withdraw_updates(lab.state_dir, LAB_MIRROR)
        installed = as_root(lab, host, f"dpkg-query -W -f='${{Version}}' {UPDATED}").stdout
        assert installed == version
    finally:
        restore = (f"sed -i '/ {TEST_KEY_COMMENT}$/d' {keys_file} && "
                   f"usermod -p {shlex.quote(saved.stdout.strip())} {ADMIN}")  # fmt: skip
        assert as_root(lab, host, restore).returncode == 0
    keys = as_root(lab, host, f"cat {keys_file}").stdout
    assert TEST_KEY_COMMENT not in keys and f"{ADMIN}@meadowbrook.example" in keys
