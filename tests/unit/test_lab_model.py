"""Pure lab logic (no root, no lab): validation, names, ssh_config and known_hosts rendering."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matops.lab import lifecycle
from matops.lab.hosts import hosts_file, network_unit, nspawn_argv
from matops.lab.model import (
    LabError,
    LabTarget,
    host_veth_name,
    machine_name,
    netns_name,
    short_id,
    validate_targets,
)
from matops.lab.record import target_from_entry, target_to_entry
from matops.lab.rootfs import ROOTFS_PACKAGES, mirror_from_sources, rootfs_key
from matops.lab.sshconf import render_known_hosts, render_ssh_config

A = ipaddress.IPv4Address
WEB = LabTarget("oak-web1", "linux", "debian", A("198.18.0.11"), "oak")
DC = LabTarget("oak-dc1", "linux", "debian", A("198.18.0.12"), "oak")
SW = LabTarget("oak-sw1", "switch", "cisco_ios", A("198.18.0.2"), "oak", "C9200L")
STATE = Path("/var/lib/matops/lab")


def blocks(config: str) -> dict[str, list[str]]:
    """Split an ssh_config into {first Host pattern: its option lines}."""
    result: dict[str, list[str]] = {}
    current: list[str] = []
    for line in config.splitlines():
        if line.startswith("Host "):
            current = result.setdefault(line.split()[1], [])
        elif line.strip() and not line.startswith("#"):
            current.append(line.strip())
    return result


def test_ssh_config_has_one_strict_block_per_target() -> None:
    config = render_ssh_config([WEB, DC, SW], STATE)
    assert "Host oak-web1 198.18.0.11" in config
    parsed = blocks(config)
    assert list(parsed) == ["oak-web1", "oak-dc1", "oak-sw1"]
    for options in parsed.values():
        assert "StrictHostKeyChecking yes" in options
        assert f"UserKnownHostsFile {STATE}/known_hosts" in options
    assert "StrictHostKeyChecking no" not in config
    assert "accept-new" not in config


def test_linux_blocks_use_the_operator_key_and_a_per_host_control_socket() -> None:
    web = blocks(render_ssh_config([WEB], STATE))["oak-web1"]
    assert "HostName 198.18.0.11" in web
    assert "User matops" in web
    assert f"IdentityFile {STATE}/operator_ed25519" in web
    assert "ControlMaster auto" in web
    assert "ControlPersist 120s" in web
    # %C hashes host, port and user: one socket per host, never a shared literal path.
    assert f"ControlPath {STATE}/cm/%C" in web


def test_switch_blocks_use_the_admin_password_and_no_multiplexing() -> None:
    switch = blocks(render_ssh_config([SW], STATE))["oak-sw1"]
    assert "User admin" in switch
    assert "PubkeyAuthentication no" in switch
    assert "ControlMaster no" in switch
    assert not any(line.startswith("IdentityFile") for line in switch)


def test_control_path_that_cannot_fit_a_unix_socket_is_refused() -> None:
    with pytest.raises(LabError, match="too long"):
        render_ssh_config([WEB], Path("/" + "x" * 80))


def test_known_hosts_names_each_target_by_name_and_address() -> None:
    text = render_known_hosts(
        [WEB, SW], {"oak-web1": "ssh-ed25519 AAA1", "oak-sw1": "ssh-ed25519 B"}
    )
    assert text.splitlines() == [
        "oak-web1,198.18.0.11 ssh-ed25519 AAA1",
        "oak-sw1,198.18.0.2 ssh-ed25519 B",
    ]


def test_known_hosts_refuses_a_target_without_a_key() -> None:
    with pytest.raises(LabError, match="oak-dc1"):
        render_known_hosts([WEB, DC], {"oak-web1": "ssh-ed25519 AAA1"})


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.10", "198.19.0.1", "8.8.8.8"])
def test_addresses_outside_the_lab_network_are_refused(address: str) -> None:
    target = LabTarget("x1", "linux", "debian", A(address), "oak")
    with pytest.raises(LabError, match=r"outside the lab network 198\.18\.0\.0/16"):
        validate_targets([target])


@pytest.mark.parametrize("address", ["198.18.0.0", "198.18.0.1", "198.18.255.255"])
def test_reserved_lab_addresses_are_refused(address: str) -> None:
    with pytest.raises(LabError, match="reserved"):
        validate_targets([LabTarget("x1", "linux", "debian", A(address), "oak")])


def test_duplicate_addresses_are_refused_naming_both_targets() -> None:
    twin = LabTarget("oak-web2", "linux", "debian", WEB.address, "oak")
    with pytest.raises(
        LabError, match=r"duplicate lab address 198\.18\.0\.11: oak-web1 and oak-web2"
    ):
        validate_targets([WEB, twin])


def test_duplicate_names_are_refused() -> None:
    twin = LabTarget("oak-web1", "linux", "debian", A("198.18.0.99"), "oak")
    with pytest.raises(LabError, match="same lab id"):
        validate_targets([WEB, twin])


@pytest.mark.parametrize("name", ["Oak-Web1", "-web", "web_1", "a" * 64, ""])
def test_names_must_be_hostnames(name: str) -> None:
    with pytest.raises(LabError, match="valid hostname"):
        validate_targets([LabTarget(name, "linux", "debian", A("198.18.0.11"), "oak")])


def test_lab_up_validates_before_touching_anything(tmp_path: Path) -> None:
    outside = LabTarget("x1", "linux", "debian", A("10.1.2.3"), "oak")
    with pytest.raises(LabError, match="outside the lab network"):
        lifecycle.lab_up([outside], tmp_path / "state")
    assert not (tmp_path / "state").exists()


def test_lab_up_refuses_without_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(LabError, match="needs root"):
        lifecycle.lab_up([WEB], tmp_path / "state")
    assert not (tmp_path / "state").exists()


def test_interface_names_fit_ifnamsiz_and_carry_the_prefix() -> None:
    assert machine_name("oak-web1") == "mtl-oak200ec"
    assert host_veth_name(WEB) == "vb-mtl-oak200ec"  # what systemd-nspawn makes of the machine
    assert host_veth_name(SW) == netns_name(SW.name) == f"mtl-{short_id(SW.name)}"
    long = LabTarget("a" * 63, "switch", "cisco_ios", A("198.18.0.9"), "oak")
    assert len(host_veth_name(long)) <= 15


names = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@given(st.lists(names, min_size=1, max_size=40, unique=True))
def test_interface_names_are_unique_short_and_stable(batch: list[str]) -> None:
    targets = [LabTarget(n, "linux", "debian", A("198.18.1.1"), "s") for n in batch]
    veths = [host_veth_name(t) for t in targets]
    assert all(len(v) <= 15 and v.startswith("vb-mtl-") for v in veths)
    assert len(set(veths)) == len(veths)
    assert veths == [host_veth_name(t) for t in targets]


def test_host_network_has_an_on_link_address_and_no_gateway() -> None:
    unit = network_unit(WEB)
    assert "Address=198.18.0.11/16" in unit
    assert "Gateway" not in unit
    assert "DHCP" not in unit


def test_hosts_file_names_every_target() -> None:
    assert "198.18.0.12\toak-dc1" in hosts_file([WEB, DC]).splitlines()


def test_nspawn_runs_isolated_with_a_bridge_and_no_registration() -> None:
    argv = nspawn_argv(WEB, Path("/lab/hosts/oak-web1/root"), "abc")
    for option in ("--boot", "--register=no", "--keep-unit", "--network-bridge=mtlab0"):
        assert option in argv
    assert "--machine=mtl-oak200ec" in argv
    assert "--hostname=oak-web1" in argv


def test_record_round_trips_a_target() -> None:
    assert target_from_entry(target_to_entry(SW)) == SW


def test_mirror_is_read_from_deb822_and_one_line_sources() -> None:
    deb822 = (
        "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n\n"
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
    )
    assert mirror_from_sources(deb822) == "http://mirror.example/debian"
    one_line = "deb [arch=amd64] http://m.example/debian/ bookworm main\n"
    assert mirror_from_sources(one_line) == "http://m.example/debian"
    assert mirror_from_sources("deb https://packages.cloud.google.com/apt cloud-sdk main") is None


def test_rootfs_key_follows_the_package_list(monkeypatch: pytest.MonkeyPatch) -> None:
    before = rootfs_key()
    monkeypatch.setattr("matops.lab.rootfs.ROOTFS_PACKAGES", (*ROOTFS_PACKAGES, "tcpdump"))
    assert rootfs_key() != before
    assert {"openssh-server", "python3-apt", "systemd-sysv", "sudo"} <= set(ROOTFS_PACKAGES)
