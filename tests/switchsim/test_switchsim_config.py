"""Unit tests of the simulated switches' configuration model (no sockets).

Covers the pure tree (parse, render, apply, negate), the dialect rules, and configuration
mode's placement of lines (indentation, IOS-style fall-through, ranges, banners).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from switchsim.aoscx_cli import AoscxDialect
from switchsim.aoscx_syntax import AOSCX
from switchsim.cli import Session
from switchsim.config_tree import (
    LineRules,
    Node,
    apply_line,
    negate_line,
    parse,
    render,
)
from switchsim.configmode import ConfigMode
from switchsim.device import Device, DeviceSpec
from switchsim.ifnames import InvalidInputError
from switchsim.ios_cli import IosDialect
from switchsim.ios_syntax import IOS
from switchsim.passwords import type7_decode, type7_encode

IOS_TEXT = """\
Building configuration...

Current configuration : 300 bytes
!
version 17.9
hostname sw1
!
vrf definition Mgmt-vrf
 !
 address-family ipv4
 exit-address-family
!
interface GigabitEthernet1/0/1
 description Staff PC
 switchport mode access
!
policy-map QOS
 class VOICE
  priority percent 30
!
banner motd ^C
Authorised access only
Second line
^C
banner login ^CKeep out^C
line vty 0 4
 transport input ssh
