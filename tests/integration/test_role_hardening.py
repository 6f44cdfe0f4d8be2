"""hardening role on the lab: Ansible on riv-bak01, pyinfra on riv-rad01, same results.

Each test first removes a managed file, so the first run has work to do even on a host that was
deployed before; the role puts it back, leaving the host as a deploy leaves it.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import pytest
import testinfra

from matops.deploy.runner import Engine
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import Subject
from matops.facts.register.collect import InventoryProvider
from matops.inventory import load_trust
from matops.scan.catalogue import load_catalogue
from matops.scan.model import Finding, Status
from matops.scan.runner import judge_subject
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab
from tests.integration.roles_support import (
    converge_twice,
    deploy,
    derived_items,
    digests,
    expected_problems,
    host,
    item_states,
)

pytestmark = pytest.mark.integration

ROLES = ["hardening"]
FILES = [
    "/etc/login.defs",
    "/etc/security/faillock.conf",
    "/etc/security/pwquality.conf",
    "/etc/pam.d/common-auth",
    "/etc/pam.d/common-account",
    "/etc/sysctl.d/60-matops-network.conf",
    "/etc/sysctl.d/60-matops-kernel.conf",
    "/etc/sysctl.d/60-matops-coredump.conf",
    "/etc/modprobe.d/60-matops-blocked-modules.conf",
    "/etc/modprobe.d/60-matops-network-protocols.conf",
    "/etc/sudoers.d/matops-hardening",
    "/etc/security/limits.d/60-matops-coredump.conf",
    "/etc/systemd/system.conf.d/60-matops-coredump.conf",
    "/etc/systemd/coredump.conf.d/60-matops.conf",
    "/etc/modprobe.d/60-matops-firewire.conf",
    "/etc/default/debsums",
]
HOSTS = {Engine.ANSIBLE: "riv-bak01", Engine.PYINFRA: "riv-rad01"}
#: Checks whose fixes this role brought in with Lynis's measurement (a fresh host fails them:
#: tests/integration/test_scan_live.py).
NEW_CHECKS = (
    "default_umask_restrictive", "password_hashing_strong", "uncommon_network_protocols_disabled",
    "cron_and_sshd_config_restricted", "sudo_uses_pty_and_logs", "home_directories_private",
    "file_integrity_monitored", "firewire_blocked",
)  # fmt: skip


@pytest.mark.parametrize("engine", list(HOSTS), ids=lambda e: e.value)
def test_hardening_converges(lab: Lab, engine: Engine) -> None:
    name = HOSTS[engine]
    target = host(lab, name)
    target.run("rm -f /etc/modprobe.d/60-matops-blocked-modules.conf")
    target.run("sysctl -q -w net.ipv4.conf.all.send_redirects=1")
    target.run("chmod 0755 /home/matops")  # as useradd made it before UMASK 027
    target.run("rm -f /var/lib/aide/aide.db")  # the role builds AIDE's database when missing
    converge_twice(lab, engine, [name], ROLES)

    auth = target.file("/etc/pam.d/common-auth").content_string
    assert "pam_faillock.so preauth" in auth and "pam_faillock.so authfail" in auth
    assert "deny = 5" in target.file("/etc/security/faillock.conf").content_string.splitlines()
    assert "minlen = 12" in target.file("/etc/security/pwquality.conf").content_string.splitlines()
    assert "PASS_MAX_DAYS\t365" in target.file("/etc/login.defs").content_string.splitlines()
    blocked = target.file("/etc/modprobe.d/60-matops-blocked-modules.conf")
    assert blocked.mode == 0o644 and "install usb_storage /bin/false" in blocked.content_string
    # net.* is writable in the lab's containers: the differing value was set again
    assert target.check_output("sysctl -n net.ipv4.conf.all.send_redirects") == "0"
    assert target.check_output("sh -c 'ulimit -Hc'") == "0"
    # the deploy account still gets root (sudo runs the account stack with pam_faillock)
    assert target.run("sudo -n -u matops sudo -n true").rc == 0
    login_defs = target.file("/etc/login.defs").content_string.splitlines()
    assert {"UMASK\t027", "ENCRYPT_METHOD\tYESCRYPT", "SHA_CRYPT_MIN_ROUNDS\t65536"} <= set(
        login_defs
    )
    assert "install dccp /bin/false" in target.check_output("modprobe -c")
    assert target.file("/etc/crontab").mode == 0o600 and target.file("/etc/cron.d").mode == 0o700
    assert target.file("/home/matops").mode == 0o750
    assert target.file("/var/lib/aide/aide.db").is_file
    assert target.service("dailyaidecheck.timer").is_enabled
    assert "install firewire_core /bin/false" in target.check_output("modprobe -c")
    judged = _judged(lab, name, *NEW_CHECKS)
    assert {c: f.status for c, f in judged.items()} == dict.fromkeys(NEW_CHECKS, Status.PASS)


def test_both_engines_write_the_same_files(lab: Lab) -> None:
    ansible, pyinfra = (host(lab, HOSTS[e]) for e in (Engine.ANSIBLE, Engine.PYINFRA))
    assert digests(ansible, FILES) == digests(pyinfra, FILES)


def test_every_item_the_tasks_manage_is_the_same_with_both_engines(lab: Lab) -> None:
    """After both engine tests: each item derived from the role's tasks (files, lines, folders,
    owners and modes, packages present and removed, services, kernel settings) is as its task
    says and the same on both hosts."""
    items = {e: derived_items(lab, h, ROLES) for e, h in HOSTS.items()}
    assert items[Engine.ANSIBLE] == items[Engine.PYINFRA]
    kinds = {"file", "line", "no package", "attributes", "sysctl"}
    assert {i.kind for i in items[Engine.ANSIBLE]} >= kinds
    states = {e: item_states(lab, h, items[e]) for e, h in HOSTS.items()}
    for engine, state in states.items():
        assert not expected_problems(state), (engine, expected_problems(state))
    assert states[Engine.ANSIBLE] == states[Engine.PYINFRA]


DICTIONARY = "/var/cache/cracklib/cracklib_dict"
TEST_USER = "matops-pwtest"


def _password_check(lab: Lab, name: str) -> Finding:
    """password_minimum_length judged live on ``name``."""
    return _judged(lab, name, "password_minimum_length")["password_minimum_length"]


def _judged(lab: Lab, name: str, *check_ids: str) -> dict[str, Finding]:
    """The checks ``check_ids`` judged live on ``name``: check ID → finding."""
    trust = load_trust(EXAMPLE_TRUST)
    (target,) = [t for t in trust.targets("linux") if t.name == name]
    checks = [c for c in load_catalogue() if c.meta.id in check_ids]
    config = str(lab.ssh_config)
    providers = [
        InventoryProvider(trust, date.today()),
        LinuxHostProvider(
            lambda t: testinfra.get_host(f"ssh://{t.name}", ssh_config=config, sudo=True)
        ),
    ]
    found = judge_subject(Subject.of_target(target), checks, providers)
    return {r.check: r for r in found if isinstance(r, Finding)}


def _set_password(target: Any) -> tuple[int, str]:
    """chpasswd, as root, sets a fresh random 24-character password for the test user: its exit
    status and the user's password field state (``!`` when nothing was set)."""
    password = secrets.token_urlsafe(18)
    ran = target.run("echo %s | chpasswd", f"{TEST_USER}:{password}")
    field = target.check_output("getent shadow %s | cut -d: -f2", TEST_USER)
    return ran.rc, "hashed" if field.startswith("$") else field


@pytest.mark.parametrize("engine", list(HOSTS), ids=lambda e: e.value)
def test_password_can_be_set_after_deploy(lab: Lab, engine: Engine) -> None:
    """Hosts without cracklib's dictionary refused every new password once pwquality checked
    it (dictcheck): the check fails and chpasswd fails; deploy builds it, then both pass."""
    name = HOSTS[engine]
    target = host(lab, name)
    deploy(lab, engine, [name], ROLES)
    target.run("userdel %s", TEST_USER)
    assert target.run("useradd --no-create-home --shell /usr/sbin/nologin %s", TEST_USER).rc == 0
    try:
        target.run("rm -f %s.pwd %s.pwi %s.hwm", DICTIONARY, DICTIONARY, DICTIONARY)
        before = _password_check(lab, name)
        assert before.status == Status.FAIL and "missing" in before.detail, before
        assert _set_password(target) == (1, "!"), "chpasswd set a password without a dictionary"
        deploy(lab, engine, [name], ROLES)
        after = _password_check(lab, name)
        assert after.status == Status.PASS and DICTIONARY in after.detail, after
        assert _set_password(target) == (0, "hashed")
    finally:
        target.run("userdel %s", TEST_USER)
