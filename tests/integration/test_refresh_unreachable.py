"""A device that cannot be reached during a rollout: recorded, its school and wave continue
within the stop rule, and the wave halts when the rule is exceeded.

The trust copy gains a small school in wave 1 whose only switch has an address in the spare lab
range with nothing behind it (198.18.98.12). St Mary's (stm-sw01, stm-sw02) is in the same wave;
its switches are pushed to the baseline (left converged) or, when the wave halts, not touched.
A third test starts two extra switches (198.18.98.13 and .14), stops one in the middle of the
rollout, and stops the other at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from ipaddress import IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from matops.lab import netns
from matops.lab.lifecycle import start_extra_switch
from matops.lab.model import LabTarget
from matops.lab.record import read_record
from matops.lab.switches import switch_files
from matops.refresh.capture import reachable
from matops.refresh.journal import read_events
from matops.refresh.model import Event, EventKind, StepName
from tests.integration.refresh_support import STEPS, events_when, refresh_argv, refresh_env
from tests.network.conftest import make_vaulted_trust

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

DEAD = "198.18.98.12"
EXTRA_SCHOOL = """\
---
extra_primary:
  vars:
    school:
      id: extra-primary
      name: Extra Primary (test school, lab spare range)
      urn: 990198
      phase: primary
      wave: 1
      sites:
        - {id: main, name: Extra Primary, postcode: ZZ9 9ZZ}
      network:
        management: {vlan: 10, subnet: 198.18.98.0/24, gateway: 198.18.98.1}
        vlans:
          - {id: 10, name: MANAGEMENT, purpose: management, subnet: 198.18.98.0/24}
          - {id: 20, name: STAFF, purpose: staff, subnet: 10.98.20.0/24}
          - {id: 999, name: PARKING, purpose: parking}
  children:
    extra_primary_switches:
      hosts:
        ext-sw01:
          ansible_host: DEAD_ADDRESS
          platform: cisco_ios
          model: C1000-24P-4G-L
          ports:
            - {name: GigabitEthernet1/0/1-24, role: staff}
switches:
  children:
    extra_primary_switches:
""".replace("DEAD_ADDRESS", DEAD)


def _run(lab: Lab, tmp_path: Path, limit: int) -> tuple[subprocess.CompletedProcess[str], Path]:
    root, vault = make_vaulted_trust(tmp_path)
    (root / "schools" / "extra-primary.yml").write_text(EXTRA_SCHOOL)
    journal = tmp_path / "run" / "journal.jsonl"
    argv = refresh_argv(
        "run", str(root), "--school", "extra-primary", "--school", "st-marys-ce-primary",
        "--steps", STEPS, "--concurrency", "1", "--stop-after-failures", str(limit),
        "--vault-password-file", str(vault), "--journal", str(journal),
    )  # fmt: skip
    done = subprocess.run(argv, env=refresh_env(lab.state_dir), cwd=tmp_path, text=True,
                          capture_output=True, timeout=600, check=False)  # fmt: skip
    return done, journal


def _last(journal: Path) -> dict[str, tuple[str, bool]]:
    return {
        str(e.key): (e.event.value, e.unreachable)
        for e in read_events(journal)
        if e.key and e.event is not EventKind.STEP_STARTED
    }


def test_unreachable_switch_is_recorded_and_the_rest_continues(lab: Lab, tmp_path: Path) -> None:
    done, journal = _run(lab, tmp_path, limit=1)
    assert done.returncode == 1, done.stdout + done.stderr
    last = _last(journal)
    assert last["extra-primary/ext-sw01/network-backup"] == ("step_failed", True)
    assert last["extra-primary/ext-sw01/network-push"][0] == "step_skipped"
    assert last["extra-primary/-/post-scan"][0] == "step_finished"
    for step in ("stm-sw01/network-push", "stm-sw02/network-push", "-/post-scan"):
        assert last[f"st-marys-ce-primary/{step}"][0] == "step_finished", step
    summary = json.loads((journal.parent / "summary.json").read_text())
    assert summary["status"] == "failed"
    assert summary["schools"]["extra-primary"]["unreachable"] == ["ext-sw01"]
    assert "unreachable: ext-sw01" in done.stdout
    record = (journal.parent / "signoff" / "extra-primary" / "refresh.md").read_text()
    assert "ext-sw01 network-backup: ext-sw01: unreachable at 198.18.98.12 (unreachable)" in record


def test_the_stop_rule_halts_the_wave(lab: Lab, tmp_path: Path) -> None:
    done, journal = _run(lab, tmp_path, limit=0)
    assert done.returncode == 1, done.stdout + done.stderr
    events = read_events(journal)
    assert [e.wave for e in events if e.event is EventKind.WAVE_HALTED] == [1]
    last = _last(journal)
    assert last["extra-primary/ext-sw01/network-backup"] == ("step_failed", True)
    stm = {k: v for k, v in last.items() if k.startswith("st-marys-ce-primary/")}
    assert stm and {v[0] for v in stm.values()} == {"step_skipped"}
    assert not any(e.event is EventKind.STEP_STARTED and e.school == "st-marys-ce-primary"
                   for e in events)  # fmt: skip
    summary = json.loads((journal.parent / "summary.json").read_text())
    assert summary["status"] == "halted" and summary["halted_waves"] == [1]
    assert "halted by the stop rule" in done.stdout


MID_SCHOOL = """\
---
mid_primary:
  vars:
    school:
      id: mid-primary
      name: Mid Primary (test school, lab spare range)
      urn: 990197
      phase: primary
      wave: 1
      sites:
        - {id: main, name: Mid Primary, postcode: ZZ9 9ZY}
      network:
        management: {vlan: 10, subnet: 198.18.98.0/24, gateway: 198.18.98.1}
        vlans:
          - {id: 10, name: MANAGEMENT, purpose: management, subnet: 198.18.98.0/24}
          - {id: 20, name: STAFF, purpose: staff, subnet: 10.98.20.0/24}
          - {id: 999, name: PARKING, purpose: parking}
  children:
    mid_primary_switches:
      hosts:
        mid-sw01:
          ansible_host: 198.18.98.13
          platform: cisco_ios
          model: C1000-24P-4G-L
          ports:
            - {name: GigabitEthernet1/0/1-24, role: staff}
        mid-sw02:
          ansible_host: 198.18.98.14
          platform: cisco_ios
          model: C1000-24P-4G-L
          ports:
            - {name: GigabitEthernet1/0/1-24, role: staff}
