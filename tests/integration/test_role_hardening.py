"""hardening role on the lab: Ansible on riv-bak01, pyinfra on riv-rad01, same results.

Each test first removes a managed file, so the first run has work to do even on a host that was
deployed before; the role puts it back, leaving the host as a deploy leaves it.
"""

from __future__ import annotations

import pytest

from matops.deploy.runner import Engine
from tests.integration.conftest import Lab
from tests.integration.roles_support import converge_twice, digests, host

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
    "/etc/security/limits.d/60-matops-coredump.conf",
    "/etc/systemd/system.conf.d/60-matops-coredump.conf",
    "/etc/systemd/coredump.conf.d/60-matops.conf",
]
HOSTS = {Engine.ANSIBLE: "riv-bak01", Engine.PYINFRA: "riv-rad01"}


@pytest.mark.parametrize("engine", list(HOSTS), ids=lambda e: e.value)
def test_hardening_converges(lab: Lab, engine: Engine) -> None:
    name = HOSTS[engine]
    target = host(lab, name)
    target.run("rm -f /etc/modprobe.d/60-matops-blocked-modules.conf")
    target.run("sysctl -q -w net.ipv4.conf.all.send_redirects=1")
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


def test_both_engines_write_the_same_files(lab: Lab) -> None:
    ansible, pyinfra = (host(lab, HOSTS[e]) for e in (Engine.ANSIBLE, Engine.PYINFRA))
    assert digests(ansible, FILES) == digests(pyinfra, FILES)
