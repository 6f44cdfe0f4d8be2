"""The refresh's data: step keys, journal events, run parameters and the plan (pydantic).

A *step* is one unit of a rollout, named by (school, device, step name); school-level steps
(scans, deploy, report) have no device. Every model here is frozen and serialised as JSON.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepName(StrEnum):
    """The steps of a school's refresh, in the order they run."""

    PRE_SCAN = "pre-scan"
    NETWORK_BACKUP = "network-backup"
    NETWORK_PUSH = "network-push"
    HOST_DEPLOY = "host-deploy"
    POST_SCAN = "post-scan"
    ENDPOINTS = "endpoints"
    REPORT = "report"


STEP_ORDER: tuple[StepName, ...] = tuple(StepName)
DEVICE_STEPS = frozenset({StepName.NETWORK_BACKUP, StepName.NETWORK_PUSH})
"""Steps that run once per switch; the others run once per school."""


class StepKey(_Frozen):
    """Which step: ``device`` is None for school-level steps.

    >>> str(StepKey(school="stm", device="stm-sw01", step=StepName.NETWORK_PUSH))
    'stm/stm-sw01/network-push'
    """

    school: str
    device: str | None = None
    step: StepName

    def __str__(self) -> str:
        return f"{self.school}/{self.device or '-'}/{self.step.value}"


class EventKind(StrEnum):
    """What a journal line records."""

    RUN_STARTED = "run_started"
    RUN_RESUMED = "run_resumed"
    WAVE_STARTED = "wave_started"
    WAVE_HALTED = "wave_halted"
    WAVE_FINISHED = "wave_finished"
    STEP_STARTED = "step_started"
    STEP_FINISHED = "step_finished"
    STEP_FAILED = "step_failed"
    STEP_SKIPPED = "step_skipped"
    RUN_INTERRUPTED = "run_interrupted"
    RUN_FINISHED = "run_finished"


STEP_EVENTS = frozenset(
    {EventKind.STEP_STARTED, EventKind.STEP_FINISHED, EventKind.STEP_FAILED, EventKind.STEP_SKIPPED}
)


ScanMode = Literal["live", "offline"]


class RunParams(_Frozen):
    """Everything needed to (re)build a run's work list; kept in the ``run_started`` event.

    No secret is kept: the vault password file is named, never read into the journal.
    """

    trust_dir: Path
    schools: list[str] = Field(default_factory=list)
    waves: list[int] = Field(default_factory=list)
    steps: list[StepName] = Field(default_factory=lambda: list(STEP_ORDER))
    dry_run: bool = False
    concurrency: int = Field(default=2, ge=1, le=64)
    stop_after_failures: int = Field(default=2, ge=0)
    vault_password_file: Path | None = None
    plan: Path | None = None
    scan_mode: ScanMode = "live"
    """``live``: scans connect to every target (read-only); ``offline``: the switches' configs
    are read into the run folder and judged offline (no Linux host is contacted)."""
    ssh_config: Path | None = None
    """ssh_config for Linux hosts (scans, deploy); default: the lab's when the run is in the lab."""
    lab_dir: Path | None = None
    """The lab's state folder when the run was given ``--lab``; None for a real trust."""


class Event(_Frozen):
    """One journal line."""

    time: datetime
    event: EventKind
    run: str
    school: str | None = None
    device: str | None = None
    step: StepName | None = None
    wave: int | None = None
    summary: str = ""
    unreachable: bool = False
    data: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    params: RunParams | None = None

    @property
    def key(self) -> StepKey | None:
        """The step this event is about, if any."""
        if self.step is None or self.school is None:
            return None
        return StepKey(school=self.school, device=self.device, step=self.step)


class CheckStatus(StrEnum):
    """A pre-flight result."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"


class Preflight(_Frozen):
    """One pre-flight check of one device."""

    name: str
    status: CheckStatus
    detail: str = ""


class DevicePlan(_Frozen):
    """What will happen to one device, and whether it is ready."""

    name: str
    kind: str
    platform: str
    address: str
    changes: list[str] = Field(default_factory=list)
    changes_note: str = ""
    preflight: list[Preflight] = Field(default_factory=list)

    @property
    def blockers(self) -> list[str]:
        """Pre-flight failures: each one stops the device from being changed."""
        return [f"{p.name}: {p.detail}" for p in self.preflight if p.status is CheckStatus.FAIL]


class EndpointPlanView(_Frozen):
    """The school's endpoint refresh plan as ``refresh plan`` shows it (read, not judged)."""

    path: str
    replaced: int
    new: int
    problems: list[str] = Field(default_factory=list)
    """``path:line: message``: each one a blocker."""


class SchoolPlan(_Frozen):
    """One school of the plan."""

    id: str
    name: str
    wave: int
    devices: list[DevicePlan]
    endpoints: EndpointPlanView | None = None
    """The school's endpoint refresh plan, when it has one."""

    @property
    def blockers(self) -> list[str]:
        """Every device's blockers, prefixed with the device name; endpoint plan problems."""
        found = [f"{d.name}: {b}" for d in self.devices for b in d.blockers]
        if self.endpoints is not None:
            found += [f"endpoint plan: {p}" for p in self.endpoints.problems]
        return found


class Plan(_Frozen):
    """A refresh plan: saved as JSON, shown as a table, and accepted by ``refresh run``."""

    trust: str
    trust_dir: Path
    created: datetime
    offline: bool
    schools: list[SchoolPlan]

    @property
    def blockers(self) -> list[str]:
        """Every blocker in the plan as ``school: device: check: detail``."""
        return [f"{s.id}: {b}" for s in self.schools for b in s.blockers]
