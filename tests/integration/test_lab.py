"""The lab against real SSH targets: identity, systemd, isolation, teardown.

No packet is ever sent outside 198.18.0.0/16: reachability is checked with ``ip route get``,
which only asks the routing table.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import asyncssh
import pytest

from matops.lab import hosts, lifecycle, switches
from matops.lab.model import LabError, LabTarget, machine_name
from matops.lab.record import read_record
from matops.lab.sweep import lab_leftovers

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

OUTSIDE = ["1.1.1.1", "10.0.0.1", "172.16.0.1", "192.168.1.1"]


def test_every_host_answers_with_its_own_hostname(lab: Lab) -> None:
    # Twice: the second round goes through each host's ControlMaster socket.
    for _ in range(2):
        seen = {t.name: lab.ssh(t.name, "hostname").stdout.strip() for t in lab.linux}
        assert seen == {t.name: t.name for t in lab.linux}
    sockets = list((lab.state_dir / "cm").iterdir())
    assert len(sockets) == len(lab.linux), "each host needs its own control socket"


def test_hosts_answer_by_address_too(lab: Lab) -> None:
    for target in lab.linux:
        assert lab.ssh(str(target.address), "hostname").stdout.strip() == target.name


def test_systemd_is_running_inside(lab: Lab) -> None:
    """Every unit started: none failed (auditd, which cannot run in a container, is skipped)."""
    for target in lab.linux:
        result = lab.ssh(target.name, "systemctl", "is-system-running", "--wait")
        failed = lab.ssh(target.name, "systemctl", "--failed", "--no-legend").stdout
        assert result.stdout.strip() == "running", (target.name, failed)
        assert lab.ssh(target.name, "systemctl", "is-active", "ssh").stdout.strip() == "active"


def test_each_host_has_cgroups_of_its_own(lab: Lab) -> None:
    """Containers sharing a cgroup break each other's units (219/CGROUP) now and then."""
    record = read_record(lab.state_dir)
    assert record is not None
    seen: dict[str, str] = {}
    for entry in record.data["targets"]:
        if entry["kind"] != "linux":
            continue
        leader = hosts.container_leader(int(entry["pid"]))
        assert leader is not None, entry["name"]
        for line in Path(f"/proc/{leader}/cgroup").read_text().splitlines():
            _number, controllers, path = line.split(":", 2)
            if controllers in {"", "name=systemd"}:
                top = path.strip("/").split("/")[0]
                assert seen.setdefault(f"{controllers}:{top}", entry["name"]) == entry["name"]
                assert top == machine_name(entry["name"]), (entry["name"], line)


def test_operator_has_passwordless_sudo(lab: Lab) -> None:
    for target in lab.linux:
        assert lab.ssh(target.name, "sudo", "-n", "id", "-u").stdout.strip() == "0"


def test_host_keys_differ_and_are_verified(lab: Lab, tmp_path: Path) -> None:
    keys = [line.split()[2] for line in (lab.state_dir / "known_hosts").read_text().splitlines()]
    assert len(set(keys)) == len(lab.targets)
    # Give the first host the second host's key: strict checking must refuse the connection.
    first, second = lab.linux[:2]
    by_name = dict(zip((t.name for t in lab.targets), keys, strict=True))
    bad = tmp_path / "known_hosts"
    bad.write_text(f"{first.name},{first.address} ssh-ed25519 {by_name[second.name]}\n")
    config = lab.ssh_config.read_text().replace(str(lab.state_dir / "known_hosts"), str(bad))
    # A fresh connection: an existing master socket would skip host key checking.
    config = config.replace(f"ControlPath {lab.state_dir}/cm/%C", "ControlPath none")
    (tmp_path / "ssh_config").write_text(config)
    argv = ["ssh", "-F", str(tmp_path / "ssh_config"), first.name, "true"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode != 0
    assert "host key" in result.stderr.lower()


def test_lab_hosts_have_no_route_out(lab: Lab) -> None:
    for target in lab.linux:
        assert lab.ssh(target.name, "ip", "route", "show", "default").stdout.strip() == ""
        for address in OUTSIDE:
            result = lab.ssh(target.name, "ip", "route", "get", address)
            assert result.returncode != 0, (target.name, address, result.stdout)
            assert "unreachable" in result.stderr.lower()
        lab_peer = lab.ssh(target.name, "ip", "route", "get", str(lab.targets[-1].address))
        assert lab_peer.returncode == 0


def test_no_target_namespace_has_a_route_out(lab: Lab) -> None:
    """Seen from the machine, inside each target's network namespace (hosts and switches)."""
    for target in lab.targets:
        show = lifecycle.target_exec_argv(lab.state_dir, target.name, ["ip", "route", "show"])
        routes = subprocess.run(show, capture_output=True, text=True, check=True).stdout
        assert routes.split() and "default" not in routes, (target.name, routes)
        for address in OUTSIDE:
            get = lifecycle.target_exec_argv(
                lab.state_dir, target.name, ["ip", "route", "get", address]
            )
            result = subprocess.run(get, capture_output=True, text=True, check=False)
            assert result.returncode != 0, (target.name, address, result.stdout)


def test_machine_forwarding_untouched_and_guard_rules_present(lab: Lab) -> None:
    assert Path("/proc/sys/net/ipv4/ip_forward").read_text().strip() == lab.ip_forward_before
    tables = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True, check=True)
    assert "inet matops_lab" in tables.stdout


