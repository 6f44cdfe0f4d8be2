"""``matops network`` against the lab's simulated switches at their management addresses.

The example trust (with fictional vault values for the network secrets) is pushed to every
switch of the lab; a following diff shows nothing left to change on any of them. The ports
part (VLANs and port settings) is also pushed to fake-switches, an independent simulator, and
a push that a switch refuses part-way is rolled back on the lab.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from netmiko import ConnectHandler
from typer.testing import CliRunner

from matops.cli import app
from matops.lab import lifecycle
from matops.lab.model import LabTarget
from matops.network.redact import redact
from matops.paths import LAB_SECRETS_FILE
from tests.network.conftest import FICTIONAL, make_vaulted_trust
from tests.support.configs import config_lines

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration


def test_push_converges_on_every_lab_switch(lab: Lab, tmp_path: Path) -> None:
    lab.require_own()  # pushes every switch, then resets the lab
    root, password = make_vaulted_trust(tmp_path)
    try:
        _push_and_diff(lab, root, password)
    finally:  # leave the switches at factory defaults for the other tests
        lifecycle.lab_down(lab.state_dir, reset=True)
        lab.up()


def _push_and_diff(lab: Lab, root: Path, password: Path) -> None:
    common = [str(root), "--vault-password-file", str(password), "--lab-dir", str(lab.state_dir)]
    runner = CliRunner()

    pushed = runner.invoke(app, ["network", "push", *common, "--parallel", "8"], terminal_width=200)
    assert pushed.exit_code == 0, pushed.output
    for switch in lab.switches:
        assert switch.name in pushed.stdout

    after = runner.invoke(app, ["network", "diff", *common], terminal_width=200)
    assert after.exit_code == 0, after.output
    assert "planned" not in after.stdout
    assert after.stdout.count("unchanged") >= len(lab.switches)
    backups = sorted(p.stem for p in (root / "backups").glob("*/*.cfg"))
    assert backups == sorted(s.name for s in lab.switches)
    # In lab mode the lab's own made-up secrets are pushed (they override the trust's vault).
    lab_values = yaml.safe_load((lab.state_dir / LAB_SECRETS_FILE).read_text())
    planted = [*FICTIONAL.values(), *_leaves(lab_values)]
    for backup in (root / "backups").glob("*/*.cfg"):
        text = backup.read_text()
        assert not any(value in text for value in planted), backup


def _leaves(value: object) -> list[str]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [str(value)]


FAKE = LabTarget(
    "stm-fake01", "switch", "cisco_ios", ipaddress.IPv4Address("198.18.30.250"),
    "st-marys-ce-primary",
)  # fmt: skip
FAKE_INVENTORY = """\
        stm-fake01:
          ansible_host: 198.18.30.250
          platform: cisco_ios
          model: WS-C2960-24TT-L
          device_role: access
          ports:
            - {name: FastEthernet0/1, role: staff, description: office PC}
            - {name: FastEthernet0/2, role: curriculum, description: classroom PC}
            - {name: FastEthernet0/3, role: ap_uplink, description: hall access point}
            - {name: FastEthernet0/4, role: unused}
"""


@pytest.fixture
def fake_switch(lab: Lab) -> Iterator[LabTarget]:
    """A fake-switches switch at a spare address of St Mary's management network."""
    lifecycle.start_extra_switch(FAKE, lab.state_dir, "fakeswitch")
    try:
        yield FAKE
    finally:
        lifecycle.stop_extra_switch(FAKE.name, lab.state_dir)


def _with_fake_switch(root: Path) -> None:
    """Add stm-fake01 to St Mary's switches in a copy of the trust."""
    school = root / "schools" / "st-marys-ce-primary.yml"
    text = school.read_text()
    anchor = "\nlinux:\n"
    assert anchor in text
    school.write_text(text.replace(anchor, "\n" + FAKE_INVENTORY + "linux:\n", 1))


def _running(lab: Lab, target: LabTarget) -> str:
    password = lifecycle.switch_password(lab.state_dir)
    conn = ConnectHandler(
        device_type="cisco_ios", host=str(target.address), username="admin", password=password,
        secret=password, ssh_strict=True, system_host_keys=False, alt_host_keys=True,
        alt_key_file=str(lab.state_dir / "known_hosts"), conn_timeout=15,
    )  # fmt: skip
    try:
        conn.enable()
        return str(conn.send_command("show running-config"))
    finally:
        conn.disconnect()


def test_ports_part_converges_on_fake_switches(
    lab: Lab, fake_switch: LabTarget, tmp_path: Path
) -> None:
    root, password = make_vaulted_trust(tmp_path)
    _with_fake_switch(root)
    common = [str(root), "--device", FAKE.name, "--part", "ports", "--lab", "--lab-dir"]
    common += [str(lab.state_dir)]
    common += ["--vault-password-file", str(password)]
    runner = CliRunner()

    pushed = runner.invoke(app, ["network", "push", *common], terminal_width=200)
    assert pushed.exit_code == 0, pushed.output
    assert "applied" in pushed.stdout

    after = runner.invoke(app, ["network", "diff", *common], terminal_width=200)
    assert after.exit_code == 0, after.output
    assert "unchanged" in after.stdout

    running = _running(lab, fake_switch)
    for line in ("name STAFF", "name CURRICULUM", "name PARKING", "switchport mode trunk",
                 "switchport access vlan 999", "description classroom PC"):  # fmt: skip
        assert line in running, line
    assert f"hostname {FAKE.name}" in running  # outside the part: left as it was


def test_push_refused_part_way_is_rolled_back_on_the_lab(lab: Lab, tmp_path: Path) -> None:
    """oak-sw02 refuses its syslog lines: the CLI names device and line, and the switch runs
    exactly what it ran before the push."""
    root, password = make_vaulted_trust(tmp_path)
    switch = next(t for t in lab.switches if t.name == "oak-sw02")
    before = _running(lab, switch)
    reject = lab.state_dir / "switches" / switch.name / "reject-lines"
    reject.write_text("^logging host \n")
    try:
        pushed = CliRunner().invoke(
            app,
            ["network", "push", str(root), "--device", switch.name, "--lab",
             "--lab-dir", str(lab.state_dir), "--vault-password-file", str(password)],
            terminal_width=250,
        )  # fmt: skip
    finally:
        reject.unlink()
    assert pushed.exit_code == 1, pushed.output
    assert "rolled back" in pushed.stdout.lower()
    assert switch.name in pushed.stdout and "logging host" in pushed.stdout
    assert config_lines(_running(lab, switch)) == config_lines(before)
    saved = (root / "backups" / switch.school / f"{switch.name}.cfg").read_text()
    assert config_lines(saved) == config_lines(redact(before))
