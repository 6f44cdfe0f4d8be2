"""logging role on the lab: Ansible on riv-bak01, pyinfra on riv-rad01, same results.

Each test first removes a managed file, so the first run has work to do even on a host that was
deployed before; the role puts it back, leaving the host as a deploy leaves it.
"""

from __future__ import annotations

import pytest

from matops.deploy.runner import Engine
from tests.integration.conftest import Lab
from tests.integration.roles_support import converge_twice, digests, host

pytestmark = pytest.mark.integration

ROLES = ["logging"]
FILES = [
    "/etc/rsyslog.d/50-matops-forward.conf",
    "/etc/systemd/journald.conf.d/50-matops.conf",
    "/etc/audit/auditd.conf",
    "/etc/audit/rules.d/50-matops-privileged.rules",
]
HOSTS = {Engine.ANSIBLE: "riv-bak01", Engine.PYINFRA: "riv-rad01"}


@pytest.mark.parametrize("engine", list(HOSTS), ids=lambda e: e.value)
def test_logging_converges_and_forwards_to_the_trust(lab: Lab, engine: Engine) -> None:
    name = HOSTS[engine]
    target = host(lab, name)
    target.run("rm -f /etc/rsyslog.d/50-matops-forward.conf")
    converge_twice(lab, engine, [name], ROLES)

    forward = target.file("/etc/rsyslog.d/50-matops-forward.conf")
    assert forward.mode == 0o644 and forward.user == "root"
    assert 'target="198.18.20.10" port="514" protocol="tcp"' in forward.content_string
    rsyslog = target.service("rsyslog")
    assert rsyslog.is_running and rsyslog.is_enabled
    assert target.file("/etc/audit/rules.d/50-matops-privileged.rules").mode == 0o640
    assert target.file("/var/log/journal").is_directory
    assert "Storage=persistent" in target.file(FILES[1]).content_string.splitlines()


def test_both_engines_write_the_same_files(lab: Lab) -> None:
    """After both engine tests: every managed file is byte-identical (no host-specific values)."""
    ansible, pyinfra = (host(lab, HOSTS[e]) for e in (Engine.ANSIBLE, Engine.PYINFRA))
    assert digests(ansible, FILES) == digests(pyinfra, FILES)
