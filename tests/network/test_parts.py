"""Parts of the baseline (``--part ports``): rendered, compared and pushed on their own.

The ports part owns the VLANs and what each port carries; everything else on the switch (its
hostname, SNMP, AAA, per-port protection such as BPDU guard) is outside the comparison, so a
ports push never changes or removes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.inventory.ansible_vars import AnsibleVariables
from matops.network.diff import compute_diff, parse
from matops.network.render import render_device
from matops.platforms import NETWORK_PLATFORMS, UnknownPartError, network_platform

DATA = Path(__file__).parent / "data"
PLATFORMS = {"ios": "cisco_ios", "aoscx": "aruba_aoscx"}
EXAMPLES = {"cisco_ios": "oak-sw02", "aruba_aoscx": "riv-sw01"}


@pytest.fixture(scope="module")
def variables(vaulted_trust: tuple[Path, Path]) -> AnsibleVariables:
    root, password = vaulted_trust
    return AnsibleVariables(root, password)


def test_every_platform_has_a_ports_part() -> None:
    for platform in NETWORK_PLATFORMS.values():
        assert platform.part("ports").template == "ports.j2"
        assert (platform.template_dir / "ports.j2").is_file()


def test_an_unknown_part_names_the_valid_ones() -> None:
    with pytest.raises(UnknownPartError, match="parts: ports"):
        network_platform("cisco_ios").part("vlans")


@pytest.mark.parametrize("platform", sorted(EXAMPLES))
def test_ports_part_is_exactly_the_baseline_lines_it_owns(
    platform: str, vaulted_trust: tuple[Path, Path], variables: AnsibleVariables
) -> None:
    """Rendering the part gives the same VLAN and port lines as the full baseline: one source."""
    root, device = vaulted_trust[0], EXAMPLES[platform]
    part = network_platform(platform).part("ports")
    ports = render_device(root, device, variables, part="ports")
    full = render_device(root, device, variables)
    assert "hostname" not in ports and "snmp" not in ports
    # The full baseline, cut down to the part, equals the part rendered alone.
    assert compute_diff(platform, full, ports, part=part).empty
    assert compute_diff(platform, ports, full, part=part).empty
    sections = {c.text for c in parse(platform, ports).children}
    assert any(s.startswith("vlan ") for s in sections)
    assert any(s.startswith("interface ") for s in sections)


@pytest.mark.parametrize("prefix", sorted(PLATFORMS))
def test_ports_push_from_factory_touches_only_vlans_and_ports(prefix: str) -> None:
    platform = PLATFORMS[prefix]
    part = network_platform(platform).part("ports")
    running = (DATA / f"{prefix}_factory.cfg").read_text()
    intended = (DATA / f"{prefix}_intended.cfg").read_text()
    whole = compute_diff(platform, running, intended, keep_users=["admin"])
    ports = compute_diff(platform, running, intended, keep_users=["admin"], part=part)
    assert ports.remediation, "the factory switch has its ports in VLAN 1: something to do"
    assert set(ports.remediation) < set(whole.remediation)
    for command in ports.remediation:
        top = command.splitlines()[0]
        if not top.startswith(" "):
            assert top.startswith(("vlan ", "interface ", "no vlan ")), command
    assert not any("hostname" in c or "snmp" in c or "username" in c for c in ports.commands())


def test_ports_part_leaves_port_protection_alone() -> None:
    """Lines under a port that the part does not own (BPDU guard here) are never negated."""
    part = network_platform("cisco_ios").part("ports")
    running = (
        "hostname sw1\n"
        "vlan 20\n name STAFF\n"
        "interface GigabitEthernet1/0/1\n description old\n switchport access vlan 20\n"
        " switchport mode access\n spanning-tree bpduguard enable\n"
    )
    intended = (
        "vlan 20\n name STAFF\nvlan 30\n name CURRICULUM\n"
        "interface GigabitEthernet1/0/1\n description Classroom PC\n switchport access vlan 30\n"
        " switchport mode access\n"
    )
    diff = compute_diff("cisco_ios", running, intended, part=part)
    sent = "\n".join(diff.remediation)
    assert "name CURRICULUM" in sent
    assert "switchport access vlan 30" in sent
    assert "description Classroom PC" in sent
    assert "bpduguard" not in sent and "hostname" not in sent
    back = "\n".join(diff.rollback)
    assert "switchport access vlan 20" in back and "no vlan 30" in back
