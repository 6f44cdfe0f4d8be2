"""Baseline rendering: golden files for every example switch, and clear errors.

Regenerate the golden files after an intended template change with::

    MATOPS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/network/test_render.py

then review ``git diff tests/golden/network`` like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.loader import load_trust
from matops.network.context import RenderError
from matops.network.render import render_device, switch_targets
from matops.platforms import UnknownPlatformError, network_platform
from tests.conftest import REPO
from tests.network.conftest import FICTIONAL, make_vaulted_trust

GOLDEN = REPO / "tests" / "golden" / "network"
UPDATE = os.environ.get("MATOPS_UPDATE_GOLDEN") == "1"
SWITCHES = [
    "oak-sw01", "oak-sw02", "riv-core01", "riv-sw01", "riv-sw02", "riv-sw03", "stm-sw01",
    "stm-sw02",
]  # fmt: skip


@pytest.fixture(scope="module")
def variables(vaulted_trust: tuple[Path, Path]) -> AnsibleVariables:
    root, password = vaulted_trust
    return AnsibleVariables(root, password)


def test_every_example_switch_has_a_golden_file(vaulted_trust: tuple[Path, Path]) -> None:
    trust = load_trust(vaulted_trust[0])
    assert sorted(t.name for t in switch_targets(trust)) == sorted(SWITCHES)


@pytest.mark.parametrize("device", SWITCHES)
def test_render_matches_golden_file(
    device: str, vaulted_trust: tuple[Path, Path], variables: AnsibleVariables
) -> None:
    text = render_device(vaulted_trust[0], device, variables)
    golden = GOLDEN / f"{device}.cfg"
    if UPDATE:
        golden.write_text(text)
    assert golden.is_file(), f"missing {golden}: run with MATOPS_UPDATE_GOLDEN=1"
    assert text == golden.read_text()


def test_renders_carry_the_baseline_essentials(
    vaulted_trust: tuple[Path, Path], variables: AnsibleVariables
) -> None:
    ios = render_device(vaulted_trust[0], "oak-sw01", variables)
    for line in (
        "hostname oak-sw01", " transport input ssh", "no ip http server", "ip ssh version 2",
        "spanning-tree mode rapid-pvst", "no cdp run", "lldp run",
        "ip dhcp snooping vlan 20,30,40", "interface Vlan10",
        " ip address 198.18.10.2 255.255.255.0", "ip default-gateway 198.18.10.1",
        "snmp-server group MATOPS-RO v3 priv", "ntp server 198.18.20.10",
        "logging host 198.18.20.10", " exec-timeout 10 0", " switchport voice vlan 50",
    ):  # fmt: skip
        assert line in ios.splitlines(), line
    assert "telnet" not in ios and "community" not in ios
    cx = render_device(vaulted_trust[0], "riv-sw01", variables)
    for line in ("spanning-tree mode rpvst", "    ip address 198.18.20.3/24", "    timeout 10"):
        assert line in cx.splitlines(), line
    assert "https-server" not in cx and "community" not in cx


def test_missing_admin_hash_names_the_variable(tmp_path: Path) -> None:
    values = {k: v for k, v in FICTIONAL.items() if "admin_hash" not in k}
    references = "network_snmp_auth_key: x1\nnetwork_snmp_priv_key: x2\n"
    root, password = make_vaulted_trust(tmp_path, values, references)
    variables = AnsibleVariables(root, password)
    with pytest.raises(RenderError, match=r"oak-sw01: .*network_admin_secret_hash is not defined"):
        render_device(root, "oak-sw01", variables)


def test_unresolved_radius_key_names_the_variable(tmp_path: Path) -> None:
    values = {k: v for k, v in FICTIONAL.items() if k != "vault_radius_key"}
    root, password = make_vaulted_trust(tmp_path, values)
    variables = AnsibleVariables(root, password)
    with pytest.raises(RenderError, match=r"trust\.services\.radius\[0\]\.key.*vault_radius_key"):
        render_device(root, "riv-sw01", variables)


def test_plaintext_password_is_refused_as_ios_hash(tmp_path: Path) -> None:
    values = {**FICTIONAL, "vault_network_admin_hash_ios": "Summer2024!"}
    root, password = make_vaulted_trust(tmp_path, values)
    with pytest.raises(RenderError, match="type 9"):
        render_device(root, "stm-sw02", AnsibleVariables(root, password))


def test_unknown_device_and_platform_list_the_choices(vaulted_trust: tuple[Path, Path]) -> None:
    trust = load_trust(vaulted_trust[0])
    with pytest.raises(KeyError, match="oak-sw01, oak-sw02"):
        switch_targets(trust, school="oakfield-primary", device="oak-sw09")
    with pytest.raises(UnknownPlatformError, match="valid platforms: aruba_aoscx, cisco_ios"):
        network_platform("hp_procurve")
