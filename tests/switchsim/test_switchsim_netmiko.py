"""Drive the simulated switches with unmodified netmiko over SSH on loopback.

Each test starts the simulator as a subprocess on 127.0.0.1 and a free port, verifies its
host key strictly (a known_hosts file written from the generated key), pushes a baseline,
saves, reconnects and restarts the process to check what survives.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import ConfigInvalidException

from tests.support.sim import PASSWORD, SimSwitch, first_line, free_port
from tests.support.switch_baselines import (
    AOSCX_BASELINE,
    AOSCX_NOT_SHOWN,
    IOS_BASELINE,
    IOS_NOT_SHOWN,
)

REJECT = "% Invalid input detected at '^' marker."


@pytest.fixture
def sims(tmp_path: Path) -> Iterator[list[SimSwitch]]:
    """Simulators started by a test; all stopped afterwards."""
    started: list[SimSwitch] = []
    yield started
    for sim in started:
        sim.stop()


def _start(sims: list[SimSwitch], tmp_path: Path, platform: str, model: str) -> SimSwitch:
    sim = SimSwitch("lab-sw1", platform, model, tmp_path / f"{platform}-{len(sims)}")
    sim.start()
    sims.append(sim)
    return sim


def _running_lines(conn: Any) -> set[str]:
    return {line.strip() for line in conn.send_command("show running-config").splitlines()}


def _missing(pushed: list[str], not_shown: set[str], running: set[str]) -> list[str]:
    return [line for line in pushed if line not in not_shown and line.strip() not in running]


BASELINES = {
    "cisco_ios": ("C9200L-48P-4G", IOS_BASELINE, IOS_NOT_SHOWN, "ntp server 198.18.0.99"),
    "aruba_aoscx": ("JL675A", AOSCX_BASELINE, AOSCX_NOT_SHOWN, "ntp server 198.18.0.99"),
}


@pytest.mark.parametrize("platform", sorted(BASELINES))
def test_baseline_push_save_reconnect_and_restart(
    platform: str, sims: list[SimSwitch], tmp_path: Path
) -> None:
    model, baseline, not_shown, unsaved = BASELINES[platform]
    sim = _start(sims, tmp_path, platform, model)
    conn = sim.connect()
    conn.enable()
    assert conn.check_enable_mode()
    started = time.monotonic()
    output = conn.send_config_set(baseline)
    push_seconds = time.monotonic() - started
    print(f"\n{platform}: {len(baseline)}-line push took {push_seconds:.2f} s")
    assert "Invalid input" not in output
    conn.set_base_prompt()  # the push changed the hostname, as on a real switch
    conn.save_config()
    conn.disconnect()

    conn = sim.connect()
    conn.enable()
    running = _running_lines(conn)
    assert _missing(baseline, not_shown, running) == []
    assert "Authorised access only. Activity is monitored." in running
    if platform == "cisco_ios":
        assert "User name: monitor" in conn.send_command("show snmp user")
    conn.send_config_set([unsaved])
    assert unsaved in _running_lines(conn)
    conn.disconnect()

    sim.restart()
    conn = sim.connect()
    conn.enable()
    running = _running_lines(conn)
    assert _missing(baseline, not_shown, running) == []
    assert unsaved not in running
    assert conn.find_prompt().startswith("SCH-")
    conn.disconnect()


def test_ios_factory_default_has_insecure_settings(sims: list[SimSwitch], tmp_path: Path) -> None:
    sim = _start(sims, tmp_path, "cisco_ios", "WS-C2960X-48FPD-L")
    conn = sim.connect()
    assert conn.find_prompt() == "lab-sw1>"
    conn.enable()
    running = _running_lines(conn)
    assert {
        "transport input telnet ssh",
        "ip http server",
        "snmp-server community public RO",
    } <= running
    assert not any(line.startswith(("banner", "ntp server", "logging host")) for line in running)
    assert any(re.match(r"username \S+ privilege 15 password 7 ", line) for line in running)
    version = conn.send_command("show version")
    assert "15.2(7)E3" in version and "WS-C2960X-48FPD-L" in version
    status = conn.send_command("show interfaces status")
    assert "Gi1/0/48" in status and "Te1/0/2" in status
    assert "startup-config is not present" in conn.send_command("show startup-config")
    assert REJECT in conn.send_command("show nonsense")
    conn.disconnect()


def test_aoscx_push_ending_in_a_sub_context_still_saves(
    sims: list[SimSwitch], tmp_path: Path
) -> None:
    sim = _start(sims, tmp_path, "aruba_aoscx", "JL679A")
    conn = sim.connect()
    conn.send_config_set(["interface 1/1/3", "description Printer", "vlan access 30"])
    conn.send_config_set(["interface 1/1/4", "description Projector"])
    assert "Success" in conn.save_config()
    conn.disconnect()
    sim.restart()
    conn = sim.connect()
    running = _running_lines(conn)
    assert {"description Printer", "vlan access 30", "description Projector"} <= running
    conn.disconnect()


@pytest.mark.parametrize("platform", sorted(BASELINES))
def test_reject_lines_makes_a_config_line_fail(
    platform: str, sims: list[SimSwitch], tmp_path: Path
) -> None:
    model = BASELINES[platform][0]
    sim = _start(sims, tmp_path, platform, model)
    (sim.state_dir / "reject-lines").write_text("^snmp-server community s3cret\n")
    conn = sim.connect()
    conn.enable()
    output = conn.send_config_set(["snmp-server community s3cret", "ntp server 198.18.0.5"])
    assert REJECT in output
    running = _running_lines(conn)
    assert "snmp-server community s3cret" not in running
    assert "ntp server 198.18.0.5" in running
    with pytest.raises(ConfigInvalidException):
        conn.send_config_set(["snmp-server community s3cret"], error_pattern=r"% Invalid input")
    conn.disconnect()


def test_fake_switches_backend_takes_a_vlan_and_interface_push(tmp_path: Path) -> None:
    """The independent fake-switches simulator, through our launcher, with netmiko cisco_ios."""
    port = free_port()
    (tmp_path / "password").write_text(PASSWORD + "\n")
    argv = [sys.executable, "-m", "matops.lab.fakeswitch", "--listen", "127.0.0.1",
            "--port", str(port), "--hostname", "fake-sw1", "--host-key",
            str(tmp_path / "host_key"), "--username", "admin", "--state-dir", str(tmp_path),
            "--password-file", str(tmp_path / "password")]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = first_line(proc)
        assert "listening on" in line, proc.stderr.read() if proc.stderr else line
        public = (tmp_path / "host_key.pub").read_text().split()
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text(f"[127.0.0.1]:{port} {public[0]} {public[1]}\n")
        conn = ConnectHandler(
            device_type="cisco_ios", host="127.0.0.1", port=port, username="admin",
            password=PASSWORD, secret=PASSWORD, ssh_strict=True, system_host_keys=False,
            alt_host_keys=True, alt_key_file=str(known_hosts), conn_timeout=10,
        )  # fmt: skip
        conn.enable()
        assert conn.find_prompt() == "fake-sw1#"
        pushed = ["vlan 10", "name STAFF", "interface FastEthernet0/1", "description Staff PC",
                  "switchport access vlan 10", "switchport mode access",
                  "interface GigabitEthernet0/1", "switchport trunk allowed vlan 10",
                  "switchport mode trunk"]  # fmt: skip
        output = conn.send_config_set(pushed)
        assert "Invalid input" not in output
        assert conn.find_prompt() == "fake-sw1#"  # `end` left configuration mode
        running = _running_lines(conn)
        assert [line for line in pushed if line not in running] == []
        assert "Fa0/1" in conn.send_command("show vlan brief").split("STAFF", 1)[1]
        conn.disconnect()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_keyboard_interactive_login_and_exec_request(sims: list[SimSwitch], tmp_path: Path) -> None:
    """Clients that only do keyboard-interactive get in; ``ssh sw "show version"`` works."""
    sim = _start(sims, tmp_path, "cisco_ios", "C9200L-24P-4G")
    transport = paramiko.Transport(("127.0.0.1", sim.port))
    try:
        transport.start_client(timeout=10)
        key = transport.get_remote_server_key()
        assert (sim.root / "host_key.pub").read_text().split()[1] == key.get_base64()
        transport.auth_interactive("admin", lambda title, text, prompts: [PASSWORD] * len(prompts))
        assert transport.is_authenticated()
        channel = transport.open_session()
        channel.exec_command("show version")
        output = channel.makefile("r").read().decode()
        assert "Cisco IOS XE Software, Version 17.09.04a" in output
    finally:
        transport.close()
    bad = paramiko.Transport(("127.0.0.1", sim.port))
    try:
        bad.start_client(timeout=10)
        with pytest.raises(paramiko.AuthenticationException):
            bad.auth_password("admin", "wrong-password")
    finally:
        bad.close()
