"""The refresh's steps: an explicit registry of name → function, each a thin call into the code
that already does the work (network jobs, the scan session). A step never raises: it returns a
:class:`StepOutcome`, and a failure says why.

Host deploy calls :func:`matops.deploy.runner.run`; the report step builds the sign-off pack
through :mod:`matops.report` (:mod:`matops.refresh.signoff`).
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from matops.connect.profile import ConnectionProfile, build_profile
from matops.deploy.runner import DeployRequest, available_roles
from matops.deploy.runner import run as deploy_run
from matops.inventory.model import Trust
from matops.network.jobs import backup_device
from matops.network.push import DeviceJob, PushOptions, push_device
from matops.refresh.capture import capture, reachable, scan_configs
from matops.refresh.endpoint_plan import plan_path
from matops.refresh.endpoint_step import check_school, live_provider, record_path, write_record
from matops.refresh.model import ScanMode, StepKey, StepName
from matops.refresh.signoff import changes_path, deploy_path, pack_dir, run_steps, write_pack
from matops.scan.catalogue import Catalogue, Check
from matops.scan.live import LiveOptions
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
    failed_devices: tuple[str, ...] = ()
    """Devices a school-level step (the host deploy) failed on; they count for the stop rule."""


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
    scan_mode: ScanMode = "live"
    profile: ConnectionProfile | None = None
    """How steps reach the targets (built by the command layer); None: a trust profile."""
    journal: Path | None = None

    @property
    def connection(self) -> ConnectionProfile:
        """The run's connection profile."""
        return self.profile or build_profile(self.trust_dir)

    @property
    def vault_password_file(self) -> Path | None:
        """The vault password file the profile names."""
        return self.connection.secrets.vault_password_file


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
    record = changes_path(ctx.run_dir, key.school, job.target.name)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(list(result.commands), indent=1) + "\n", encoding="utf-8")
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


def _capture_school(ctx: StepContext, key: StepKey) -> tuple[Path, list[str]]:
    """Offline scans: read the school's switch configs into the run folder; the unread ones."""
    configs = scan_configs(ctx.run_dir, key.step.value)
    unread: list[str] = []
    for target in (t for t in ctx.trust.school(key.school).targets if t.kind == "switch"):
        job = ctx.jobs.get(target.name)
        try:
            if job is None:
                raise ValueError(ctx.job_errors.get(target.name, "not prepared"))
            capture(job, configs)
        except Exception as exc:  # one switch's failure must not stop the scan
            unread.append(f"{target.name} ({type(exc).__name__})")
    return configs, unread


def scan_request(ctx: StepContext, key: StepKey, scan: ScanSetup) -> tuple[ScanRequest, list[str]]:
    """The one place that chooses how a refresh scan sees the targets (live or offline)."""
    request = ScanRequest(
        root=ctx.trust_dir, trust=ctx.trust, catalogue=scan.catalogue, checks=scan.checks,
        selection=Selection(frozenset({key.school})), operator=_operator(),
        vault_password_file=ctx.vault_password_file,
    )  # fmt: skip
    if ctx.scan_mode == "live":
        return replace(request, live=LiveOptions(ctx.connection)), []
    configs, unread = _capture_school(ctx, key)
    return replace(request, configs=configs), unread


