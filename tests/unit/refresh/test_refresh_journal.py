"""The journal: lines written and read back, a cut-short last line, replay to what is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.refresh.journal import (
    JournalError,
    JournalWriter,
    finished_counts,
    read_events,
    replay,
)
from matops.refresh.model import EventKind, RunParams, StepKey, StepName

PUSH1 = StepKey(school="stm", device="stm-sw01", step=StepName.NETWORK_PUSH)
PUSH2 = StepKey(school="stm", device="stm-sw02", step=StepName.NETWORK_PUSH)
SCAN = StepKey(school="stm", step=StepName.PRE_SCAN)


def _fields(key: StepKey) -> dict[str, object]:
    return {"school": key.school, "device": key.device, "step": key.step, "wave": 1}


def _journal(path: Path) -> JournalWriter:
    writer = JournalWriter(path, "run1")
    writer.write(EventKind.RUN_STARTED, params=RunParams(trust_dir=Path("/t"), schools=["stm"]))
    return writer


def test_events_round_trip_one_json_line_each(tmp_path: Path) -> None:
    path = tmp_path / "j" / "journal.jsonl"
    seen: list[EventKind] = []
    writer = JournalWriter(path, "run1", [lambda e: seen.append(e.event)])
    writer.write(EventKind.RUN_STARTED, params=RunParams(trust_dir=Path("/t")))
    writer.write(EventKind.STEP_FINISHED, **_fields(PUSH1), summary="applied: 3 commands")
    writer.close()
    lines = path.read_text().splitlines()
    assert len(lines) == 2
    events = read_events(path)
    assert [e.event for e in events] == seen == [EventKind.RUN_STARTED, EventKind.STEP_FINISHED]
    assert events[1].key == PUSH1
    assert events[1].summary == "applied: 3 commands"
    assert events[0].params is not None and events[0].params.trust_dir == Path("/t")


def test_a_cut_short_last_line_is_ignored_but_not_one_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    writer = _journal(path)
    writer.write(EventKind.STEP_FINISHED, **_fields(SCAN))
    writer.close()
    whole = path.read_text()
    path.write_text(whole + '{"time": "2026-07-2')
    assert len(read_events(path)) == 2
    path.write_text('{"broken\n' + whole)
    with pytest.raises(JournalError, match=":1: not a journal event"):
        read_events(path)


def test_replay_counts_only_finished_steps_as_done(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    writer = _journal(path)
    for key in (SCAN, PUSH1, PUSH2):
        writer.write(EventKind.STEP_STARTED, **_fields(key))
    writer.write(EventKind.STEP_FINISHED, **_fields(SCAN))
    writer.write(EventKind.STEP_FAILED, **_fields(PUSH1), unreachable=True)
    writer.write(EventKind.RUN_INTERRUPTED)
    writer.close()
    state = replay(read_events(path))
    assert state.finished == {SCAN}
    assert state.failed == {PUSH1}
    assert state.unfinished == {PUSH2}
    assert state.interrupted
    assert not state.complete
    assert state.remaining([SCAN, PUSH1, PUSH2]) == [PUSH1, PUSH2]
    assert state.params.schools == ["stm"]


def test_a_failed_step_finished_on_resume_is_done(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    writer = _journal(path)
    writer.write(EventKind.STEP_FAILED, **_fields(PUSH1))
    writer.write(EventKind.RUN_RESUMED)
    writer.write(EventKind.STEP_FINISHED, **_fields(PUSH1))
    writer.write(EventKind.RUN_FINISHED, data={"status": "done"})
    writer.close()
    events = read_events(path)
    state = replay(events)
    assert state.finished == {PUSH1}
    assert not state.failed
    assert state.complete
    assert finished_counts(events)[PUSH1] == 1


def test_a_journal_must_start_with_its_run(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    writer = JournalWriter(path, "run1")
    writer.write(EventKind.STEP_STARTED, **_fields(SCAN))
    writer.close()
    with pytest.raises(JournalError, match="not a refresh journal"):
        replay(read_events(path))
    with pytest.raises(JournalError, match="cannot read"):
        read_events(tmp_path / "missing.jsonl")
