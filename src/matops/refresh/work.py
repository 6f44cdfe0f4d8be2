"""The work of a run, as data: waves of schools, each school's steps in order, the stop rule."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from matops.inventory.model import School, Trust
from matops.refresh.model import DEVICE_STEPS, STEP_ORDER, StepKey, StepName


class SelectionError(ValueError):
    """The run selects no school, or one that is not in the trust."""


@dataclass(frozen=True)
class SchoolWork:
    """One school's steps, in the order they run."""

    school: str
    wave: int
    steps: tuple[StepKey, ...]


@dataclass(frozen=True)
class WaveWork:
    """One wave: schools run concurrently, up to the run's limit."""

    number: int
    schools: tuple[SchoolWork, ...]

    @property
    def steps(self) -> list[StepKey]:
        """Every step of the wave."""
        return [key for school in self.schools for key in school.steps]


def school_steps(school: School, steps: Sequence[StepName]) -> tuple[StepKey, ...]:
    """A school's steps: every switch is backed up before any is pushed.

    >>> [str(k) for k in school_steps(trust.school("stm"), [StepName.NETWORK_PUSH])]
    ... # doctest: +SKIP
    ['stm/stm-sw01/network-push', 'stm/stm-sw02/network-push']
    """
    switches = [t.name for t in school.targets if t.kind == "switch"]
    keys: list[StepKey] = []
    for step in STEP_ORDER:
        if step not in steps:
            continue
        if step in DEVICE_STEPS:
            keys += [StepKey(school=school.id, device=name, step=step) for name in switches]
        else:
            keys.append(StepKey(school=school.id, step=step))
    return tuple(keys)


def select_schools(trust: Trust, schools: Sequence[str], waves: Sequence[int]) -> list[School]:
    """The schools a run covers, in inventory order: named, of the named waves, or all."""
    known = {s.id for s in trust.schools}
    unknown = [name for name in schools if name not in known]
    if unknown:
        raise SelectionError(
            f"no school {', '.join(unknown)} in trust {trust.settings.id}; "
            f"schools: {', '.join(sorted(known))}"
        )
    chosen = [
        s
        for s in trust.schools
        if (not schools or s.id in schools) and (not waves or s.info.wave in waves)
    ]
    if not chosen:
        raise SelectionError("the selection covers no school")
    return chosen


def build_waves(
    trust: Trust, schools: Sequence[str], waves: Sequence[int], steps: Sequence[StepName]
) -> list[WaveWork]:
    """The run's waves in ascending order, each with its schools in inventory order."""
    by_wave: dict[int, list[SchoolWork]] = {}
    for school in select_schools(trust, schools, waves):
        work = SchoolWork(school.id, school.info.wave, school_steps(school, steps))
        by_wave.setdefault(school.info.wave, []).append(work)
    return [WaveWork(n, tuple(by_wave[n])) for n in sorted(by_wave)]


@dataclass
class StopRule:
    """Halt the wave when more than ``limit`` devices have failed (thread-safe).

    >>> rule = StopRule(limit=1)
    >>> rule.device_failed("a"), rule.device_failed("a"), rule.device_failed("b")
    (False, False, True)
    """

    limit: int
    failed: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def device_failed(self, device: str) -> bool:
        """Count a failed device (once); True when the wave must now halt."""
        with self._lock:
            self.failed.add(device)
            return len(self.failed) > self.limit

    @property
    def exceeded(self) -> bool:
        """Whether more than ``limit`` devices have failed."""
        with self._lock:
            return len(self.failed) > self.limit
