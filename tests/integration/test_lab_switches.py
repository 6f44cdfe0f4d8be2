"""netmiko drives every simulated switch of the example trust on the lab, unmodified.

For each switch: connect at its management address with the lab's known_hosts (host key
verified), push a 40-line baseline, save, reconnect and read every line back. The VLAN and
interface part is also pushed to the independent fake-switches simulator on the lab.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from netmiko import ConnectHandler

from matops.inventory import Target, load_trust
from matops.lab import lifecycle
from matops.lab.model import LabTarget
from tests.conftest import EXAMPLE_TRUST
from tests.support.switch_baselines import (
    AOSCX_BASELINE,
    AOSCX_NOT_SHOWN,
    IOS_BASELINE,
    IOS_NOT_SHOWN,
    for_ports,
)

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

SWITCHES = load_trust(EXAMPLE_TRUST).targets("switch")
BASELINES = {
    "cisco_ios": (IOS_BASELINE, IOS_NOT_SHOWN, ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2")),
    "aruba_aoscx": (AOSCX_BASELINE, AOSCX_NOT_SHOWN, ("1/1/1", "1/1/2")),
}
UPLINK = {"cisco_ios": "GigabitEthernet1/1/1", "aruba_aoscx": "1/1/49"}


def connect(lab: Lab, host: str, device_type: str) -> Any:
    """netmiko to a lab switch, verifying its host key against the lab's known_hosts."""
    password = lifecycle.switch_password(lab.state_dir)
    return ConnectHandler(
        device_type=device_type, host=host, username="admin", password=password,
        secret=password, ssh_strict=True, system_host_keys=False, alt_host_keys=True,
        alt_key_file=str(lab.state_dir / "known_hosts"), conn_timeout=15,
    )  # fmt: skip


def baseline_for(switch: Target) -> tuple[list[str], set[str]]:
    """The platform baseline on this switch's own ports (two edge ports and its uplink)."""
    baseline, not_shown, examples = BASELINES[switch.platform]
    groups = switch.vars.ports
    edge = [n for g in groups if g.role.value != "uplink" for n in g.port_names()][:2]
    uplink = next(n for g in groups if g.role.value == "uplink" for n in g.port_names())
    ports = dict(zip(examples, edge, strict=True)) | {UPLINK[switch.platform]: uplink}
    return for_ports(baseline, ports), not_shown


def running_lines(conn: Any) -> set[str]:
    return {line.strip() for line in conn.send_command("show running-config").splitlines()}


@pytest.mark.parametrize("switch", SWITCHES, ids=[s.name for s in SWITCHES])
def test_baseline_push_save_and_read_back(lab: Lab, switch: Target) -> None:
    baseline, not_shown = baseline_for(switch)
    assert len(baseline) >= 40
    conn = connect(lab, str(switch.address), switch.platform)
    conn.enable()
    output = conn.send_config_set(baseline)
    assert "Invalid input" not in output
    conn.set_base_prompt()  # the baseline changes the hostname, as on a real switch
    conn.save_config()
    conn.disconnect()

    conn = connect(lab, str(switch.address), switch.platform)
    conn.enable()
    running = running_lines(conn)
    conn.disconnect()
    missing = [line for line in baseline if line not in not_shown and line.strip() not in running]
    assert missing == []


def test_vlans_and_interfaces_on_fake_switches(lab: Lab) -> None:
    extra = LabTarget(
        "lab-fake-sw", "switch", "cisco_ios", ipaddress.IPv4Address("198.18.0.251"), "lab"
    )
    lifecycle.start_extra_switch(extra, lab.state_dir, "fakeswitch")
    push = [
        "vlan 20", "name STAFF", "vlan 30", "name CURRICULUM",
        "interface FastEthernet0/1", "description Staff PC", "switchport mode access",
        "switchport access vlan 20",
        "interface FastEthernet0/2", "description Classroom PC", "switchport mode access",
        "switchport access vlan 30",
    ]  # fmt: skip
    conn = connect(lab, str(extra.address), "cisco_ios")
    conn.enable()
    conn.send_config_set(push)
    conn.save_config()
    conn.disconnect()

    conn = connect(lab, str(extra.address), "cisco_ios")
    conn.enable()
    running = running_lines(conn)
    conn.disconnect()
    assert {"name STAFF", "name CURRICULUM", "description Staff PC", "switchport access vlan 20",
            "switchport access vlan 30"} <= running  # fmt: skip


def test_switch_state_dir_exists(lab: Lab) -> None:
    for switch in lab.switches:
        assert Path(lab.state_dir / "switches" / switch.name).is_dir()


def test_saved_config_survives_lab_down_and_up_unsaved_does_not(lab: Lab) -> None:
    lab.require_own()
    switch = next(s for s in SWITCHES if s.platform == "cisco_ios")
    address = str(switch.address)
    conn = connect(lab, address, "cisco_ios")
    conn.enable()
    conn.send_config_set(["snmp-server location Saved-Before-Lab-Down"])
    conn.save_config()
    conn.send_config_set(["snmp-server contact Unsaved-Change"])
    conn.disconnect()

    lifecycle.lab_down(lab.state_dir)
    lab.up()

    conn = connect(lab, address, "cisco_ios")
    conn.enable()
    running = running_lines(conn)
    conn.disconnect()
    assert "snmp-server location Saved-Before-Lab-Down" in running
    assert "snmp-server contact Unsaved-Change" not in running