async def _switch_login(lab: Lab, target: LabTarget) -> None:
    password = lifecycle.switch_password(lab.state_dir)
    async with asyncssh.connect(
        str(target.address),
        username="admin",
        password=password,
        known_hosts=str(lab.state_dir / "known_hosts"),
        connect_timeout=10,
    ):
        pass


def test_switches_accept_the_lab_password_with_a_verified_host_key(lab: Lab) -> None:
    for target in lab.switches:
        asyncio.run(_switch_login(lab, target))
    password_file = switches.switch_files(lab.state_dir, lab.switches[0].name).password_file
    assert password_file.stat().st_mode & 0o777 == 0o600


def test_status_reports_every_target_up(lab: Lab) -> None:
    status = {s.name: s for s in lifecycle.lab_status(lab.state_dir)}
    assert set(status) >= {t.name for t in lab.targets}
    for target in lab.targets:
        assert status[target.name].up and status[target.name].ssh_ok, status[target.name]


def test_second_lab_up_is_refused(lab: Lab) -> None:
    with pytest.raises(LabError, match="matops lab down"):
        lifecycle.lab_up(lab.targets, lab.state_dir, switch_argv=lab.switch_argv)


def test_extra_switch_at_a_spare_address(lab: Lab) -> None:
    extra = LabTarget(
        "oak-fake-sw", "switch", "cisco_ios", ipaddress.IPv4Address("198.18.0.250"), "oak"
    )
    fakeswitch = switches.runnable_module("matops.lab.fakeswitch")
    argv = None if fakeswitch else lab.placeholder_argv
    lifecycle.start_extra_switch(extra, lab.state_dir, "fakeswitch", switch_argv=argv)
    asyncio.run(_switch_login(lab, extra))
    assert "oak-fake-sw,198.18.0.250 " in (lab.state_dir / "known_hosts").read_text()
    assert "Host oak-fake-sw 198.18.0.250" in lab.ssh_config.read_text()
    # The Linux hosts still answer through the rewritten ssh_config.
    assert lab.ssh(lab.linux[0].name, "hostname").stdout.strip() == lab.linux[0].name


def _output(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=False).stdout


def _lab_processes(state_dir: Path) -> list[str]:
    """Live processes carrying the lab marker or naming the state dir (ssh masters)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            env, cmd = (entry / "environ").read_bytes(), (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"MATOPS_LAB_ID=" in env or str(state_dir).encode() in cmd:
            found.append(f"{entry.name}: {cmd!r}")
    return found


def _listing(state_dir: Path) -> dict[str, list[str]]:
    """Everything of the lab still on the machine, listed independently of matops.lab."""
    links = json.loads(_output("ip", "-j", "link"))
    namespaces = json.loads(_output("ip", "-j", "netns", "list") or "[]")
    mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    return {
        "links": [i["ifname"] for i in links if i["ifname"].startswith(("mtl", "vb-mtl"))],
        "netns": [n["name"] for n in namespaces if n["name"].startswith("mtl")],
        "mounts": [m for m in mounts if str(state_dir) in m or "matops-lab" in m],
        "processes": _lab_processes(state_dir),
        "nft": [t for t in _output("nft", "list", "tables").splitlines() if "matops_lab" in t],
        "cgroups": [str(p) for p in Path("/sys/fs/cgroup").glob("**/mtl-*") if p.is_dir()],
    }


def _assert_clean(state_dir: Path) -> None:
    kinds = ("links", "netns", "mounts", "processes", "nft", "cgroups")
    assert _listing(state_dir) == {k: [] for k in kinds}
    assert lab_leftovers(state_dir) == []


def test_lab_down_removes_everything_and_is_idempotent(lab: Lab) -> None:
    """Brings the lab back up at the end so that later tests still have one."""
    lab.require_own()
    try:
        lifecycle.lab_down(lab.state_dir)
        _assert_clean(lab.state_dir)
        lifecycle.lab_down(lab.state_dir)  # a second teardown is fine
        assert lifecycle.lab_status(lab.state_dir) == []
        # After a crash lab.json may be missing: the sweep by prefix and marker still works.
        lab.up()
        (lab.state_dir / "lab.json").unlink()
        lifecycle.lab_down(lab.state_dir)
        _assert_clean(lab.state_dir)
    finally:
        lab.up()
