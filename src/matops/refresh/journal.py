"""The run journal: JSON lines, one event per line, flushed and fsynced as each is written.

Replaying a journal tells what is left: a step counts as done only when a ``step_finished``
line for it exists. A step that started but never finished (Ctrl-C, a lost connection, a killed
process) is done again on resume; steps are written so that doing one again is safe. A final
line cut short by a killed process is ignored.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from matops.refresh.model import Event, EventKind, RunParams, StepKey

Listener = Callable[[Event], None]


class JournalError(Exception):
    """A journal that cannot be used (missing, unreadable, not a refresh journal)."""


def new_run_id() -> str:
    """A short random run id."""
    return uuid.uuid4().hex[:12]


class JournalWriter:
    """Appends events to a journal file; safe to use from several threads."""

    def __init__(self, path: Path, run: str, listeners: Sequence[Listener] = ()) -> None:
        self.path = path
        self.run = run
        self._listeners = list(listeners)
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: IO[str] = path.open("a", encoding="utf-8")

    def write(self, kind: EventKind, **fields: Any) -> Event:
        """Record one event (flushed and fsynced before returning) and tell the listeners.

        >>> writer.write(EventKind.STEP_STARTED, school="stm", step="pre-scan")  # doctest: +SKIP
        """
        event = Event(time=datetime.now(UTC), event=kind, run=self.run, **fields)
        line = event.model_dump_json(exclude_defaults=True) + "\n"
        with self._lock:
            self._handle.write(line)
            self._handle.flush()
            os.fsync(self._handle.fileno())
            for listener in self._listeners:
                listener(event)
        return event

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._handle.close()


def read_events(path: Path) -> list[Event]:
    """Every complete event of a journal; a cut-short last line is ignored.

    Raises JournalError for a missing file or a bad line anywhere but at the end.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise JournalError(f"cannot read journal {path}: {exc.strerror}") from exc
    events: list[Event] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(Event.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            if number == len(lines):  # written halfway when the process was killed
                break
            raise JournalError(f"{path}:{number}: not a journal event ({exc})") from exc
    return events


@dataclass
class Replay:
    """What a journal says happened."""

    params: RunParams
    run: str
    finished: set[StepKey] = field(default_factory=set)
    started: Counter[StepKey] = field(default_factory=Counter)
    failed: set[StepKey] = field(default_factory=set)
    interrupted: bool = False
    complete: bool = False

    @property
    def unfinished(self) -> set[StepKey]:
        """Steps started but never finished or failed (cut off by an interruption)."""
        return {k for k in self.started if k not in self.finished and k not in self.failed}

    def remaining(self, work: Iterable[StepKey]) -> list[StepKey]:
        """The steps of ``work`` still to do, in order: all but the finished ones."""
        return [key for key in work if key not in self.finished]


def replay(events: Sequence[Event]) -> Replay:
    """Fold events into a :class:`Replay`.

    >>> replay(read_events(Path("refresh/journal.jsonl"))).finished  # doctest: +SKIP
    """
    if not events or events[0].event is not EventKind.RUN_STARTED or events[0].params is None:
        raise JournalError("not a refresh journal: the first line is not a run_started event")
    state = Replay(params=events[0].params, run=events[0].run)
    for event in events:
        key = event.key
        if event.event is EventKind.RUN_RESUMED:
            state.interrupted = False
        elif event.event is EventKind.RUN_INTERRUPTED:
            state.interrupted = True
        elif event.event is EventKind.RUN_FINISHED:
            state.complete = event.data.get("status") == "done"
        if key is None:
            continue
        if event.event is EventKind.STEP_STARTED:
            state.started[key] += 1
        elif event.event is EventKind.STEP_FINISHED:
            state.finished.add(key)
            state.failed.discard(key)
        elif event.event is EventKind.STEP_FAILED:
            state.failed.add(key)
    return state


def finished_counts(events: Sequence[Event]) -> Counter[StepKey]:
    """How many times each step finished (a correct journal: once each)."""
    return Counter(e.key for e in events if e.event is EventKind.STEP_FINISHED and e.key)
