"""Run a refresh: waves in order, schools of a wave concurrently, steps of a school in order.

Rules, in the order they are applied before each step:

* a step the journal shows finished is not done again (resume);
* after an interruption (Ctrl-C) no new step starts; running steps finish and are recorded;
* when the wave's stop rule is exceeded (more than N devices failed) no new step starts in the
  wave and no later wave starts; the steps left are recorded as skipped;
* when a school's pre-scan failed, nothing is changed in that school (no "before", no change);
* when a device failed a step, its later steps are skipped; the rest of the school continues.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from matops.connect.profile import ConnectionProfile
from matops.inventory.model import Trust
from matops.network.jobs import prepare_jobs, run_variables
from matops.refresh.journal import JournalWriter, Replay, read_events, replay
from matops.refresh.model import EventKind, RunParams, StepKey, StepName
from matops.refresh.steps import ScanSetup, StepContext, StepOutcome, run_step
from matops.refresh.work import SchoolWork, StopRule, WaveWork, build_waves, select_schools
from matops.scan.catalogue import load_catalogue
from matops.scan.session import ScanRequest, load_records

SCAN_STEPS = frozenset({StepName.PRE_SCAN, StepName.POST_SCAN})
READ_ONLY_AFTER_A_FAILED_PRE_SCAN = frozenset({StepName.POST_SCAN, StepName.ENDPOINTS})
"""Steps that still run when the school's pre-scan failed: they only read."""


class RunStatus(StrEnum):
    """How a run (or a resumed run) ended."""

    DONE = "done"
    FAILED = "failed"
    HALTED = "halted"
    INTERRUPTED = "interrupted"


def prepare_context(
    params: RunParams, trust: Trust, journal: Path, profile: ConnectionProfile
) -> StepContext:
    """Prepare every selected switch's job and, when scans are asked for, the scan setup.

    ``profile`` (built by the command layer) says how every step reaches its targets.
    """
    run_dir = journal.parent
    schools = select_schools(trust, params.schools, params.waves)
    targets = [t for s in schools for t in s.targets if t.kind == "switch"]
    jobs, errors = {}, {}
    needs_network = {StepName.NETWORK_BACKUP, StepName.NETWORK_PUSH, *SCAN_STEPS}
    if targets and needs_network & set(params.steps):
        variables = run_variables(params.trust_dir, profile)
        prepared = prepare_jobs(params.trust_dir, trust, targets, variables, profile)
        jobs = {j.target.name: j for j in prepared.jobs}
        errors = {e.device: e.message for e in prepared.errors}
    scan = None
    if SCAN_STEPS & set(params.steps):
        catalogue = load_catalogue()
        checks = list(catalogue)
        request = ScanRequest(
            root=params.trust_dir, trust=trust, catalogue=catalogue, checks=checks
        )
        scan = ScanSetup(catalogue, checks, load_records(request))
    return StepContext(
        params.trust_dir, trust, run_dir, params.dry_run, jobs, errors, scan,
        scan_mode=params.scan_mode, profile=profile, journal=journal,
    )  # fmt: skip


