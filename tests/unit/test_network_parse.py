"""Parsing saved switch configs and ``show version`` into network facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.facts.model import FactError, FactUnavailableError, Subject
from matops.facts.network.offline import OfflineNetworkProvider
from matops.facts.network.parse import parse_config, parse_show_version
from matops.inventory.model import Target, TargetVars

CONFIGS = Path(__file__).resolve().parents[1] / "fixtures" / "configs"


def cfg(name: str, platform: str):  # type: ignore[no-untyped-def]
    return parse_config(platform, (CONFIGS / name).read_text())


def test_ios_factory_config() -> None:
    c = cfg("ios_insecure.cfg", "cisco_ios")
    assert c.hostname == "Switch" and c.telnet_enabled and c.ssh_version is None
    assert (c.http_server, c.https_server) == (True, True)
    assert [(s.name, s.access) for s in c.snmp_communities] == [
        ("public", "ro"),
        ("private", "rw"),
        ("<redacted>", "ro"),
    ]
    assert c.enable_secret_type == "5" and c.enable_password_set
    assert {(p.where, p.type) for p in c.passwords} >= {
        ("username cisco", "7"),
        ("line vty 0 4", "7"),
    }
    assert [u.name for u in c.local_users] == ["admin", "cisco"]
    assert not c.aaa_enabled and c.ntp_servers == [] and c.banner == ""
    assert c.cdp_enabled and not c.lldp_enabled and c.spanning_tree_mode == "pvst"
    port = next(i for i in c.interfaces if i.name == "GigabitEthernet1/0/5")
    assert (port.mode, port.access_vlan, port.shutdown, port.bpduguard) == (
        "dynamic",
        1,
        False,
        False,
    )
    mgmt = next(i for i in c.interfaces if i.name == "GigabitEthernet0/0")
    assert mgmt.mode == "routed" and mgmt.shutdown
    vty = next(line for line in c.lines if line.name == "vty 5 15")
    assert vty.exec_timeout_seconds == 0 and vty.transport_input == ["telnet", "ssh"]


def test_ios_hardened_config() -> None:
    c = cfg("ios_hardened.cfg", "cisco_ios")
    assert not c.telnet_enabled and c.ssh_version == 2 and c.ssh_enabled
    assert c.enable_secret_type == "9" and not c.enable_password_set
    assert c.aaa_enabled and c.login_authentication == ["group MATOPS-RADIUS", "local"]
    assert c.radius_servers == ["198.18.1.10"] and c.ntp_servers == ["198.18.1.10"]
    assert c.logging_hosts == ["198.18.1.10"]
    assert c.banner.startswith("Mini Test Trust: authorised users only.")
    assert c.dhcp_snooping and c.dhcp_snooping_vlans == [20, 30]
    assert (c.cdp_enabled, c.lldp_enabled, c.spanning_tree_mode) == (False, True, "rapid-pvst")
    assert c.bpduguard_default
    edge = next(i for i in c.interfaces if i.name == "GigabitEthernet1/0/11")
    assert (edge.mode, edge.access_vlan, edge.portfast, edge.bpduguard, edge.storm_control) == (
        "access",
        30,
        True,
        True,
        True,
    )
    uplink = next(i for i in c.interfaces if i.name == "GigabitEthernet1/1/1")
    assert (uplink.mode, uplink.native_vlan) == ("trunk", 999)
    assert c.snmp_v3_users[0].priv == "yes" and c.snmp_communities == []


def test_aoscx_configs() -> None:
    factory = cfg("aoscx_insecure.cfg", "aruba_aoscx")
    assert not factory.has_enable_mode and factory.https_server and not factory.telnet_enabled
    assert [u.name for u in factory.local_users] == ["admin", "operator"]
    assert factory.snmp_communities[0].name == "public" and factory.lines == []
    assert factory.default_exec_timeout_seconds == 1800
    hardened = cfg("aoscx_hardened.cfg", "aruba_aoscx")
    assert hardened.login_authentication == ["group radius", "local"]
    assert hardened.snmp_v3_users[0].model_dump() == {
        "name": "matops-mon",
        "auth": "sha",
        "priv": "aes",
    }
    assert hardened.lines[0].exec_timeout_seconds == 600 and hardened.dhcp_snooping_vlans == [20]
    assert (hardened.cdp_enabled, hardened.lldp_enabled, hardened.spanning_tree_mode) == (
        False,
        True,
        "rpvst",
    )
    parked = next(i for i in hardened.interfaces if i.name == "1/1/13")
    assert parked.shutdown and parked.access_vlan == 999
    edge = next(i for i in hardened.interfaces if i.name == "1/1/1")
    assert edge.bpduguard and edge.portfast and not edge.shutdown


def test_no_secret_reaches_the_facts() -> None:
    for name, platform in (
        ("ios_insecure.cfg", "cisco_ios"),
        ("aoscx_hardened.cfg", "aruba_aoscx"),
    ):
        dumped = cfg(name, platform).model_dump_json()
        for secret in ("$1$", "$9$", "0822455D0A16", "Sch00lNet", "AQBap"):
            assert secret not in dumped


def test_digest_ignores_headers_and_order_but_not_content() -> None:
    text = (CONFIGS / "ios_hardened.cfg").read_text()
    moved = text.replace("Current configuration : 6120 bytes", "Current configuration : 6200 bytes")
    moved = moved.replace("ntp server 198.18.1.10\n", "").replace(
        "logging host", "ntp server 198.18.1.10\nlogging host"
    )
    base = parse_config("cisco_ios", text)
    assert parse_config("cisco_ios", moved).digest == base.digest
    changed = parse_config("cisco_ios", text.replace("exec-timeout 10 0", "exec-timeout 30 0"))
    assert changed.digest != base.digest and changed.line_count == base.line_count


def test_startup_config_header_is_not_content() -> None:
    """IOS prints 'Using N out of M bytes' above the startup config, not the running header."""
    body = "!\nhostname sw1\n!\nline vty 0 4\n transport input ssh\nend\n"
    running = "Building configuration...\n\nCurrent configuration : 60 bytes\n" + body
    startup = "Using 60 out of 524288 bytes\n" + body
    assert parse_config("cisco_ios", running).digest == parse_config("cisco_ios", startup).digest


def test_show_version() -> None:
    new = parse_show_version("cisco_ios", (CONFIGS / "ios_show_version.txt").read_text())
    assert (new.version, new.model) == ("17.9.4a", "C9200L-24P-4G")
    old = parse_show_version("cisco_ios", (CONFIGS / "ios_show_version_old.txt").read_text())
    assert (old.version, old.model) == ("15.2(7)E3", "WS-C2960X-24PS-L")
    cx = parse_show_version("aruba_aoscx", (CONFIGS / "aoscx_show_version.txt").read_text())
    assert cx.version == "PL.10.13.1005" and cx.model is None


def test_unknown_platforms_list_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid platforms: aruba_aoscx, cisco_ios"):
        parse_config("fortinet", "")
    with pytest.raises(ValueError, match="no software version"):
        parse_show_version("aruba_aoscx", "garbage")


def _switch(platform: str = "cisco_ios") -> Subject:
    target = Target(
        name="sw1",
        kind="switch",
        school="oak",
        vars=TargetVars(ansible_host="198.18.10.2", platform=platform),
    )
    return Subject.of_target(target)


def test_offline_provider(tmp_path: Path) -> None:
    (tmp_path / "oak").mkdir()
    (tmp_path / "oak" / "sw1.cfg").write_text((CONFIGS / "ios_insecure.cfg").read_text())
    (tmp_path / "oak" / "sw1.version.txt").write_text("nonsense")
    provider = OfflineNetworkProvider(tmp_path)
    subject = _switch()
    assert provider.provides(subject) == {"running_config", "startup_config", "software_version"}
    fact = provider.collect("running_config", subject)
    assert fact.value.telnet_enabled and fact.evidence.source.endswith("oak/sw1.cfg")
    assert "0822455D0A16" not in fact.evidence.excerpt
    with pytest.raises(FactUnavailableError, match=r"sw1\.startup\.cfg"):
        provider.collect("startup_config", subject)
    with pytest.raises(FactError, match="cannot parse"):
        provider.collect("software_version", subject)
    assert provider.provides(_switch("hp_procurve")) == frozenset()
    with_drift = OfflineNetworkProvider(
        tmp_path, remediation=lambda target, text: ["no ip http server"]
    )
    assert with_drift.collect("config_remediation", subject).value == ["no ip http server"]


def test_aoscx_cdp_is_on_only_when_configured() -> None:
    assert not parse_config("aruba_aoscx", "hostname sw\n").cdp_enabled
    assert not parse_config("aruba_aoscx", "hostname sw\nno cdp\n").cdp_enabled
    assert parse_config("aruba_aoscx", "hostname sw\ncdp\n").cdp_enabled


def test_aoscx_agent_with_no_community_answers_to_public() -> None:
    """AOS-CX keeps its built-in community ``public`` while no community line exists; any
    defined community replaces it, and ``snmp-server snmpv3-only`` drops v1/v2c altogether."""

    def names(text: str) -> list[str]:
        return [
            c.name for c in parse_config("aruba_aoscx", "hostname sw\n" + text).snmp_communities
        ]

    assert names("") == []  # no agent on any VRF: nothing answers
    assert names("snmp-server vrf default\n") == ["public"]
    assert names("snmp-server vrf mgmt\nsnmpv3 user mon auth sha auth-pass plaintext x\n") == [
        "public"
    ]
    assert names("snmp-server vrf default\nsnmp-server community s3cret\n") == ["<redacted>"]
    assert names("snmp-server vrf default\nsnmp-server snmpv3-only\n") == []
