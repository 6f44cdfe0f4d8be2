"""logging role on the lab: Ansible on riv-bak01, pyinfra on riv-rad01, same results.

Each test first removes a managed file, so the first run has work to do even on a host that was
deployed before; the role puts it back, leaving the host as a deploy leaves it.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from matops.deploy.runner import Engine
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab
from tests.integration.roles_support import (
    converge_twice,
    deploy_trust,
    derived_items,
    digests,
    expected_problems,
    host,
    item_states,
)

pytestmark = pytest.mark.integration

ROLES = ["logging"]
FILES = [
    "/etc/rsyslog.d/50-matops-forward.conf",
    "/etc/systemd/journald.conf.d/50-matops.conf",
    "/etc/audit/auditd.conf",
    "/etc/audit/rules.d/50-matops-privileged.rules",
]
HOSTS = {Engine.ANSIBLE: "riv-bak01", Engine.PYINFRA: "riv-rad01"}
FORWARDED, RECEIVES = "syslog_forwarded_to_trust", "syslog_server_receives"


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


def test_every_item_the_tasks_manage_is_the_same_with_both_engines(lab: Lab) -> None:
    """After both engine tests: each item derived from the role's tasks (files, folders, removed
    files, packages, services) is as its task says and the same on both hosts."""
    items = {e: derived_items(lab, h, ROLES) for e, h in HOSTS.items()}
    assert items[Engine.ANSIBLE] == items[Engine.PYINFRA]
    assert {i.key for i in items[Engine.ANSIBLE]} >= set(FILES)
    states = {e: item_states(lab, h, items[e]) for e, h in HOSTS.items()}
    for engine, state in states.items():
        assert not expected_problems(state), (engine, expected_problems(state))
    assert states[Engine.ANSIBLE] == states[Engine.PYINFRA]


def scan_check(lab: Lab, trust: Path, check: str, host: str, out: Path) -> str:
    """``matops scan`` of one check on one host: the finding's status."""
    tool = Path(sys.executable).with_name("matops")
    argv = [str(tool), "scan", str(trust), "--lab", "--lab-dir", str(lab.state_dir),
            "--target", host, "--checks", check, "--fail-on", "never",
            "--output", str(out)]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    # exit 1 too: the example trust carries expired waivers, which fail every scan
    assert done.returncode in (0, 1) and out.is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    (finding,) = [f for f in json.loads(out.read_text())["findings"] if f["target"] == host]
    return str(finding["status"])


def test_the_syslog_server_sends_its_own_logs_to_a_second_one(lab: Lab, tmp_path: Path) -> None:
    """riv-svc01 is the example trust's only syslog server: not applicable, nothing forwarded.
    In a copy of the trust that lists riv-bak01 as a second syslog server, riv-svc01 forwards its
    own messages there (the drop-in passes rsyslogd -N1 on the host) and the check passes."""
    name = "riv-svc01"
    target = host(lab, name)
    two = tmp_path / "example-trust"
    shutil.copytree(EXAMPLE_TRUST, two)
    settings = two / "group_vars" / "all.yml"
    text = settings.read_text()
    assert "    syslog: [198.18.20.10]" in text
    settings.write_text(
        text.replace("    syslog: [198.18.20.10]", "    syslog: [198.18.20.10, 198.18.20.13]")
    )
    try:
        deploy_trust(lab, two, Engine.PYINFRA, [name], ROLES)
        forward = target.file("/etc/rsyslog.d/50-matops-forward.conf").content_string
        assert (
            'if $fromhost-ip == "127.0.0.1" then action(type="omfwd" target="198.18.20.13"'
            in forward
        )
        assert 'target="198.18.20.10"' not in forward  # never to itself
        assert target.service("rsyslog").is_running
        assert scan_check(lab, two, FORWARDED, name, tmp_path / "two.json") == "pass"
    finally:
        deploy_trust(lab, EXAMPLE_TRUST, Engine.PYINFRA, [name], ROLES)
    assert not target.file("/etc/rsyslog.d/50-matops-forward.conf").exists
    assert (
        scan_check(lab, EXAMPLE_TRUST, FORWARDED, name, tmp_path / "one.json") == "not_applicable"
    )


def test_the_syslog_server_receives_what_the_hosts_forward(lab: Lab, tmp_path: Path) -> None:
    """Fail then pass: riv-svc01 as found (nothing listening, the check fails), then the role
    (Ansible, twice: no change the second time) makes it receive, and a message logged on
    riv-bak01 (pyinfra) arrives in riv-svc01's file for that host."""
    server, sender = host(lab, "riv-svc01"), host(lab, "riv-bak01")
    server.run("rm -f /etc/rsyslog.d/40-matops-receive.conf && systemctl restart rsyslog")
    assert scan_check(lab, EXAMPLE_TRUST, RECEIVES, "riv-svc01", tmp_path / "a.json") == "fail"

    converge_twice(lab, Engine.ANSIBLE, ["riv-svc01"], ROLES)
    deploy_trust(lab, EXAMPLE_TRUST, Engine.PYINFRA, ["riv-bak01"], ROLES)
    assert scan_check(lab, EXAMPLE_TRUST, RECEIVES, "riv-svc01", tmp_path / "b.json") == "pass"
    assert scan_check(lab, EXAMPLE_TRUST, RECEIVES, "riv-bak01", tmp_path / "c.json") == (
        "not_applicable"
    )
    token = f"matops-receive-test-{secrets.token_hex(6)}"
    assert sender.run(f"logger -t matops-test {token}").rc == 0
    received = "/var/log/remote/198.18.20.13.log"
    end = time.monotonic() + 90  # the sender's queue retries every 30 s after a failed connect
    while token not in server.run(f"cat {received} 2>/dev/null").stdout:
        assert time.monotonic() < end, f"{token} never reached riv-svc01:{received}"
        time.sleep(2)
    assert token not in server.run("cat /var/log/syslog").stdout  # kept apart from its own logs
