"""Linux fact collection: the pure parsers over captured outputs, and the collectors over a
host of stub programs (to prove they run only read-only commands and keep hashes out of
evidence). Failure injection for every collector is in test_linux_collect_contract.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

import pytest
import testinfra

from matops.facts.catalogue import FACTS
from matops.facts.linux import nft
from matops.facts.linux import parse as p
from matops.facts.linux import parse_accounts as pa
from matops.facts.linux.collect import COLLECTORS
from matops.facts.linux.model import NftRuleset, SyslogTarget
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import FactError, Subject, TargetUnreachableError
from matops.inventory.model import Target, TargetVars
from tests.unit.linux_stubs import Response, StubHost

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "linux"


def text(name: str) -> str:
    return (DATA / name).read_text()


def test_sshd_t() -> None:
    sshd = p.parse_sshd_t(text("sshd_T.txt"))
    assert sshd["permitrootlogin"] == "no" and sshd["maxauthtries"] == "3"
    assert sshd["listenaddress"] == "[::]:22\n0.0.0.0:22"
    assert sshd["subsystem"] == "sftp /usr/lib/openssh/sftp-server"


def test_key_value_files() -> None:
    release = p.parse_key_values(text("os-release.txt"))
    assert (release["ID"], release["VERSION_ID"]) == ("debian", "12")
    assert release["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)"
    assert p.parse_key_values(text("timedatectl.txt"))["NTPSynchronized"] == "yes"


def test_apt_periodic() -> None:
    assert p.parse_apt_periodic(text("apt-periodic.txt"))["Unattended-Upgrade"] == "1"


def test_rsyslog_forwarding() -> None:
    assert p.parse_rsyslog(text("rsyslog.conf.txt")) == [
        SyslogTarget(address="198.18.20.10", port=514, protocol="tcp"),
        SyslogTarget(address="198.18.20.11", port=6514, protocol="tcp"),
        SyslogTarget(address="198.18.20.12", port=514, protocol="udp"),
    ]


def test_systemctl_show() -> None:
    units = p.parse_systemctl_show(text("systemctl-show.txt"))
    assert units["nftables"].active == "active" and units["auditd"].enabled == "enabled"
    assert units["clamav-daemon"].load == "not-found"


def test_pam_module_settings_and_arguments() -> None:
    module = p.parse_pam_module(
        text("common-auth.txt"), text("faillock.conf.txt"), "pam_faillock.so"
    )
    assert module.in_pam_stack
    assert module.settings["deny"] == "4"  # the PAM line argument overrides faillock.conf
    assert module.settings["silent"] == "yes"
    absent = p.parse_pam_module(text("common-auth.txt"), "", "pam_pwquality.so")
    assert not absent.in_pam_stack


def test_sudoers() -> None:
    rules = pa.parse_sudoers(text("sudoers.txt"), "/etc/sudoers")
    assert [r.principal for r in rules] == ["root", "%sudo", "hokafor", "backup"]
    assert rules[2].nopasswd and rules[2].commands == ["ALL"]
    assert rules[3].commands == ["/usr/bin/restic", "/usr/bin/rsync"] and rules[3].runas == "root"
    assert not rules[1].nopasswd


def test_passwd_shadow_groups() -> None:
    users = pa.parse_passwd(text("passwd.txt"))
    assert [u.name for u in users if u.uid == 0] == ["root", "toor"]
    shadow = pa.parse_shadow(text("shadow.txt"))
    assert [(e.name, e.password) for e in shadow] == [
        ("root", "locked"),
        ("daemon", "locked"),
        ("hokafor", "hashed"),
        ("test", "empty"),
    ]
    assert "$y$" not in repr(shadow)
    assert pa.parse_groups(text("groups.txt")) == {"sudo": ["hokafor", "tbrennan"], "admin": []}


def test_sockets_usb_coredump_x509() -> None:
    sockets = pa.parse_ss(text("ss.txt"))
    assert [(s.protocol, s.address, s.port, s.process) for s in sockets][1:4] == [
        ("udp", "0.0.0.0", 68, "dhclient"),
        ("tcp", "0.0.0.0", 22, "sshd"),
        ("tcp", "::", 445, "smbd"),
    ]
    assert sockets[0].address == "127.0.0.53"
    usb = pa.parse_usb_storage(
        text("modprobe-usb.txt"), "blacklist usb_storage", "Module Size Used by\nusbhid 1 0\n"
    )
    assert usb.install_command == "/bin/false" and usb.blacklisted and not usb.loaded
    core = pa.parse_coredump(text("limits.txt"), "0\n", "[Coredump]\nStorage=none\n")
    assert (core.hard_core_limit, core.suid_dumpable, core.systemd_storage) == ("0", 0, "none")
    assert pa.parse_coredump("", "2", None).systemd_storage is None
    cert = pa.parse_x509("/usr/local/share/ca-certificates/filter.crt", text("x509.txt"))
    assert "Meadowbrook Filter CA" in cert.subject and cert.sha256.startswith("abcdef01")
    assert pa.parse_epoch("1763805600\n1763800000") == datetime.fromtimestamp(1763805600, UTC)


def test_nft_reader() -> None:
    ruleset = NftRuleset.model_validate(json.loads(text("nft.json")))
    assert nft.default_deny(ruleset)
    assert [c["name"] for c in nft.input_chains(ruleset)] == ["input"]
    assert nft.sources_admitted(ruleset, 22) == [IPv4Network("198.18.10.0/24")]
    assert nft.sources_admitted(ruleset, 445) == [nft.ANY_SOURCE]
    assert nft.sources_admitted(ruleset, 8080) == []


def test_every_linux_fact_has_a_collector() -> None:
    linux = {name for name, spec in FACTS.items() if spec.source == "linux"}
    assert set(COLLECTORS) == linux


# ---- collectors over a host of stub programs (see linux_stubs) ------------------------------

READ_ONLY = re.compile(
    r"^(sshd -T|nft -j list ruleset|dpkg-query -W |apt-config dump |"
    r"timedatectl show|systemctl show |getent |modprobe -n -v |lsmod|"
    r"modprobe (--showconfig|-c$)|sysctl kernel\.|stat -c |cvtsudoers -f json |"
    r"find /\S+( /\S+)* (-maxdepth|-mindepth|-xdev|-type)|ss -H -l|sysctl -n |openssl x509 -noout |"
    r"cat -- |systemd-detect-virt --(container|vm)$|"
    r"grep -H -E \^\(Suite\|Codename\|Date\|Valid-Until\): /|"
    r"grep -E \^\(Package\|Version\|Architecture\): /var/lib/apt/lists/|"
    r"/usr/lib/apt/apt-helper cat-file /var/lib/apt/lists/)"
)


def _local(target: Target) -> Any:
    return testinfra.get_host("local://")


def _linux_subject() -> Subject:
    target = Target(
        name="oak-srv01",
        kind="linux",
        school="oak",
        vars=TargetVars(ansible_host="198.18.10.11", platform="debian"),
    )
    return Subject.of_target(target)


def test_collectors_are_read_only_and_typed(stub: StubHost) -> None:
    provider = LinuxHostProvider(_local)
    subject = _linux_subject()
    assert provider.provides(subject) == frozenset(COLLECTORS)
    for name in sorted(COLLECTORS):
        fact = provider.collect(name, subject)
        FACTS[name].adapter().validate_python(fact.value)
        assert fact.evidence.sha256 and fact.evidence.source.startswith("oak-srv01: ")
    bad = [c for c in stub.calls() if not READ_ONLY.match(c)]
    assert not bad, f"commands not on the read-only list: {bad}"


def test_shadow_evidence_has_no_hash(stub: StubHost) -> None:
    stub.respond(("cat", "--", "/etc/shadow"), Response(text("shadow.txt")))
    fact = LinuxHostProvider(_local).collect("shadow", _linux_subject())
    assert "$y$" in text("shadow.txt")
    assert "$y$" not in fact.evidence.excerpt and "hokafor: hashed" in fact.evidence.excerpt


class BrokenHost:
    def run(self, command: str, *args: str) -> Any:
        raise OSError("connection refused")


def test_unreachable_host_and_collector_errors(stub: StubHost) -> None:
    provider = LinuxHostProvider(lambda target: BrokenHost())
    with pytest.raises(TargetUnreachableError, match=r"198\.18\.10\.11"):
        provider.collect("sshd_effective", _linux_subject())
    stub.respond(("nft", "-j", "list", "ruleset"), Response("{not json\n"))
    with pytest.raises(FactError, match=r"nft_ruleset: unparseable output: .*not JSON"):
        LinuxHostProvider(_local).collect("nft_ruleset", _linux_subject())
