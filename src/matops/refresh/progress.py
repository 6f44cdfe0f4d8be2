"""Show a run's progress: a live rich table on a terminal, plain lines otherwise (CI, logs).

Both are journal listeners: they see exactly the events the journal records.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import TracebackType

from rich.console import Console
from rich.live import Live
from rich.table import Table

from matops.refresh.model import Event, EventKind

_DONE = {
    EventKind.STEP_FINISHED: "finished",
    EventKind.STEP_FAILED: "failed",
    EventKind.STEP_SKIPPED: "skipped",
}


@dataclass
class SchoolProgress:
    """Counts and the current step of one school."""

    wave: int
    current: str = ""
    finished: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass
class ProgressModel:
    """What the display shows, folded from events (pure, tested with data)."""

    started: float = field(default_factory=time.monotonic)
    schools: dict[str, SchoolProgress] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, event: Event) -> None:
        """Fold one event in."""
        if event.school is not None and event.wave is not None:
            school = self.schools.setdefault(event.school, SchoolProgress(event.wave))
            where = f"{event.device} {event.step}" if event.device else str(event.step)
            if event.event is EventKind.STEP_STARTED:
                school.current = where
            elif event.event in _DONE:
                school.current = f"{where}: {_DONE[event.event]}"
                name = _DONE[event.event]
                setattr(school, name, getattr(school, name) + 1)
        elif event.event in {EventKind.WAVE_HALTED, EventKind.RUN_INTERRUPTED}:
            self.notes.append(f"{event.event.value}: {event.summary}")

    def table(self) -> Table:
        """Per wave and school: the current step, counts, elapsed time."""
        elapsed = time.monotonic() - self.started
        table = Table(title=f"Refresh — {elapsed:.0f}s", caption="\n".join(self.notes) or None)
        for column in ("wave", "school", "step", "finished", "failed", "skipped"):
            table.add_column(column)
        for name, school in sorted(self.schools.items(), key=lambda i: (i[1].wave, i[0])):
            table.add_row(
                str(school.wave), name, school.current, str(school.finished),
                f"[red]{school.failed}[/]" if school.failed else "0", str(school.skipped),
            )  # fmt: skip
        return table


def plain_line(event: Event, elapsed: float) -> str:
    """One line per event, for logs.

    >>> from datetime import datetime, UTC
    >>> e = Event(time=datetime.now(UTC), event=EventKind.STEP_STARTED, run="r", school="stm",
    ...           device="stm-sw01", step="network-push", wave=1)
    >>> plain_line(e, 3.25)
    '[   3.2s] wave 1 stm stm-sw01 network-push: step_started'
    """
    parts = [f"[{elapsed:6.1f}s]"]
    if event.wave is not None:
        parts.append(f"wave {event.wave}")
    parts += [p for p in (event.school, event.device, event.step) if p]
    text = " ".join(str(p) for p in parts) + f": {event.event.value}"
    return text + (f" — {event.summary}" if event.summary else "")


class Display:
    """A journal listener that shows progress; use as a context manager."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.model = ProgressModel()
        self.live = console.is_terminal
        self._live: Live | None = None

    def __enter__(self) -> Display:
        if self.live:
            self._live = Live(self.model.table(), console=self.console, refresh_per_second=4)
            self._live.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._live is not None:
            self._live.update(self.model.table())
            self._live.__exit__(kind, exc, tb)

    def __call__(self, event: Event) -> None:
        self.model.add(event)
        if self._live is not None:
            self._live.update(self.model.table())
        else:
            elapsed = time.monotonic() - self.model.started
            self.console.print(plain_line(event, elapsed), markup=False, highlight=False)
