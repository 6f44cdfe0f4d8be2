"""The refresh's steps: an explicit registry of name → function, each a thin call into the code
that already does the work (network jobs, the scan session). A step never raises: it returns a
:class:`StepOutcome`, and a failure says why.

Host deploy and the report are registered as *not available yet* until :mod:`matops.deploy` and
:mod:`matops.report` offer functions to call: a run that reaches them fails there, clearly, and
never pretends they succeeded.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from matops.inventory.model import Trust
from matops.network.jobs import backup_device
from matops.network.push import DeviceJob, PushOptions, push_device
from matops.refresh.capture import SCAN_MODE, capture, reachable, scan_configs
from matops.refresh.model import StepKey, StepName
from matops.scan.catalogue import Catalogue, Check
from matops.scan.model import Status
from matops.scan.results import write_results
from matops.scan.runner import Selection
from matops.scan.session import ScanRequest, TrustRecords, run_scan


@dataclass(frozen=True)
class StepOutcome:
    """What one step did. ``unreachable`` marks a device that could not be reached."""

    ok: bool
    summary: str
    unreachable: bool = False
    data: Mapping[str, str | int | float | bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanSetup:
    """The catalogue, checks and trust records every scan step of a run shares."""

    catalogue: Catalogue
    checks: list[Check]
    records: TrustRecords


@dataclass(frozen=True)
class StepContext:
    """What steps of one run share: the trust, prepared switch jobs, where to write."""

    trust_dir: Path
    trust: Trust
    run_dir: Path
    dry_run: bool
    jobs: Mapping[str, DeviceJob]
    job_errors: Mapping[str, str]
    scan: ScanSetup | None = None


StepFunction = Callable[[StepContext, StepKey], StepOutcome]


def _job(ctx: StepContext, key: StepKey) -> DeviceJob | StepOutcome:
    """The device's prepared job, or a failed outcome saying why there is none."""
    device = key.device or ""
    job = ctx.jobs.get(device)
    if job is not None and not reachable(job.settings.host, job.settings.port):
        return StepOutcome(False, f"{device}: unreachable at {job.settings.host}", True)
    if job is None:
        target = next((t for t in ctx.trust.targets("switch") if t.name == device), None)
        if target is not None and not reachable(str(target.address)):
            return StepOutcome(False, f"{device}: unreachable at {target.address}", True)
        return StepOutcome(False, ctx.job_errors.get(device, f"{device}: not prepared"))
    return job


def network_backup(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Save the switch's running config to ``<trust>/backups`` (redacted)."""
    job = _job(ctx, key)
    if isinstance(job, StepOutcome):
        return job
    result = backup_device(job, PushOptions(ctx.trust_dir))
    if result.failed:
        return StepOutcome(False, result.message)
    return StepOutcome(True, f"backed up to {result.backup}", data={"backup": str(result.backup)})


def network_push(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Push the baseline (backup, diff, lint, send, save, verify, roll back on failure).

    Convergent: pushing again after an interruption sends only what is still different.
    """
    job = _job(ctx, key)
    if isinstance(job, StepOutcome):
        return job
    result = push_device(job, PushOptions(ctx.trust_dir, dry_run=ctx.dry_run))
    summary = f"{result.outcome.value}: {len(result.commands)} commands"
    if result.message:
        summary += f" ({result.message})"
    data = {"outcome": result.outcome.value, "commands": len(result.commands)}
    return StepOutcome(not result.failed, summary, data=data)


def _operator() -> str:
    try:
        return os.environ.get("MATOPS_OPERATOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def scan_school(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Read the school's switch configs, judge the school and save the results.

    Unreachable switches are listed; their checks show as not assessed in the results.
    """
    if ctx.scan is None:
        return StepOutcome(False, "scan setup missing (catalogue not loaded)")
    configs = scan_configs(ctx.run_dir, key.step.value)
    school = ctx.trust.school(key.school)
    unread: list[str] = []
    for target in (t for t in school.targets if t.kind == "switch"):
        job = ctx.jobs.get(target.name)
        try:
            if job is None:
                raise ValueError(ctx.job_errors.get(target.name, "not prepared"))
            capture(job, configs)
        except Exception as exc:  # one switch's failure must not stop the scan
            unread.append(f"{target.name} ({type(exc).__name__})")
    request = ScanRequest(
        root=ctx.trust_dir, trust=ctx.trust, catalogue=ctx.scan.catalogue,
        checks=ctx.scan.checks, selection=Selection(frozenset({key.school})),
        configs=configs, operator=_operator(),
    )  # fmt: skip
    results = run_scan(request, ctx.scan.records)
    path = scan_results_path(ctx.run_dir, key.school, key.step)
    write_results(results, path)
    counts = {s.value: sum(1 for f in results.findings if f.status is s) for s in Status}
    shown = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    summary = f"{shown}; results {path}" + (f"; not read: {', '.join(unread)}" if unread else "")
    return StepOutcome(True, summary, data={**counts, "results": str(path), "mode": SCAN_MODE})


def scan_results_path(run_dir: Path, school: str, step: StepName) -> Path:
    """Where a scan step writes its results.

    >>> scan_results_path(Path("run"), "stm", StepName.PRE_SCAN)
    PosixPath('run/scans/stm/pre-scan.json')
    """
    return run_dir / "scans" / school / f"{step.value}.json"


def not_available(what: str, module: str) -> StepFunction:
    """A step whose code does not exist yet: it fails, saying so, and changes nothing."""

    def step(ctx: StepContext, key: StepKey) -> StepOutcome:
        return StepOutcome(
            False, f"{what} is not available yet ({module} offers no function to call); "
            "nothing was done",
        )  # fmt: skip

    return step


STEPS: dict[StepName, StepFunction] = {
    StepName.PRE_SCAN: scan_school,
    StepName.NETWORK_BACKUP: network_backup,
    StepName.NETWORK_PUSH: network_push,
    StepName.HOST_DEPLOY: not_available("host deploy", "matops.deploy"),
    StepName.POST_SCAN: scan_school,
    StepName.REPORT: not_available("the sign-off pack", "matops.report"),
}
"""Every step by name; the runner looks steps up here and nowhere else."""


def step_function(name: StepName) -> StepFunction:
    """The registered function for ``name``; KeyError listing the valid names otherwise."""
    try:
        return STEPS[name]
    except KeyError:
        raise KeyError(f"no step {name!r}; steps: {', '.join(s.value for s in STEPS)}") from None


def run_step(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Run one step; an exception becomes a failed outcome, never a crashed run."""
    try:
        return step_function(key.step)(ctx, key)
    except Exception as exc:  # a step's bug must not stop the rollout
        return StepOutcome(False, f"{type(exc).__name__}: {exc}")
