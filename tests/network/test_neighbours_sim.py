"""The live collector reads LLDP neighbours from the simulated switches over SSH (netmiko, host
key verified), parsed by the same code as a real switch's output; LLDP off is "not read"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from matops.facts.network.live import read_outputs
from tests.support.sim import SimSwitch

IOS_HEARD = [
    {"port": "GigabitEthernet1/0/25", "name": "oak-sw01", "port_id": "Gi1/1/1",
     "port_description": "GigabitEthernet1/1/1", "description": "Cisco IOS Software",
     "address": "198.18.10.2"},
    {"port": "GigabitEthernet1/0/26", "name": "mystery-sw", "port_id": "Gi0/8",
     "port_description": "GigabitEthernet0/8", "description": "Cisco IOS Software",
     "address": "198.18.10.99"},
]  # fmt: skip
CX_HEARD = [
    {"port": "1/1/25", "name": "riv-core01", "port_id": "1/1/49", "port_description": "1/1/49",
     "description": "Aruba JL662A FL.10.13", "address": "198.18.20.2"},
]  # fmt: skip


@pytest.fixture
def sims() -> Iterator[list[SimSwitch]]:
    started: list[SimSwitch] = []
    yield started
    for sim in started:
        sim.stop()


def _start(sims: list[SimSwitch], tmp_path: Path, platform: str, model: str) -> SimSwitch:
    sim = SimSwitch("lab-sw1", platform, model, tmp_path / platform).start()
    sims.append(sim)
    return sim


def _cable(sim: SimSwitch, heard: list[dict[str, str]]) -> None:
    (sim.state_dir / "neighbours.json").write_text(json.dumps(heard))


def test_ios_without_lldp_run_is_not_read_then_read_once_enabled(
    sims: list[SimSwitch], tmp_path: Path
) -> None:
    sim = _start(sims, tmp_path, "cisco_ios", "WS-C2960X-24PS-L")
    _cable(sim, IOS_HEARD)
    factory = read_outputs(sim.settings(), "oakfield-primary", 10.0)
    assert factory.neighbours is not None and not factory.neighbours.read
    assert factory.neighbours.reason == "LLDP is not enabled on the switch"
    assert set(factory.texts) == {"running_config", "startup_config", "software_version"}
    conn = sim.connect()
    conn.enable()
    conn.send_config_set(["lldp run"])
    conn.disconnect()
    found = read_outputs(sim.settings(), "oakfield-primary", 10.0).neighbours
    assert found is not None and found.read, found
    assert [(n.local_port, n.name, n.port) for n in found.neighbours] == [
        ("Gi1/0/25", "oak-sw01", "Gi1/1/1"),
        ("Gi1/0/26", "mystery-sw", "Gi0/8"),
    ]


def test_aoscx_reads_its_cabling_and_none_is_an_observation(
    sims: list[SimSwitch], tmp_path: Path
) -> None:
    sim = _start(sims, tmp_path, "aruba_aoscx", "6200F JL724A")
    alone = read_outputs(sim.settings(), "riverside-academy", 10.0).neighbours
    assert alone is not None and alone.read and alone.neighbours == []
    _cable(sim, CX_HEARD)
    found = read_outputs(sim.settings(), "riverside-academy", 10.0).neighbours
    assert found is not None and found.read, found
    assert [(n.local_port, n.name, n.port) for n in found.neighbours] == [
        ("1/1/25", "riv-core01", "1/1/49")
    ]
    assert found.command == "show lldp neighbor-info detail"
