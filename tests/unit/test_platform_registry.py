"""The platform registry (``matops.platforms``) is the one place a platform is described.

Every reference an entry makes resolves (parsers, templates, netmiko driver, hier_config
driver, simulator syntax), and a new entry is all the parsing and validation code needs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from netmiko.ssh_dispatcher import CLASS_MAPPER

import matops.platforms as registry
from matops.facts.network.parse import parse_config
from matops.facts.network.tree import load
from matops.facts.network.validate import problem
from matops.platforms import CONFIG_READERS, NETWORK_PLATFORMS, PLATFORMS, platform_error
from switchsim.device import SYNTAXES

IOS_CONFIG = (Path(__file__).parents[1] / "fixtures" / "configs" / "ios_hardened.cfg").read_text()


@pytest.mark.parametrize("name", sorted(CONFIG_READERS))
def test_reader_references_resolve(name: str) -> None:
    reader = CONFIG_READERS[name]
    assert callable(registry.model._resolve(reader.parser))
    assert callable(registry.model._resolve(reader.version_parser))
    assert reader.top_level


@pytest.mark.parametrize("name", sorted(NETWORK_PLATFORMS))
def test_network_entries_have_templates_drivers_and_a_simulator(name: str) -> None:
    network = NETWORK_PLATFORMS[name]
    assert network.template.is_file()
    assert all((network.template_dir / part.template).is_file() for part in network.parts)
    assert network.netmiko_device_type in CLASS_MAPPER
    checks = registry.resolve(network.lockout_checks)
    assert checks and all(callable(c) for c in checks), "every baseline has lockout checks"
    assert name in SYNTAXES, "the lab's simulator speaks every platform with a baseline"
    assert PLATFORMS[name].reader is not None, "a platform matops configures is one it reads"


def test_every_entry_is_filed_under_its_own_name() -> None:
    assert all(name == entry.name for name, entry in PLATFORMS.items())


def test_a_new_entry_is_all_that_parsing_and_validation_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    toy = replace(PLATFORMS["cisco_ios"], name="toy_ios", title="Toy IOS", network=None)
    monkeypatch.setitem(PLATFORMS, "toy_ios", toy)
    assert toy.reader is not None
    monkeypatch.setitem(CONFIG_READERS, "toy_ios", toy.reader)
    assert platform_error("toy_ios", "switch") is None
    assert parse_config("toy_ios", IOS_CONFIG) == parse_config("cisco_ios", IOS_CONFIG)
    assert [c.text for c in load("toy_ios", "hostname t\n").tree.children] == ["hostname t"]
    assert problem("toy_ios", IOS_CONFIG) is None
    assert "not Cisco IOS" in str(problem("toy_ios", "!Version ArubaOS-CX PL.10.13\nhostname t\n"))
    with pytest.raises(ValueError, match="valid platforms: aruba_aoscx, cisco_ios, toy_ios"):
        parse_config("fortinet", "hostname f\n")
