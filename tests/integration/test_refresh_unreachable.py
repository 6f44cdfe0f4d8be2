"""A device that cannot be reached during a rollout: recorded, its school and wave continue
within the stop rule, and the wave halts when the rule is exceeded.

The trust copy gains a small school in wave 1 whose only switch has an address in the spare lab
range with nothing behind it (198.18.98.12). St Mary's (stm-sw01, stm-sw02) is in the same wave;
its switches are pushed to the baseline (left converged) or, when the wave halts, not touched.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from matops.refresh.journal import read_events
from matops.refresh.model import EventKind
from tests.integration.refresh_support import STEPS, refresh_argv, refresh_env
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
