"""The network parsers read configs as devices print them, and never lean on a model default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from matops.facts.network.parse import parse_config
from matops.facts.network.tree import load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CHECKS = Path(__file__).resolve().parents[2] / "checks" / "network"
CORPUS_DIRS = {"ios": "cisco_ios", "aoscx": "aruba_aoscx"}


def _configs() -> Iterator[tuple[str, str, str]]:
    """(id, platform, text) of every config the repository holds: fixtures, corpus, scenarios."""
    for path in sorted((FIXTURES / "configs").glob("*.cfg")):
        platform = "aruba_aoscx" if path.name.startswith("aoscx") else "cisco_ios"
        yield path.name, platform, path.read_text()
    for folder, platform in CORPUS_DIRS.items():
        for path in sorted((FIXTURES / "real-world" / folder).glob("*.cfg")):
            yield f"{folder}/{path.name}", platform, path.read_text(errors="replace")
    for path in sorted(CHECKS.glob("*/tests/*.yml")):
        fact = yaml.safe_load(path.read_text())["facts"].get("running_config")
        if isinstance(fact, dict) and "text" in fact:
            yield f"{path.parent.parent.name}/{path.name}", fact["platform"], fact["text"]


CONFIGS = list(_configs())


def _unset(model: BaseModel, where: str) -> Iterator[str]:
    """Every field of ``model`` (and of the models inside it) the parser left to its default."""
    for name in type(model).model_fields:
        if name not in model.model_fields_set:
            yield f"{where}.{name}"
        value = getattr(model, name)
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(item, BaseModel):
                yield from _unset(item, f"{where}.{name}[{index}]")


def test_the_corpus_covers_both_parsers() -> None:
    platforms = [platform for _, platform, _ in CONFIGS]
    assert platforms.count("cisco_ios") >= 20 and platforms.count("aruba_aoscx") >= 10


@pytest.mark.parametrize(("name", "platform", "text"), CONFIGS, ids=[c[0] for c in CONFIGS])
def test_every_field_is_set_from_the_config(name: str, platform: str, text: str) -> None:
    """A parser never relies on a model default (often the compliant value)."""
    config = parse_config(platform, text)
    assert list(_unset(config, "config")) == []


def test_a_field_left_to_its_default_is_caught() -> None:
    from matops.facts.network.model import Interface, NetworkConfig

    partial = NetworkConfig(platform="cisco_ios", interfaces=[Interface(name="Gi1")])
    missing = list(_unset(partial, "config"))
    assert "config.telnet_enabled" in missing and "config.interfaces[0].mode" in missing


@pytest.mark.parametrize(
    ("text", "banner"),
    [
        ("banner motd ^C Staff only ^C\nhostname a\n", "Staff only"),
        ("banner login #Staff only#\nhostname a\n", "Staff only"),
        ("banner exec $Staff only$\nhostname a\n", None),
        ("banner motd \x03\nStaff only\n\x03\nhostname a\n", "Staff only"),
        ("banner motd ^C\nStaff only\nsecond line\n^C\nhostname a\n", "Staff only\nsecond line"),
        ("banner motd ^CStaff only\nsecond^C\nhostname a\n", "Staff only\nsecond"),
        ("banner motd %\nStaff only\n%\nhostname a\n", "Staff only"),
    ],
)
def test_ios_banners_with_any_delimiter(text: str, banner: str | None) -> None:
    config = parse_config("cisco_ios", text)
    assert config.hostname == "a"
    assert config.banner == (banner or "")


def test_stray_indent_exit_duplicates_and_headers() -> None:
    text = (
        "Building configuration...\n\nCurrent configuration : 99 bytes\n!\nversion 17.9\n"
        "hostname a\n!\n interface GigabitEthernet1/0/1\n switchport access vlan 20\n"
        " switchport mode access\nexit\n!\ninterface GigabitEthernet1/0/1\n shutdown\n shutdown\n"
        "ntp server 1.2.3.4\nntp server 1.2.3.4\nexit\nend\n"
    )
    config = parse_config("cisco_ios", text)
    (port,) = config.interfaces
    assert (port.name, port.mode, port.access_vlan, port.shutdown) == (
        "GigabitEthernet1/0/1",
        "access",
        20,
        True,
    )
    assert config.ntp_servers == ["1.2.3.4"] and config.hostname == "a"


def test_crlf_and_aoscx_ranges() -> None:
    text = "hostname cx\r\ninterface 1/1/1-1/1/3\r\n    no shutdown\r\n    vlan access 20\r\n"
    config = parse_config("aruba_aoscx", text)
    assert [(i.name, i.access_vlan, i.shutdown) for i in config.interfaces] == [
        (f"1/1/{n}", 20, False) for n in (1, 2, 3)
    ]


def test_an_unclosed_banner_does_not_raise_and_is_reported() -> None:
    loaded = load("cisco_ios", "hostname a\nbanner motd ^C\nStaff only\nline vty 0 4\n")
    assert loaded.unterminated_banner == "motd"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("enable algorithm-type scrypt secret 9 $9$x$y", "9"),
        ("enable algorithm-type sha256 secret 8 $8$x$y", "8"),
        ("enable secret 5 $1$x$y", "5"),
        ("enable secret level 15 9 $9$x$y", "9"),
    ],
)
def test_enable_secret_forms(line: str, kind: str) -> None:
    assert parse_config("cisco_ios", line + "\n").enable_secret_type == kind


def test_username_forms() -> None:
    text = (
        "username a privilege 15 algorithm-type scrypt secret 9 $9$x$y\n"
        "username b privilege 15 nopassword\nusername c password 7 0822455D0A16\n"
        "username d view v1 secret 5 $1$x$y\n"
    )
    users = parse_config("cisco_ios", text).local_users
    assert [(u.name, u.privilege, u.password_type) for u in users] == [
        ("a", 15, "9"),
        ("b", 15, "none"),
        ("c", None, "7"),
        ("d", None, "5"),
    ]


def test_radius_groups_are_resolved() -> None:
    text = (
        "aaa group server radius NAMED\n server name RAD1\n"
        "aaa group server radius LEGACY\n server 10.0.0.2 auth-port 1812\n"
        "radius server RAD1\n address ipv4 10.0.0.1 auth-port 1812\n"
        "radius-server host 10.0.0.3 key 7 0822455D0A16\n"
        "tacacs server TAC\n address ipv4 10.0.0.9\n"
    )
    config = parse_config("cisco_ios", text)
    assert config.radius_groups == {
        "radius": ["10.0.0.3", "10.0.0.1"],
        "NAMED": ["10.0.0.1"],
        "LEGACY": ["10.0.0.2"],
    }


def test_vrf_aware_services() -> None:
    text = (
        "ntp server vrf Mgmt-vrf 10.0.0.1 prefer\nntp server 10.0.0.2\n"
        "logging host 10.0.0.3 vrf Mgmt-vrf\nlogging 10.0.0.4\nlogging buffered 4096\n"
    )
    config = parse_config("cisco_ios", text)
    assert config.ntp_servers == ["10.0.0.1", "10.0.0.2"]
    assert config.logging_hosts == ["10.0.0.3", "10.0.0.4"]


def test_aoscx_separator_inside_router_bgp_keeps_the_vrf_inside() -> None:
    text = (
        "router bgp 65533\n    bgp router-id 10.0.0.1\n    address-family ipv4 unicast\n"
        "        neighbor 10.0.0.3 activate\n    exit-address-family\n!\n    vrf test\n"
        "        bgp router-id 10.22.0.2\n!\nhostname cx\n"
    )
    tree = load("aruba_aoscx", text).tree
    assert [c.text for c in tree.children] == ["router bgp 65533", "hostname cx"]
    bgp = tree.children[0]
    assert "vrf test" in [c.text for c in bgp.children]
