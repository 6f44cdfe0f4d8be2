"""hier_config remediation and rollback with matops' tuned drivers, on data fixtures.

``data/<platform>_factory.cfg`` is a switch as shipped (telnet, HTTP, SNMP v2c ``public``, a
leftover ``cisco`` user, everything in VLAN 1); ``<platform>_intended.cfg`` a small baseline;
``<platform>_remediation.txt`` / ``_rollback.txt`` the exact commands, reviewed by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.network.diff import compute_diff, config_lines, parse, unfold_banners, with_exits
from tests.conftest import REPO

DATA = Path(__file__).parent / "data"
GOLDEN = REPO / "tests" / "golden" / "network"
PLATFORMS = {"ios": "cisco_ios", "aoscx": "aruba_aoscx"}


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text().splitlines()


@pytest.mark.parametrize("prefix", sorted(PLATFORMS))
def test_factory_to_intended_gives_the_reviewed_commands(prefix: str) -> None:
    running = (DATA / f"{prefix}_factory.cfg").read_text()
    intended = (DATA / f"{prefix}_intended.cfg").read_text()
    diff = compute_diff(PLATFORMS[prefix], running, intended, keep_users=["admin"])
    assert config_lines(diff.remediation) == _lines(f"{prefix}_remediation.txt")
    assert config_lines(diff.rollback) == _lines(f"{prefix}_rollback.txt")


@pytest.mark.parametrize("prefix", sorted(PLATFORMS))
def test_a_scan_gets_the_same_remediation_without_the_rollback(prefix: str) -> None:
    """The drift check asks for no rollback (it never changes the device): same remediation."""
    running = (DATA / f"{prefix}_factory.cfg").read_text()
    intended = (DATA / f"{prefix}_intended.cfg").read_text()
    diff = compute_diff(PLATFORMS[prefix], running, intended, keep_users=["admin"], rollback=False)
    assert config_lines(diff.remediation) == _lines(f"{prefix}_remediation.txt")
    assert diff.rollback == () and _lines(f"{prefix}_rollback.txt")


@pytest.mark.parametrize("prefix", sorted(PLATFORMS))
def test_lines_the_baseline_does_not_own_are_never_negated(prefix: str) -> None:
    running = (DATA / f"{prefix}_factory.cfg").read_text()
    intended = (DATA / f"{prefix}_intended.cfg").read_text()
    sent = "\n".join(
        compute_diff(PLATFORMS[prefix], running, intended, keep_users=["admin"]).commands()
    )
    for untouched in ("1/1/3", "FastEthernet0", "interface mgmt", "boot-", "enable secret"):
        assert untouched not in sent
    assert "username admin" not in sent and "user admin" not in sent
    assert ("no username cisco" if prefix == "ios" else "no user operator") in sent


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.cfg")), ids=lambda p: p.stem)
def test_intended_against_itself_is_empty(golden: Path) -> None:
    text = golden.read_text()
    platform = "aruba_aoscx" if "\ninterface 1/1/" in text else "cisco_ios"
    diff = compute_diff(platform, text, text)
    assert diff.empty and diff.remediation == () and diff.rollback == ()
    assert diff.commands() == ()


def test_ios_snmp_users_are_write_only() -> None:
    intended = "hostname a\nsnmp-server user mon G v3 auth sha x priv aes 128 y\n"
    unchanged = compute_diff("cisco_ios", "hostname a\n", intended)
    assert unchanged.empty and unchanged.commands() == ()
    assert unchanged.write_only == ("snmp-server user mon G v3 auth sha x priv aes 128 y",)
    changed = compute_diff("cisco_ios", "hostname b\n", intended)
    assert changed.commands() == ("hostname a", *unchanged.write_only)


def test_aoscx_keys_stored_as_ciphertext_count_as_present() -> None:
    running = "radius-server host 1.2.3.4 key ciphertext AQBapXYZ vrf default\n"
    intended = "radius-server host 1.2.3.4 key plaintext k3y vrf default\n"
    assert compute_diff("aruba_aoscx", running, intended).empty
    added = compute_diff("aruba_aoscx", "hostname a\n", "hostname a\n" + intended)
    assert added.remediation == (intended.strip(),)
    assert added.rollback == ("no radius-server host 1.2.3.4",)


def test_one_line_banner_is_read_and_compared() -> None:
    with pytest.raises(ValueError, match="banner"):
        from hier_config import Platform, get_hconfig

        get_hconfig(Platform.CISCO_IOS, "banner motd ^Chello^C\nhostname a\n")
    tree = parse("cisco_ios", "banner motd ^Chello^C\nhostname a\n")
    assert [c.text for c in tree.children] == ["banner motd ^C\nhello\n^C", "hostname a"]
    same = compute_diff("cisco_ios", "banner login ^Chi^C\n", "banner login ^C\nhi\n^C\n")
    assert same.empty
    changed = compute_diff("cisco_ios", "banner login #old#\n", "banner login ^C\nnew\n^C\n")
    assert changed.remediation == ("banner login ^C\nnew\n^C",)
    assert unfold_banners("hostname a\n") == "hostname a\n"


def test_last_value_wins_commands_are_replaced_not_negated() -> None:
    running = "line vty 0 4\n transport input telnet ssh\nspanning-tree mode pvst\n"
    intended = "line vty 0 4\n transport input ssh\nspanning-tree mode rapid-pvst\n"
    diff = compute_diff("cisco_ios", running, intended)
    assert diff.remediation == (
        "line vty 0 4",
        " transport input ssh",
        "spanning-tree mode rapid-pvst",
    )


def test_aoscx_syslog_server_moves_remove_the_old_server() -> None:
    """An AOS-CX switch keeps one ``logging`` line per server: a new one does not replace it."""
    running = "hostname a\nlogging 198.18.0.3 severity info vrf default\n"
    intended = "hostname a\nlogging 198.18.20.10 severity info vrf default\n"
    diff = compute_diff("aruba_aoscx", running, intended)
    assert diff.remediation == (
        "no logging 198.18.0.3",
        "logging 198.18.20.10 severity info vrf default",
    )
    assert diff.rollback == (
        "no logging 198.18.20.10",
        "logging 198.18.0.3 severity info vrf default",
    )


def test_aoscx_syslog_severity_change_replaces_the_line() -> None:
    running = "logging 198.18.20.10 severity warning vrf default\n"
    intended = "logging 198.18.20.10 severity info vrf default\n"
    diff = compute_diff("aruba_aoscx", running, intended)
    assert diff.remediation == ("logging 198.18.20.10 severity info vrf default",)


def test_aoscx_trunk_vlans_are_added_one_by_one() -> None:
    running = "interface 1/1/4\n    vlan trunk native 999\n    vlan trunk allowed 10,20\n"
    intended = "interface 1/1/4\n    vlan trunk native 999\n    vlan trunk allowed 10,20,30\n"
    diff = compute_diff("aruba_aoscx", running, intended)
    assert diff.remediation == ("interface 1/1/4", "    vlan trunk allowed 30")
    assert diff.rollback == ("interface 1/1/4", "    no vlan trunk allowed 30")


def test_commands_are_typed_with_section_exits_and_banner_lines() -> None:
    commands = ("interface vlan 10", "    ip address 1.2.3.4/24", "banner motd ^\nhi\n^")
    assert config_lines(with_exits(commands, "    ")) == [
        "interface vlan 10",
        "    ip address 1.2.3.4/24",
        "exit",
        "banner motd ^",
        "hi",
        "^",
    ]
