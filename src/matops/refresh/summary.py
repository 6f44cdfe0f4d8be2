"""What a run did, per school, folded from its journal: for the terminal and for reports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.table import Table

from matops.refresh.model import Event, EventKind, StepKey

_STATUS = {
    EventKind.STEP_FINISHED: "finished",
    EventKind.STEP_FAILED: "failed",
    EventKind.STEP_SKIPPED: "skipped",
}


@dataclass
class SchoolSummary:
    """One school: each step's last status, failed and unreachable devices."""

    school: str
    wave: int
    steps: dict[str, str] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    failed_devices: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many steps ended with ``status``."""
        return sum(1 for s in self.steps.values() if s == status)


@dataclass
class RunSummary:
    """The whole run."""

    run: str
    schools: dict[str, SchoolSummary] = field(default_factory=dict)
    halted_waves: list[int] = field(default_factory=list)
    status: str = "unfinished"


def summarise(events: Sequence[Event]) -> RunSummary:
    """Fold a journal's events into a summary (the last status of each step wins)."""
    summary = RunSummary(run=events[0].run if events else "")
    for event in events:
        if event.event is EventKind.WAVE_HALTED and event.wave is not None:
            summary.halted_waves.append(event.wave)
        if event.event is EventKind.RUN_FINISHED:
            summary.status = str(event.data.get("status", "unfinished"))
        key = event.key
        if key is None or event.event not in _STATUS or event.wave is None:
            continue
        school = summary.schools.setdefault(key.school, SchoolSummary(key.school, event.wave))
        _record(school, key, event)
    return summary


def _record(school: SchoolSummary, key: StepKey, event: Event) -> None:
    name = f"{key.device}/{key.step.value}" if key.device else key.step.value
    school.steps[name] = _STATUS[event.event]
    school.details[name] = event.summary
    device = key.device
    if device is None:
        return
    if event.event is EventKind.STEP_FAILED and device not in school.failed_devices:
        school.failed_devices.append(device)
    if event.unreachable and device not in school.unreachable:
        school.unreachable.append(device)
    if event.event is EventKind.STEP_FINISHED and device in school.failed_devices:
        still = [n for n, s in school.steps.items() if n.startswith(f"{device}/") and s == "failed"]
        if not still:
            school.failed_devices.remove(device)
            if device in school.unreachable:
                school.unreachable.remove(device)


def summary_table(summary: RunSummary) -> Table:
    """One row per school; failed steps listed with their reason."""
    table = Table(title=f"Refresh run {summary.run}: {summary.status}")
    for column in ("wave", "school", "finished", "failed", "skipped", "problems"):
        table.add_column(column, overflow="fold")
    for school in sorted(summary.schools.values(), key=lambda s: (s.wave, s.school)):
        problems = [
            f"{name}: {school.details[name]}"
            for name, status in school.steps.items()
            if status == "failed"
        ]
        if school.unreachable:
            problems.insert(0, f"unreachable: {', '.join(school.unreachable)}")
        table.add_row(
            str(school.wave), school.school, str(school.count("finished")),
            str(school.count("failed")), str(school.count("skipped")), "\n".join(problems) or "-",
        )  # fmt: skip
    if summary.halted_waves:
        table.caption = f"wave(s) halted by the stop rule: {summary.halted_waves}"
    return table


def write_summary(summary: RunSummary, path: Path) -> None:
    """Save the summary as JSON (for the sign-off pack)."""
    path.write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
