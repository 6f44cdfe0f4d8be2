"""logging role: forwarding targets and the rsyslog drop-in the posture check reads."""

from __future__ import annotations

from pathlib import Path

from matops.deploy.pyinfra_roles import Role
from matops.facts.linux.parse import parse_rsyslog

ROLE = Path(__file__).resolve().parents[3] / "roles" / "logging"
TRUST = {"services": {"syslog": ["198.18.20.10"], "ntp": ["198.18.20.10"], "dns": ["198.18.20.10"]}}


def test_forwards_to_the_trust_syslog_over_tcp() -> None:
    r = Role.load(ROLE, {"trust": TRUST, "ansible_host": "198.18.20.13"}, "riv-bak01")
    targets = parse_rsyslog(r.render("forward.conf.j2"))
    assert [(t.address, t.port, t.protocol) for t in targets] == [("198.18.20.10", 514, "tcp")]


def test_the_syslog_host_does_not_forward_to_itself() -> None:
    r = Role.load(ROLE, {"trust": TRUST, "ansible_host": "198.18.20.10"}, "riv-svc01")
    assert r["logging_forward_targets"] == []


def test_audit_rules_cover_sudo_and_identity_files() -> None:
    rules = Role.load(ROLE, {"trust": TRUST}, "h1").render("privileged.rules.j2").splitlines()
    assert "-w /etc/sudoers -p wa -k privileged_sudoers" in rules
    assert any(r.startswith("-a always,exit -F path=/usr/bin/sudo ") for r in rules)


def test_journald_is_persistent() -> None:
    text = Role.load(ROLE, {"trust": TRUST}, "h1").render("journald.conf.j2")
    assert "Storage=persistent" in text.splitlines()


def test_a_syslog_server_sends_only_its_own_logs_to_the_trusts_other_one() -> None:
    """Two trust syslog servers: each forwards its own messages to the other, never what it
    received (which would loop between them); an ordinary host forwards to both."""
    two = {**TRUST, "services": {**TRUST["services"], "syslog": ["198.18.20.10", "198.18.20.13"]}}
    server = Role.load(ROLE, {"trust": two, "ansible_host": "198.18.20.10"}, "riv-svc01")
    assert server["logging_is_syslog_server"] is True
    text = server.render("forward.conf.j2")
    assert [t.address for t in parse_rsyslog(text)] == ["198.18.20.13"]
    assert 'if $fromhost-ip == "127.0.0.1" then action(type="omfwd"' in text
    host = Role.load(ROLE, {"trust": two, "ansible_host": "198.18.10.11"}, "oak-srv01")
    assert host["logging_is_syslog_server"] is False
    assert [t.address for t in parse_rsyslog(host.render("forward.conf.j2"))] == [
        "198.18.20.10", "198.18.20.13",
    ]  # fmt: skip


def test_a_syslog_server_receives_into_one_file_per_sender() -> None:
    server = Role.load(ROLE, {"trust": TRUST, "ansible_host": "198.18.20.10"}, "riv-svc01")
    text = server.render("receive.conf.j2")
    assert 'input(type="imtcp" port="514" ruleset="matops_remote")' in text
    assert 'string="/var/log/remote/%FROMHOST-IP%.log"' in text
    assert "/var/log/remote/*.log {" in server.render("logrotate-remote.j2")
    assert parse_rsyslog(text) == []  # receiving is not forwarding