!
end
"""


def _ios_render(root: Node) -> list[str]:
    return render(root, indent=" ", banner_delim="^C")


def _device(tmp_path: Path, platform: str = "cisco_ios", model: str = "C2960X") -> Device:
    spec = DeviceSpec(platform, "sw1", model, "198.18.0.11", tmp_path, "admin", "pw")
    return Device(spec)


def _children(root: Node, header: str) -> list[str]:
    node = root.child(header)
    assert node is not None, header
    return [child.text for child in node.children]


# --- the pure tree -------------------------------------------------------------------------


def test_parse_builds_nested_sections_and_drops_comments() -> None:
    root = parse(IOS_TEXT)
    assert [n.text for n in root.children][:3] == [
        "version 17.9",
        "hostname sw1",
        "vrf definition Mgmt-vrf",
    ]
    assert _children(root, "vrf definition Mgmt-vrf") == [
        "address-family ipv4",
        "exit-address-family",
    ]
    policy = root.child("policy-map QOS")
    assert policy is not None
    assert policy.children[0].text == "class VOICE"
    assert [c.text for c in policy.children[0].children] == ["priority percent 30"]


def test_parse_reads_multi_line_and_single_line_banners() -> None:
    root = parse(IOS_TEXT)
    motd = root.child("banner motd")
    login = root.child("banner login")
    assert motd is not None and motd.body == "\nAuthorised access only\nSecond line\n"
    assert login is not None and login.body == "Keep out"
    assert root.child("line vty 0 4") is not None  # parsing resumes after the banner


def test_render_round_trips() -> None:
    root = parse(IOS_TEXT)
    lines = _ios_render(root)
    assert "banner motd ^C" in lines and "banner login ^CKeep out^C" in lines
    assert "  priority percent 30" in lines
    assert _ios_render(parse("\n".join(lines))) == lines


def test_apply_line_replaces_keyed_lines_in_place_and_is_idempotent() -> None:
    root = parse("hostname a\nip ssh version 1\n")
    apply_line(root, "hostname b", "global", IOS.rules)
    apply_line(root, "hostname b", "global", IOS.rules)
    assert [n.text for n in root.children] == ["hostname b", "ip ssh version 1"]


def test_apply_line_without_rules_appends() -> None:
    root = parse("interface Gi1/0/1\n description old\n")
    apply_line(root.children[0], "description new", "if", LineRules())
    assert _children(root, "interface Gi1/0/1") == ["description old", "description new"]


def test_negate_removes_by_word_prefix_and_sections() -> None:
    root = parse(
        "username bob privilege 15 secret 9 x\nusername bobby secret 9 y\nvlan 10\n name A\n"
    )
    assert negate_line(root, "username bob", "global", IOS.rules)
    assert negate_line(root, "vlan 10", "global", IOS.rules)
    assert [n.text for n in root.children] == ["username bobby secret 9 y"]
    assert not negate_line(root, "ntp server 1.2.3.4", "global", IOS.rules)


def test_kept_negation_replaces_the_positive_line() -> None:
    root = parse("ip http server\nip http secure-server\n")
    negate_line(root, "ip http server", "global", IOS.rules)
    assert [n.text for n in root.children] == ["no ip http server", "ip http secure-server"]
    apply_line(root, "ip http server", "global", IOS.rules)
    assert [n.text for n in root.children] == ["ip http server", "ip http secure-server"]


def test_ios_trunk_allowed_add_and_remove_merge() -> None:
    root = parse("interface Gi1/0/1\n switchport trunk allowed vlan 10,20\n")
    port = root.children[0]
    apply_line(port, "switchport trunk allowed vlan add 30-31", "if", IOS.rules)
    apply_line(port, "switchport trunk allowed vlan remove 10", "if", IOS.rules)
    assert _children(root, "interface Gi1/0/1") == ["switchport trunk allowed vlan 20,30-31"]


def test_aoscx_trunk_allowed_is_additive_and_negation_subtracts() -> None:
    root = parse("interface 1/1/1\n    vlan trunk allowed 10\n")
    port = root.children[0]
    apply_line(port, "vlan trunk allowed 20", "if", AOSCX.rules)
    negate_line(port, "vlan trunk allowed 10", "if", AOSCX.rules)
    assert _children(root, "interface 1/1/1") == ["vlan trunk allowed 20"]
    negate_line(port, "vlan trunk allowed 20", "if", AOSCX.rules)
    assert _children(root, "interface 1/1/1") == []


def test_aoscx_access_and_trunk_exclude_each_other_and_shutdown_toggles() -> None:
    root = parse("interface 1/1/1\n    no shutdown\n    vlan access 1\n")
    port = root.children[0]
    apply_line(port, "vlan trunk native 99", "if", AOSCX.rules)
    apply_line(port, "shutdown", "if", AOSCX.rules)
    negate_line(port, "shutdown", "if", AOSCX.rules)
    assert _children(root, "interface 1/1/1") == ["no shutdown", "vlan trunk native 99"]


def test_ios_rank_places_new_top_level_lines_like_ios() -> None:
    root = parse("hostname sw1\ninterface Vlan1\nline vty 0 4\n")
    apply_line(root, "ntp server 198.18.0.2", "global", IOS.rules)
    apply_line(root, "vlan 10", "global", IOS.rules)
    apply_line(root, "snmp-server group G v3 priv", "global", IOS.rules)
    assert [n.text for n in root.children] == [
        "hostname sw1",
        "vlan 10",
        "interface Vlan1",
        "snmp-server group G v3 priv",
        "line vty 0 4",
        "ntp server 198.18.0.2",
    ]


def test_type7_round_trip() -> None:
    assert type7_decode("070C285F4D06") == "cisco"
    assert type7_decode(type7_encode("S3cret!")) == "S3cret!"


_WORD = st.sampled_from(["ip", "vlan", "10", "name", "x-y", "1/0/1", "permit", "any", "no"])
_LINE = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)


@st.composite
def _trees(draw: st.DrawFn, depth: int = 2) -> Node:
    root = Node("")
    for text in draw(st.lists(_LINE, max_size=6, unique=True)):
        node = Node(text)
        if depth:
            node.children = draw(_trees(depth - 1)).children
        root.children.append(node)
    return root


@settings(max_examples=60, deadline=None)
@given(_trees())
def test_render_parse_is_stable_for_any_tree(tree: Node) -> None:
    lines = _ios_render(tree)
    assert _ios_render(parse("\n".join(lines))) == lines


# --- configuration mode --------------------------------------------------------------------


def test_unindented_lines_stay_in_the_sub_mode_the_grammar_allows(tmp_path: Path) -> None:
    device = _device(tmp_path)
    mode = ConfigMode(device)
    for line in (
        "interface GigabitEthernet1/0/5",
        "description Printer",
        "switchport access vlan 20",
    ):
        mode.apply(line)
    assert mode.prompt == "config-if"
    mode.apply("ip ssh version 2")  # not an interface command: falls back to global
    assert mode.prompt == "config"
    assert _children(device.running, "interface GigabitEthernet1/0/5") == [
        "description Printer",
        "switchport access vlan 20",
    ]
    assert device.running.child("ip ssh version 2") is not None


def test_indented_lines_attach_by_indentation_even_to_unknown_sections(tmp_path: Path) -> None:
    device = _device(tmp_path)
    mode = ConfigMode(device)
    for line in ("made-up section X", " child one", "  grandchild", " child two", "hostname sw9"):
        mode.apply(line)
    section = device.running.child("made-up section X")
    assert section is not None
    assert [c.text for c in section.children] == ["child one", "child two"]
    assert section.children[0].children[0].text == "grandchild"
    assert device.hostname == "sw9"


def test_nested_modes_and_exit(tmp_path: Path) -> None:
    device = _device(tmp_path)
    mode = ConfigMode(device)
    mode.apply("policy-map UPLINK")
    mode.apply("class VOICE")
    assert mode.prompt == "config-pmap-c"
    mode.apply("priority percent 20")
    assert mode.exit() and mode.prompt == "config-pmap"
    mode.apply("class DATA")
    mode.apply("bandwidth percent 50")
    assert mode.exit() and mode.exit() and not mode.exit()
    policy = device.running.child("policy-map UPLINK")
    assert policy is not None
    assert [(c.text, [g.text for g in c.children]) for c in policy.children] == [
        ("class VOICE", ["priority percent 20"]),
        ("class DATA", ["bandwidth percent 50"]),
    ]


def test_interface_range_and_vlan_list_expand(tmp_path: Path) -> None:
    device = _device(tmp_path)
    mode = ConfigMode(device)
    mode.apply("interface range gi1/0/1 - 3")
    assert mode.prompt == "config-if-range"
    mode.apply("switchport access vlan 30")
    mode.apply("vlan 30,40")
    mode.apply("name SHARED")
    for port in (1, 2, 3):
        assert _children(device.running, f"interface GigabitEthernet1/0/{port}") == [
            "switchport access vlan 30"
        ]
    assert _children(device.running, "vlan 40") == ["name SHARED"]


def test_unknown_physical_interface_is_rejected(tmp_path: Path) -> None:
    mode = ConfigMode(_device(tmp_path))
    with pytest.raises(InvalidInputError):
        mode.apply("interface GigabitEthernet1/0/99")
    with pytest.raises(InvalidInputError):
        mode.apply("no interface GigabitEthernet1/0/1")
    mode.apply("interface Vlan20")  # virtual interfaces are created
    assert mode.prompt == "config-if"


def test_no_line_in_sub_mode_and_default_interface(tmp_path: Path) -> None:
    device = _device(tmp_path)
    mode = ConfigMode(device)
    mode.apply("line vty 0 4")
    mode.apply("no login local")
    mode.apply("exec-timeout 5 0")
    mode.apply("exec-timeout 10 0")
    assert _children(device.running, "line vty 0 4") == [
        "transport input telnet ssh",
        "exec-timeout 10 0",
    ]
    mode.apply("interface GigabitEthernet1/0/2")
    mode.apply("description temp")
    mode.apply("default interface GigabitEthernet1/0/2")
    assert _children(device.running, "interface GigabitEthernet1/0/2") == []


def test_secrets_are_stored_like_ios(tmp_path: Path) -> None:
    device = _device(tmp_path)
    mode = ConfigMode(device)
    mode.apply("username bob privilege 15 secret Summer2024")
    mode.apply("service password-encryption")
    mode.apply("username carol password Winter2024")
    texts = [n.text for n in device.running.children]
    bob = next(t for t in texts if t.startswith("username bob"))
    carol = next(t for t in texts if t.startswith("username carol"))
    assert bob.startswith("username bob privilege 15 secret 9 $9$") and "Summer" not in bob
    assert type7_decode(carol.split()[-1]) == "Winter2024"


def test_snmp_v3_users_are_hidden_from_show_but_saved(tmp_path: Path) -> None:
    device = _device(tmp_path)
    ConfigMode(device).apply(
        "snmp-server user mon GRP v3 auth sha AuthPass1 priv aes 128 PrivPass1"
    )
    assert not any("snmp-server user" in line for line in IOS.render(device.running, show=True))
    device.save()
    assert "snmp-server user mon" in device.startup_path.read_text()


def test_aoscx_plaintext_becomes_ciphertext_and_vlan_prompt(tmp_path: Path) -> None:
    device = _device(tmp_path, "aruba_aoscx", "JL679A")
    mode = ConfigMode(device)
    mode.apply("user ops group operators password plaintext Secret99")
    mode.apply("vlan 10")
    assert mode.prompt == "config-vlan-10"
    text = "\n".join(AOSCX.render(device.running, show=True))
    assert "user ops group operators password ciphertext AQBap" in text
    assert "Secret99" not in text


def test_banner_through_the_cli_session(tmp_path: Path) -> None:
    device = _device(tmp_path)
    session = Session(device, IosDialect(), "admin")
    session.level = 15
    typed = (
        "configure terminal\nbanner motd ^\nAuthorised access only\nNo unauthorised use\n^\nend\n"
    )
    output = session.feed(typed)
    assert "End with the character '^'." in output
    banner = device.running.child("banner motd")
    assert banner is not None and banner.body == "\nAuthorised access only\nNo unauthorised use\n"
    lines = IOS.render(device.running, show=True)
    start = lines.index("banner motd ^C")
    assert lines[start : start + 4] == [
        "banner motd ^C",
        "Authorised access only",
        "No unauthorised use",
        "^C",
    ]


def test_reject_lines_file_refuses_matching_lines(tmp_path: Path) -> None:
    device = _device(tmp_path)
    (tmp_path / "reject-lines").write_text("^snmp-server community\n")
    session = Session(device, IosDialect(), "admin")
    session.level = 15
    output = session.feed("configure terminal\nsnmp-server community secret99 RO\nend\n")
    assert "% Invalid input detected at '^' marker." in output
    assert device.running.child("snmp-server community secret99 RO") is None


def test_exec_commands_in_configuration_mode(tmp_path: Path) -> None:
    ios = _device(tmp_path / "ios")
    session = Session(ios, IosDialect(), "admin")
    session.level = 15
    output = session.feed("configure terminal\nshow running-config\ndo show ip ssh\n")
    assert "% Invalid input detected at '^' marker." in output
    assert "SSH Enabled - version 1.99" in output
    assert ios.running.child("show running-config") is None
    cx = _device(tmp_path / "cx", "aruba_aoscx", "JL679A")
    session = Session(cx, AoscxDialect(), "admin")
    output = session.feed(
        "configure terminal\ninterface 1/1/4\nshow running-config | include 1/1/4\n"
    )
    assert "interface 1/1/4" in output.split("show running-config | include 1/1/4")[1]
    assert output.endswith("sw1(config-if)# ")
    assert cx.running.child("show running-config | include 1/1/4") is None


def test_simulator_gaps_answer_invalid_input_instead_of_failing(tmp_path: Path) -> None:
    device = _device(tmp_path)
    (tmp_path / "reject-lines").write_text("([unbalanced\n")
    session = Session(device, IosDialect(), "admin")
    session.level = 15
    output = session.feed("show running-config | include [oops\nconfigure terminal\nvlan 5000\n")
    assert output.count("% Invalid input detected at '^' marker.") == 2
    assert output.endswith("sw1(config)#")