@dataclass
class Runner:
    """Runs the waves of one journal; ``done`` are steps already finished (resume)."""

    ctx: StepContext
    params: RunParams
    waves: Sequence[WaveWork]
    writer: JournalWriter
    done: frozenset[StepKey] = frozenset()
    interrupted: threading.Event = field(default_factory=threading.Event)
    halted: bool = False
    step: Callable[[StepContext, StepKey], StepOutcome] = run_step
    """The step executor (the registry's; tests of the rules give their own)."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self) -> RunStatus:
        """Run every wave; Ctrl-C stops new steps, lets running ones finish, and is recorded."""
        for wave in self.waves:
            if self.halted or self.interrupted.is_set():
                break
            self._wave(wave)
        return self._status()

    def _wave(self, wave: WaveWork) -> None:
        self.writer.write(EventKind.WAVE_STARTED, wave=wave.number)
        rule = StopRule(self.params.stop_after_failures)
        workers = max(1, min(self.params.concurrency, len(wave.schools)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="refresh") as pool:
            futures = [pool.submit(self._school, school, rule) for school in wave.schools]
            pending = set(futures)
            while pending:
                try:
                    _, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
                except KeyboardInterrupt:
                    self._interrupt()
            for future in futures:
                future.result()  # a bug in the runner itself surfaces here
        if rule.exceeded:
            self.halted = True
        if not self.interrupted.is_set():
            self.writer.write(EventKind.WAVE_FINISHED, wave=wave.number, data={
                "failed_devices": len(rule.failed), "halted": rule.exceeded,
            })  # fmt: skip

    def _interrupt(self) -> None:
        if not self.interrupted.is_set():
            self.interrupted.set()
            self.writer.write(
                EventKind.RUN_INTERRUPTED,
                summary="interrupted: running steps finish, no new step starts",
            )

    def _school(self, school: SchoolWork, rule: StopRule) -> None:
        failed_devices: set[str] = set()
        blocked = ""
        for key in school.steps:
            if key in self.done:
                continue
            if self.interrupted.is_set():
                return
            reason = self._skip_reason(key, rule, failed_devices, blocked)
            if reason:
                self.writer.write(
                    EventKind.STEP_SKIPPED, **_fields(key, school.wave), summary=reason
                )
                continue
            if not self._step(key, school.wave, rule):
                if key.device:
                    failed_devices.add(key.device)
                elif key.step is StepName.PRE_SCAN:
                    blocked = f"the school's {key.step.value} failed: nothing is changed"

    def _skip_reason(self, key: StepKey, rule: StopRule, failed: set[str], blocked: str) -> str:
        if rule.exceeded:
            return (
                f"wave halted: {len(rule.failed)} device(s) failed, more than the limit of "
                f"{rule.limit}"
            )
        if blocked and key.step not in READ_ONLY_AFTER_A_FAILED_PRE_SCAN:
            return blocked
        if key.device in failed:
            return f"{key.device} failed an earlier step"
        return ""

    def _step(self, key: StepKey, wave: int, rule: StopRule) -> bool:
        self.writer.write(EventKind.STEP_STARTED, **_fields(key, wave))
        outcome = self.step(self.ctx, key)
        kind = EventKind.STEP_FINISHED if outcome.ok else EventKind.STEP_FAILED
        self.writer.write(
            kind, **_fields(key, wave), summary=outcome.summary,
            unreachable=outcome.unreachable, data=dict(outcome.data),
        )  # fmt: skip
        failed = [key.device] if key.device and not outcome.ok else list(outcome.failed_devices)
        if any([rule.device_failed(d) for d in failed]):
            with self._lock:
                if not self.halted:
                    self.halted = True
                    self.writer.write(
                        EventKind.WAVE_HALTED, wave=wave,
                        summary=f"{len(rule.failed)} device(s) failed (limit {rule.limit}): "
                        f"{', '.join(sorted(rule.failed))}",
                    )  # fmt: skip
        return outcome.ok

    def _status(self) -> RunStatus:
        state = replay(read_events(self.writer.path))
        left = state.remaining(key for wave in self.waves for key in wave.steps)
        if self.interrupted.is_set():
            status = RunStatus.INTERRUPTED
        elif self.halted:
            status = RunStatus.HALTED
        elif left:
            status = RunStatus.FAILED
        else:
            status = RunStatus.DONE
        self.writer.write(
            EventKind.RUN_FINISHED, summary=f"{status.value}: {len(left)} step(s) not finished",
            data={"status": status.value, "left": len(left)},
        )  # fmt: skip
        return status


def _fields(key: StepKey, wave: int) -> dict[str, object]:
    return {"school": key.school, "device": key.device, "step": key.step, "wave": wave}


def waves_for(trust: Trust, params: RunParams) -> list[WaveWork]:
    """The run's waves from its parameters."""
    return build_waves(trust, params.schools, params.waves, params.steps)


def resume_state(journal: Path) -> Replay:
    """Replay a journal to resume it."""
    return replay(read_events(journal))
