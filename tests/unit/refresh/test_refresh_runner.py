"""The runner's rules with scripted step outcomes (no devices): failures, the stop rule, resume.

The step executor is given as data: a map from step to outcome. Everything else is the real
runner writing a real journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matops.inventory import load_trust
from matops.refresh.journal import JournalWriter, finished_counts, read_events, replay
from matops.refresh.model import STEP_ORDER, EventKind, RunParams, StepKey, StepName
from matops.refresh.runner import Runner, RunStatus
from matops.refresh.steps import StepContext, StepOutcome
from matops.refresh.summary import summarise, summary_table
from matops.refresh.work import build_waves
from tests.conftest import EXAMPLE_TRUST

TRUST = load_trust(EXAMPLE_TRUST)
STEPS = [StepName.PRE_SCAN, StepName.NETWORK_BACKUP, StepName.NETWORK_PUSH, StepName.POST_SCAN]


def _run(
    tmp_path: Path, outcomes: Mapping[str, StepOutcome], *, limit: int = 2,
    done: frozenset[StepKey] = frozenset(), schools: list[str] | None = None,
    steps: list[StepName] = STEPS,
) -> tuple[RunStatus, Path]:  # fmt: skip
    params = RunParams(trust_dir=EXAMPLE_TRUST, schools=schools or [], steps=steps,
                       concurrency=1, stop_after_failures=limit)  # fmt: skip
    ctx = StepContext(EXAMPLE_TRUST, TRUST, tmp_path, False, {}, {})
    journal = tmp_path / "journal.jsonl"
    writer = JournalWriter(journal, "r")
    if not done:
        writer.write(EventKind.RUN_STARTED, params=params)

    def step(ctx: StepContext, key: StepKey) -> StepOutcome:
        return outcomes.get(str(key), StepOutcome(True, "ok"))

    waves = build_waves(TRUST, params.schools, [], params.steps)
    status = Runner(ctx, params, waves, writer, done, step=step).run()
    writer.close()
    return status, journal


def _statuses(journal: Path) -> dict[str, str]:
    return {
        str(e.key): e.event.value
        for e in read_events(journal)
        if e.key and e.event is not EventKind.STEP_STARTED
    }


def test_every_step_once_in_order_when_all_goes_well(tmp_path: Path) -> None:
    status, journal = _run(tmp_path, {})
    events = read_events(journal)
    assert status is RunStatus.DONE
    counts = finished_counts(events)
    all_steps = [k for w in build_waves(TRUST, [], [], STEPS) for k in w.steps]
    assert set(counts) == set(all_steps)
    assert set(counts.values()) == {1}
    waves = [e.wave for e in events if e.event is EventKind.WAVE_STARTED]
    assert waves == [1, 2]


def test_an_unreachable_device_is_recorded_and_its_school_continues(tmp_path: Path) -> None:
    down = StepOutcome(False, "stm-sw01: unreachable at 198.18.30.2", unreachable=True)
    status, journal = _run(tmp_path, {"st-marys-ce-primary/stm-sw01/network-backup": down})
    statuses = _statuses(journal)
    assert status is RunStatus.FAILED
    assert statuses["st-marys-ce-primary/stm-sw01/network-backup"] == "step_failed"
    assert statuses["st-marys-ce-primary/stm-sw01/network-push"] == "step_skipped"
    assert statuses["st-marys-ce-primary/stm-sw02/network-push"] == "step_finished"
    assert statuses["st-marys-ce-primary/-/post-scan"] == "step_finished"
    assert statuses["riverside-academy/-/post-scan"] == "step_finished"  # wave 2 still ran
    summary = summarise(read_events(journal))
    assert summary.schools["st-marys-ce-primary"].unreachable == ["stm-sw01"]
    assert summary.status == "failed"
    assert summary_table(summary).row_count == 3


def test_more_failed_devices_than_the_limit_halt_the_wave_and_the_run(tmp_path: Path) -> None:
    down = StepOutcome(False, "unreachable", unreachable=True)
    outcomes = {"oakfield-primary/oak-sw01/network-backup": down,
                "oakfield-primary/oak-sw02/network-backup": down}  # fmt: skip
    status, journal = _run(tmp_path, outcomes, limit=1)
    statuses = _statuses(journal)
    events = read_events(journal)
    assert status is RunStatus.HALTED
    assert [e.wave for e in events if e.event is EventKind.WAVE_HALTED] == [1]
    assert statuses["oakfield-primary/oak-sw01/network-push"] == "step_skipped"
    assert statuses["st-marys-ce-primary/-/pre-scan"] == "step_skipped"
    assert not any(k.startswith("riverside-academy") for k in statuses)  # wave 2 never started
    halted = [e for e in events if e.summary.startswith("wave halted")]
    assert halted and "more than the limit of 1" in halted[0].summary


def test_one_failed_device_within_the_limit_does_not_halt(tmp_path: Path) -> None:
    down = StepOutcome(False, "unreachable", unreachable=True)
    status, journal = _run(tmp_path, {"oakfield-primary/oak-sw01/network-backup": down}, limit=1)
    assert status is RunStatus.FAILED
    assert _statuses(journal)["st-marys-ce-primary/-/post-scan"] == "step_finished"


def test_a_failed_pre_scan_changes_nothing_in_its_school(tmp_path: Path) -> None:
    outcomes = {"st-marys-ce-primary/-/pre-scan": StepOutcome(False, "catalogue broken")}
    _, journal = _run(tmp_path, outcomes, schools=["st-marys-ce-primary"])
    statuses = _statuses(journal)
    assert statuses["st-marys-ce-primary/stm-sw01/network-push"] == "step_skipped"
    assert statuses["st-marys-ce-primary/-/post-scan"] == "step_finished"


def test_after_a_failed_pre_scan_the_endpoint_check_still_runs_it_only_reads(
    tmp_path: Path,
) -> None:
    outcomes = {"riverside-academy/-/pre-scan": StepOutcome(False, "catalogue broken")}
    steps = [*STEPS, StepName.ENDPOINTS]
    _, journal = _run(tmp_path, outcomes, schools=["riverside-academy"], steps=steps)
    statuses = _statuses(journal)
    assert statuses["riverside-academy/riv-sw01/network-push"] == "step_skipped"
    assert statuses["riverside-academy/-/endpoints"] == "step_finished"


def test_resume_does_only_what_is_not_finished(tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    outcomes = {"st-marys-ce-primary/stm-sw02/network-push": StepOutcome(False, "lost session")}
    _, journal = _run(first, outcomes, schools=["st-marys-ce-primary"])
    done = frozenset(replay(read_events(journal)).finished)
    _, journal = _run(first, {}, done=done, schools=["st-marys-ce-primary"])
    events = read_events(journal)
    counts = finished_counts(events)
    assert set(counts.values()) == {1}
    assert len(counts) == 6
    push2 = [e for e in events if e.event is EventKind.STEP_STARTED and e.device == "stm-sw02"
             and e.step is StepName.NETWORK_PUSH]  # fmt: skip
    assert len(push2) == 2
    assert replay(events).complete
    assert STEP_ORDER[0] is StepName.PRE_SCAN