switches:
  children:
    mid_primary_switches:
"""
MID = [("mid-sw01", "198.18.98.13"), ("mid-sw02", "198.18.98.14")]


def _stop_extra(lab: Lab, name: str, *, forget: bool = True) -> None:
    """Stop an extra switch this test started; with ``forget`` also remove its namespace, veth
    and lab record entry, so that the test can run again on the same lab."""
    record = read_record(lab.state_dir)
    entries = {e["name"]: e for e in record.data["targets"]} if record else {}
    entry = entries.get(name, {})
    if entry.get("pid"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(entry["pid"]), signal.SIGTERM)
    deadline = time.monotonic() + 30
    while reachable(dict(MID)[name], timeout=1) and time.monotonic() < deadline:
        time.sleep(0.2)
    if forget and record is not None and entry:
        netns.delete_netns(entry["netns"])
        netns.delete_link(entry["veth"])
        record.remove_target(name)
        record.save()
    if forget:  # its saved config too: the next start is from factory defaults
        shutil.rmtree(switch_files(lab.state_dir, name).directory, ignore_errors=True)


def test_a_switch_lost_mid_rollout_is_recorded_and_its_school_goes_on(
    lab: Lab, tmp_path: Path
) -> None:
    for name, _ in MID:  # left over from an interrupted earlier run on a shared lab
        _stop_extra(lab, name)
    for name, address in MID:
        target = LabTarget(name, "switch", "cisco_ios", IPv4Address(address), "mid-primary",
                           "C1000-24P-4G-L")  # fmt: skip
        start_extra_switch(target, lab.state_dir, switch_argv=lab.switch_argv)
    try:
        root, vault = make_vaulted_trust(tmp_path)
        (root / "schools" / "mid-primary.yml").write_text(MID_SCHOOL)
        journal = tmp_path / "run" / "journal.jsonl"
        argv = refresh_argv(
            "run", str(root), "--school", "mid-primary", "--steps", STEPS,
            "--vault-password-file", str(vault), "--journal", str(journal),
        )  # fmt: skip
        proc = subprocess.Popen(argv, env=refresh_env(lab.state_dir), cwd=tmp_path, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            # while mid-sw01 is being pushed (seconds), mid-sw02 (already backed up) goes away
            events_when(journal, _push_started("mid-sw01"), proc)
            _stop_extra(lab, "mid-sw02", forget=False)
            output, _ = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
    finally:
        for name, _ in MID:
            _stop_extra(lab, name)
    assert proc.returncode == 1, output
    last = _last(journal)
    assert last["mid-primary/mid-sw02/network-backup"] == ("step_finished", False)
    assert last["mid-primary/mid-sw02/network-push"] == ("step_failed", True)
    assert last["mid-primary/mid-sw01/network-push"] == ("step_finished", False)
    assert last["mid-primary/-/post-scan"][0] == "step_finished"
    assert last["mid-primary/-/report"][0] == "step_finished"
    record = (journal.parent / "signoff" / "mid-primary" / "refresh.md").read_text()
    assert "mid-sw02 network-push: mid-sw02: unreachable at 198.18.98.14 (unreachable)" in record
    assert "**mid-sw01**: applied" in record


def _push_started(device: str) -> Callable[[list[Event]], bool]:
    def started(events: list[Event]) -> bool:
        return any(
            e.event is EventKind.STEP_STARTED and e.device == device
            and e.step is StepName.NETWORK_PUSH for e in events
        )  # fmt: skip

    return started
