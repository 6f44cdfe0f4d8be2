"""The safety lint refuses changes that would lock operators out, and passes the baseline."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from matops.network.diff import compute_diff
from matops.network.safety import ManagementAccess, check_change, resulting_config

DATA = Path(__file__).parent / "data"
IOS_ACCESS = ManagementAccess(
    10, IPv4Address("198.18.10.3"), IPv4Network("198.18.10.0/24"), "admin"
)
CX_ACCESS = ManagementAccess(10, IPv4Address("198.18.20.5"), IPv4Network("198.18.20.0/24"), "admin")
IOS_GOOD = (DATA / "ios_intended.cfg").read_text() + "username admin privilege 15 secret 9 $9$x$y\n"
CX_GOOD = (DATA / "aoscx_intended.cfg").read_text()


@pytest.mark.parametrize(
    ("platform", "prefix", "access"),
    [("cisco_ios", "ios", IOS_ACCESS), ("aruba_aoscx", "aoscx", CX_ACCESS)],
)
def test_the_baseline_from_factory_passes(
    platform: str, prefix: str, access: ManagementAccess
) -> None:
    running = (DATA / f"{prefix}_factory.cfg").read_text()
    intended = (DATA / f"{prefix}_intended.cfg").read_text()
    diff = compute_diff(platform, running, intended, keep_users=["admin"])
    verdict = check_change(platform, running, diff.commands(), access)
    assert verdict.ok, verdict.reasons
    after = resulting_config(platform, running, diff.commands())
    svi = after.get_child(equals=f"interface {'Vlan' if prefix == 'ios' else 'vlan '}10")
    assert svi is not None and not svi.get_child(equals="shutdown")
    old = after.get_child(equals=f"interface {'Vlan' if prefix == 'ios' else 'vlan '}1")
    assert old is None or not old.get_child(startswith="ip address")


# (a) SSH and management access from the management network


@pytest.mark.parametrize(
    ("commands", "reason"),
    [
        (["line vty 0 4", " transport input telnet"], "line vty 0 4: transport input no longer"),
        (["line vty 5 15", " no transport input ssh"], "line vty 5 15: removes 'transport input"),
        (["no ip ssh version 2"], "removes the 'ip ssh' settings"),
        (["line vty 0 4", " access-class 10 in", "access-list 10 permit 10.9.0.0 0.0.255.255"],
         "access-class 10 does not permit the management network 198.18.10.0/24"),
        (["line vty 0 4", " access-class MGMT in", "ip access-list standard MGMT",
          " deny 198.18.10.0 0.0.0.127", " permit any"], "denies part of the management network"),
        (["line vty 0 4", " access-class NOPE in"], "refers to a missing ACL"),
    ],
)  # fmt: skip
def test_ios_change_that_cuts_ssh_is_refused(commands: list[str], reason: str) -> None:
    verdict = check_change("cisco_ios", IOS_GOOD, commands, IOS_ACCESS)
    assert not verdict.ok
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_ios_acl_that_permits_the_management_network_passes() -> None:
    commands = [
        "ip access-list extended VTY", " permit tcp 198.18.0.0 0.0.255.255 any eq 22",
        " deny ip any any", "line vty 0 4", " access-class VTY in",
    ]  # fmt: skip
    assert check_change("cisco_ios", IOS_GOOD, commands, IOS_ACCESS).ok


def test_aoscx_change_that_stops_the_ssh_server_is_refused() -> None:
    verdict = check_change("aruba_aoscx", CX_GOOD, ["no ssh server vrf default"], CX_ACCESS)
    assert verdict.reasons == ("removes 'ssh server vrf default' (the management VRF)",)


# (b) a local administrator, and the push's own account


def test_removing_every_admin_is_refused() -> None:
    commands = ["no username hokafor", "no username breakglass", "no username admin"]
    verdict = check_change("cisco_ios", IOS_GOOD, commands, IOS_ACCESS)
    assert "leaves no local administrator (username ... privilege 15)" in verdict.reasons
    assert "removes the account the push signs in with (admin)" in verdict.reasons
    cx = check_change("aruba_aoscx", CX_GOOD, ["no user hokafor"], CX_ACCESS)
    assert cx.reasons == ("leaves no local administrator (user ... group administrators)",)


# (c) the management SVI


@pytest.mark.parametrize(
    ("platform", "running", "access", "commands", "reason"),
    [
        ("cisco_ios", IOS_GOOD, IOS_ACCESS, ["no interface Vlan10"], "leaves no management SVI"),
        ("cisco_ios", IOS_GOOD, IOS_ACCESS, ["interface Vlan10", " shutdown"], "shuts down"),
        ("cisco_ios", IOS_GOOD, IOS_ACCESS,
         ["interface Vlan10", " ip address 198.18.10.99 255.255.255.0"], "no management SVI"),
        ("aruba_aoscx", CX_GOOD, CX_ACCESS, ["no interface vlan 10"], "leaves no management SVI"),
        ("aruba_aoscx", CX_GOOD, CX_ACCESS, ["interface vlan 10", "    shutdown"], "shuts down"),
    ],
)  # fmt: skip
def test_change_that_removes_the_management_svi_is_refused(
    platform: str, running: str, access: ManagementAccess, commands: list[str], reason: str
) -> None:
    verdict = check_change(platform, running, commands, access)
    assert len(verdict.reasons) == 1 and reason in verdict.reasons[0], verdict.reasons
