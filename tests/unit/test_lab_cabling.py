"""The lab's cabling from the example trust's inventory and lab/cabling.yml (its planted re-patch),
as the simulated switches print it and matops reads it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matops.facts.network.neighbours import neighbours_of
from matops.inventory.loader import load_trust
from matops.lab.cabling import CABLING, inventory_cables, lab_cabling, write_cabling
from matops.lab.model import LabError
from matops.platforms import config_reader
from switchsim import lldp
from switchsim.config_tree import Node
from switchsim.device import Device, DeviceSpec
from switchsim.views import short_name

EXAMPLE = Path(__file__).resolve().parents[2] / "inventories" / "example-trust"


def _heard(name: str, root: Path = EXAMPLE) -> list[tuple[str, str, str]]:
    cabling = lab_cabling(root, load_trust(root))
    return [(e["port"], e["name"], e["port_id"]) for e in cabling[name]]


def test_uplinks_described_from_both_ends_are_cabled() -> None:
    cables = inventory_cables(load_trust(EXAMPLE))
    assert ("riv-core01 1/1/51", "riv-sw03 1/1/15") in cables
    assert ("oak-sw01 GigabitEthernet1/1/1", "oak-sw02 GigabitEthernet1/0/25") in cables
    assert len(cables) == 5  # oak, stm: one each; riv: three from the core


def test_the_planted_repatch_and_the_firewalls() -> None:
    assert _heard("riv-sw03") == [("1/1/16", "riv-sw02", "1/1/26")]
    assert ("1/1/26", "riv-sw03", "1/1/16") in _heard("riv-sw02")
    assert "riv-sw03" not in {name for _, name, _ in _heard("riv-core01")}
    assert ("1/1/48", "riv-fw01", "port1") in _heard("riv-core01")
    # an IOS neighbour advertises its port's short name
    assert _heard("oak-sw02") == [("GigabitEthernet1/0/25", "oak-sw01", "Gi1/1/1")]


def test_without_a_cabling_file_only_the_inventory_is_cabled(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root)
    (root / CABLING).unlink()
    assert ("1/1/15", "riv-core01", "1/1/51") in _heard("riv-sw03", root)
    assert _heard("oak-sw01", root) == [("GigabitEthernet1/1/1", "oak-sw02", "Gi1/0/25")]


def test_a_cabling_file_naming_no_switch_of_the_trust_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root)
    (root / CABLING).write_text('unplugged: ["riv-sw99 1/1/1"]\n')
    with pytest.raises(LabError, match="no such switch: riv-sw99"):
        lab_cabling(root, load_trust(root))
    (root / CABLING).write_text("unplugged: riv-sw01\n")
    with pytest.raises(LabError, match="not a valid lab cabling file"):
        lab_cabling(root, load_trust(root))


@pytest.mark.parametrize(
    ("name", "platform", "model"),
    [("riv-sw02", "aruba_aoscx", "6200F JL724A"), ("oak-sw01", "cisco_ios", "C9200L-24P-4G")],
)
def test_the_simulator_prints_its_cabling_as_matops_reads_it(
    tmp_path: Path, name: str, platform: str, model: str
) -> None:
    (tmp_path / "switches" / name).mkdir(parents=True)
    cabling = lab_cabling(EXAMPLE, load_trust(EXAMPLE))
    write_cabling(tmp_path, cabling)
    spec = DeviceSpec(platform, name, model, "198.18.0.9", tmp_path / "switches" / name, "a", "p")
    device = Device(spec)
    if platform == "cisco_ios":
        assert lldp.show_ios(device)[0] == "% LLDP is not enabled"  # off by default on IOS
        device.running.children.append(Node("lldp run"))
        text = "\n".join(lldp.show_ios(device))
    else:
        text = "\n".join(lldp.show_aoscx(device))
    command = config_reader(platform).neighbours_command
    assert command is not None
    found = neighbours_of(name, "school", platform, command, text)
    assert found.read, found.reason
    expected = [(e["port"], e["name"], e["port_id"]) for e in cabling[name]]
    got = [(n.local_port, n.name, n.port) for n in found.neighbours]
    assert got == [(short_name(p), n, q) for p, n, q in expected]  # IOS prints Gi1/1/1