def scan_school(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Judge the school (live, or on configs read now) and save the results.

    Unreachable targets show as such in the results; the step itself still finishes.
    """
    if ctx.scan is None:
        return StepOutcome(False, "scan setup missing (catalogue not loaded)")
    request, unread = scan_request(ctx, key, ctx.scan)
    results = run_scan(request, ctx.scan.records)
    path = scan_results_path(ctx.run_dir, key.school, key.step)
    write_results(results, path)
    counts = {s.value: sum(1 for f in results.findings if f.status is s) for s in Status}
    shown = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    summary = f"{shown}; results {path}" + (f"; not read: {', '.join(unread)}" if unread else "")
    return StepOutcome(True, summary, data={**counts, "results": str(path), "mode": request.mode})


def scan_results_path(run_dir: Path, school: str, step: StepName) -> Path:
    """Where a scan step writes its results.

    >>> scan_results_path(Path("run"), "stm", StepName.PRE_SCAN)
    PosixPath('run/scans/stm/pre-scan.json')
    """
    return run_dir / "scans" / school / f"{step.value}.json"


def host_deploy(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Apply the Linux roles to the school's hosts (``--check`` in a dry run) via matops.deploy.

    Convergent: the roles change only what differs, so doing it again after an interruption is
    safe. The engine's output goes to ``<run>/logs/<school>-deploy.log``.
    """
    hosts = [t.name for t in ctx.trust.school(key.school).targets if t.kind == "linux"]
    if not hosts:
        return StepOutcome(True, "no Linux hosts in this school")
    request = DeployRequest(ctx.trust_dir, hosts, available_roles(), check=ctx.dry_run,
                            profile=ctx.connection)  # fmt: skip
    log = ctx.run_dir / "logs" / f"{key.school}-deploy.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        outcome = deploy_run(request, printer=lambda line: print(line, file=handle))
    results = [asdict(r) for r in outcome.results.values()]
    path = deploy_path(ctx.run_dir, key.school)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    failed = tuple(r.host for r in outcome.results.values() if r.is_failed)
    changed = sum(r.changed for r in outcome.results.values())
    summary = f"{len(hosts)} host(s), {changed} change(s)" + (
        " (check mode)" if ctx.dry_run else ""
    )
    if failed:
        summary += f"; failed: {', '.join(failed)}"
    unreachable = any(r.unreachable for r in outcome.results.values())
    return StepOutcome(not failed and outcome.returncode == 0, summary, unreachable,
                       {"changed": changed, "log": str(log)}, failed)  # fmt: skip


def signoff(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Write the school's sign-off pack (needs the post-scan when the run has one; the
    pre-scan when it ran). A run without a post-scan step gets the refresh record alone."""
    post: Path | None = scan_results_path(ctx.run_dir, key.school, StepName.POST_SCAN)
    missing = StepOutcome(False, "no post-scan results for this school: run the post-scan step")
    if ctx.journal is None:
        return missing
    if post is not None and not post.is_file():
        if StepName.POST_SCAN in run_steps(ctx.journal):
            return missing
        post = None  # a run without scans (e.g. endpoints, report): the refresh record only
    pre = scan_results_path(ctx.run_dir, key.school, StepName.PRE_SCAN)
    info = ctx.trust.school(key.school).info
    school = {"id": info.id, "name": info.name, "wave": info.wave}
    files = write_pack(ctx.run_dir, ctx.journal, school, pre, post, trust=ctx.trust.settings.id)
    folder = pack_dir(ctx.run_dir, key.school)
    return StepOutcome(True, f"sign-off pack {folder} ({len(files)} files)",
                       data={"pack": str(folder)})  # fmt: skip


def endpoints(ctx: StepContext, key: StepKey) -> StepOutcome:
    """Judge the school's endpoint refresh plan against its devices and the register.

    Read-only: the devices come from the scan's tenant facts through the run's profile. Like
    a scan step, it finishes when it could judge (devices still outstanding are in its summary,
    its record and the sign-off pack); it fails when the plan has problems.
    """
    path = plan_path(ctx.trust_dir, key.school)
    if not path.is_file():
        return StepOutcome(True, f"no endpoint refresh plan ({path})")
    provider = live_provider(ctx.connection, ctx.trust_dir, ctx.trust)
    try:
        report = check_school(ctx.trust_dir, ctx.trust, key.school, provider)
    finally:
        provider.close()
    if report is None:
        return StepOutcome(True, f"no endpoint refresh plan ({path})")
    record = record_path(ctx.run_dir, key.school)
    write_record(report, record)
    data: dict[str, str | int] = {
        "devices": len(report.devices), "outstanding": len(report.outstanding),
        "problems": len(report.problems), "record": str(record),
    }  # fmt: skip
    return StepOutcome(not report.problems, f"{report.summary()}; record {record}", data=data)


STEPS: dict[StepName, StepFunction] = {
    StepName.PRE_SCAN: scan_school,
    StepName.NETWORK_BACKUP: network_backup,
    StepName.NETWORK_PUSH: network_push,
    StepName.HOST_DEPLOY: host_deploy,
    StepName.POST_SCAN: scan_school,
    StepName.ENDPOINTS: endpoints,
    StepName.REPORT: signoff,
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
