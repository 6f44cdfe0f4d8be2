"""A refresh interrupted at a chosen step (SIGINT, then SIGKILL) and resumed does every step
exactly once and leaves the switches as an uninterrupted run does.

Runs ``matops refresh run`` as a process on St Mary's switches (stm-sw01, stm-sw02) with the
network steps and the scans, watches the journal until the chosen step starts, sends the
signal, then ``matops refresh resume``. The switches start from their factory configuration and
are left converged (the end state of the run).
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from matops.inventory import load_trust
from matops.refresh.journal import finished_counts, read_events
from matops.refresh.model import STEP_ORDER, EventKind, StepName
from matops.refresh.work import build_waves
from tests.conftest import EXAMPLE_TRUST
from tests.integration.refresh_support import (
    STEPS,
    events_when,
    factory_reset,
    refresh_argv,
    refresh_env,
    running_config,
)
from tests.network.conftest import make_vaulted_trust

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

SCHOOL = "st-marys-ce-primary"
SWITCHES = ["stm-sw01", "stm-sw02"]
CHOSEN = ("stm-sw01", StepName.NETWORK_PUSH)
"""Interrupt when this step has started: a push half-sent is the hardest case to resume."""


def _start(lab: Lab, directory: Path) -> tuple[subprocess.Popen[str], Path, list[str]]:
    directory.mkdir()
    root, vault = make_vaulted_trust(directory)
    journal = directory / "run" / "journal.jsonl"
    argv = refresh_argv(
        "run", str(root), "--school", SCHOOL, "--steps", STEPS, "--concurrency", "1",
        "--vault-password-file", str(vault), "--journal", str(journal),
    )  # fmt: skip
    proc = subprocess.Popen(
        argv, env=refresh_env(lab.state_dir), cwd=directory, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return proc, journal, argv


def _configs(lab: Lab) -> dict[str, str]:
    return {name: running_config(lab.state_dir, name) for name in SWITCHES}


def _uninterrupted(lab: Lab, tmp_path: Path) -> dict[str, str]:
    factory_reset(lab.state_dir, SWITCHES)
    proc, journal, _ = _start(lab, tmp_path / "whole")
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, output
    counts = finished_counts(read_events(journal))
    assert set(counts.values()) == {1}
    _check_pack(journal.parent / "signoff" / SCHOOL)
    return _configs(lab)


def _check_pack(pack: Path) -> None:
    """The sign-off pack: report, PDF and refresh record, all in the manifest; before → after."""
    listed = {
        line.split("  ", 1)[1] for line in (pack / "MANIFEST.sha256").read_text().splitlines()
    }
    assert {"index.html", f"pdf/{SCHOOL}.pdf", "refresh.md", "refresh.json"} <= listed
    record = json.loads((pack / "refresh.json").read_text())
    before, after = record["compliance"].values()
    assert after["fail"] < before["fail"]
    assert [n["device"] for n in record["network"]] == SWITCHES
    assert all(n["commands"] for n in record["network"])
    text = (pack / "refresh.md").read_text()
    assert "stm-sw01**: applied" in text and "before (pre-scan)" in text


def _chosen_started(events: list) -> bool:  # type: ignore[type-arg]
    return any(e.event is EventKind.STEP_STARTED and (e.device, e.step) == CHOSEN for e in events)


@pytest.fixture(scope="module")
def expected(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The switches' running configs after an uninterrupted run."""
    return _uninterrupted(lab, tmp_path_factory.mktemp("refresh-whole"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_interrupted_run_resumes_every_step_exactly_once(
    lab: Lab, tmp_path: Path, expected: dict[str, str], sig: signal.Signals
) -> None:
    factory_reset(lab.state_dir, SWITCHES)
    proc, journal, _ = _start(lab, tmp_path / "cut")
    try:
        events_when(journal, _chosen_started, proc)
        proc.send_signal(sig)
        output, _ = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    if sig is signal.SIGINT:
        assert proc.returncode == 130, output
        assert "matops refresh resume" in output
    else:
        assert proc.returncode == -signal.SIGKILL
    cut = read_events(journal)
    assert not any(e.event is EventKind.RUN_FINISHED for e in cut[-1:] if sig is signal.SIGKILL)
    assert any(e.event is EventKind.STEP_STARTED and e.step is StepName.NETWORK_PUSH for e in cut)

    resumed = subprocess.run(
        refresh_argv("resume", str(journal)), env=refresh_env(lab.state_dir), cwd=tmp_path,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr

    events = read_events(journal)
    steps = [str(k) for w in build_waves(load_trust(EXAMPLE_TRUST), [SCHOOL], [],
             [s for s in STEP_ORDER if s.value in STEPS]) for k in w.steps]  # fmt: skip
    counts = finished_counts(events)
    assert sorted(str(k) for k in counts) == sorted(steps)
    assert set(counts.values()) == {1}, counts
    assert [e.event for e in events].count(EventKind.RUN_RESUMED) == 1
    assert _configs(lab) == expected
