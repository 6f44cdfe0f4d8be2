"""LLDP neighbour outputs parsed or refused: real-world outputs (tests/fixtures/real-world/lldp)
and our own failure cases. A refusal must never look like "no neighbours"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from matops.facts.network.neighbours import neighbours_of, parse_neighbours
from matops.platforms import config_reader

LLDP = Path(__file__).parents[1] / "fixtures" / "real-world" / "lldp"
SOURCES: list[dict[str, Any]] = yaml.safe_load((LLDP / "SOURCES.yml").read_text())
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((LLDP / "expected.yml").read_text())


def _command(platform: str) -> str:
    command = config_reader(platform).neighbours_command
    assert command is not None
    return command


def test_every_output_is_sourced_and_expected() -> None:
    files = sorted(str(p.relative_to(LLDP)) for p in LLDP.glob("*/*.txt"))
    listed = [entry["file"] for entry in SOURCES]
    assert sorted(listed) == files and len(set(listed)) == len(listed)
    assert sorted(EXPECTED) == files
    for entry in SOURCES:
        assert len(entry["commit"]) == 40 and entry["licence"] and entry["repository"]


@pytest.mark.parametrize("entry", SOURCES, ids=lambda e: e["file"])
def test_real_world_output(entry: dict[str, Any]) -> None:
    text = (LLDP / entry["file"]).read_text(encoding="utf-8")
    platform = entry["platform"]
    found = neighbours_of("sw", "school", platform, _command(platform), text)
    expected = EXPECTED[entry["file"]]
    assert found.read is expected["read"], found.reason
    if expected["read"]:
        got = [[n.local_port, n.name, n.port] for n in found.neighbours]
        assert got == expected["neighbours"]
    else:
        assert found.neighbours == [] and expected["reason"] in (found.reason or "")
        assert found.summary.startswith("neighbours not read: ")


IOS_ONE = """\
------------------------------------------------
Local Intf: Gi1/1/1
Chassis id: 0011.2233.4455
Port id: Gi1/0/25
Port Description: GigabitEthernet1/0/25
System Name: oak-sw02

System Description:
Cisco IOS Software

Time remaining: 100 seconds
System Capabilities: B
Enabled Capabilities: B
Management Addresses:
    IP: 198.18.10.3
Auto Negotiation - not supported
Physical media capabilities - not advertised
Media Attachment Unit type - not advertised
Vlan ID: 1

Total entries displayed: 1
"""


@pytest.mark.parametrize(
    ("platform", "text", "reason"),
    [
        ("cisco_ios", "", "printed nothing"),
        ("cisco_ios", "   \n\n", "printed nothing"),
        ("cisco_ios", "% LLDP is not enabled\n", "LLDP is not enabled"),
        (
            "cisco_ios",
            "show lldp neighbors detail\n                    ^\n"
            "% Invalid input detected at '^' marker.\n",
            "rejected",
        ),
        ("aruba_aoscx", "Invalid input: neighbor-info\n", "rejected"),
        ("cisco_ios", IOS_ONE.replace("Total entries displayed: 1\n", ""), "neighbour count"),
        ("cisco_ios", IOS_ONE.replace("displayed: 1", "displayed: 2"), "counts 2"),
        ("cisco_ios", IOS_ONE.replace("Local Intf: Gi1/1/1\n", ""), "own port"),
        ("cisco_ios", IOS_ONE.replace("Vlan ID: 1", "Something new: 1"), "unparseable"),
        ("cisco_ios", IOS_ONE + IOS_ONE, "neighbour count"),
        ("hp_procurve", IOS_ONE, "no neighbour parser"),
    ],
)
def test_failure_is_not_read_with_reason(platform: str, text: str, reason: str) -> None:
    command = "show lldp" if platform == "hp_procurve" else _command(platform)
    found = neighbours_of("sw", "school", platform, command, text)
    assert not found.read and found.neighbours == []
    assert reason in (found.reason or ""), found.reason


def test_own_output_read_and_none_is_an_observation() -> None:
    (one,) = parse_neighbours("cisco_ios", _command("cisco_ios"), IOS_ONE)
    assert (one.local_port, one.name, one.port) == ("Gi1/1/1", "oak-sw02", "Gi1/0/25")
    assert (
        parse_neighbours("cisco_ios", _command("cisco_ios"), "Total entries displayed: 0\n") == []
    )
    empty_cx = "LLDP Neighbor Information\n=========================\nTotal Neighbor Entries : 0\n"
    assert parse_neighbours("aruba_aoscx", _command("aruba_aoscx"), empty_cx) == []


def test_a_switch_the_live_scan_could_not_reach_is_not_read_with_the_reason() -> None:
    from matops.facts.model import FactError
    from matops.facts.network.live import LiveNetworkProvider
    from matops.inventory.model import Target, TargetVars

    def no_settings(target: Target) -> Any:
        raise RuntimeError("no password file")

    target = Target(
        name="oak-sw01",
        kind="switch",
        school="oakfield-primary",
        vars=TargetVars(ansible_host="198.18.10.2", platform="cisco_ios"),  # type: ignore[arg-type]
    )
    provider = LiveNetworkProvider(no_settings)
    with pytest.raises(FactError):
        provider.outputs(target)
    (seen,) = provider.neighbours()
    assert (seen.device, seen.read, seen.neighbours) == ("oak-sw01", False, [])
    assert seen.command == "show lldp neighbors detail"
    assert "no way to connect: no password file" in (seen.reason or "")
