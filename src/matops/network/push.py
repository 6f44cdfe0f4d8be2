"""Push switch baselines: backup → diff → safety lint → send → save → verify, or roll back.

Per device, in order:

1. read the running config, refuse to go on if it is not a whole config of the device's platform
   (:mod:`matops.facts.network.validate`: nothing is diffed, saved or sent), and save a backup
   (redacted unless asked otherwise);
2. compute the remediation (hier_config); nothing to do → ``unchanged``;
3. refuse a change that would cut management access (:mod:`matops.network.safety`);
4. dry run → ``planned``; otherwise send the commands, stopping at the first refused line;
5. save, read the running config again and check that nothing remains to change;
6. on any failure in 4–5: compute the way back from the current running config to the one read
   in step 1, send it, save, and verify it too (``rolled back`` or ``rollback failed``).

Devices run in parallel (a thread each, up to a limit); every outcome is a frozen
:class:`PushResult`, and an exception never escapes a device's run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from matops.facts.network.validate import InvalidConfigError, check_config
from matops.inventory.model import Target
from matops.network.backup import write_backup
from matops.network.connect import ConnectError, ConnectionSettings, Session, connect
from matops.network.diff import compute_diff
from matops.network.redact import redact_line, redact_message
from matops.network.safety import ManagementAccess, check_change
from matops.platforms import ConfigPart


class Outcome(StrEnum):
    """What happened to one device."""

    UNCHANGED = "unchanged"
    BACKED_UP = "backed up"
    PLANNED = "planned"
    APPLIED = "applied"
    REFUSED = "refused"
    ROLLED_BACK = "rolled back"
    ROLLBACK_FAILED = "rollback failed"
    ERROR = "error"


FAILED = frozenset({Outcome.REFUSED, Outcome.ROLLED_BACK, Outcome.ROLLBACK_FAILED, Outcome.ERROR})


@dataclass(frozen=True)
class PushResult:
    """The outcome of one device's push; ``commands`` are redacted."""

    device: str
    school: str
    outcome: Outcome
    message: str = ""
    commands: tuple[str, ...] = ()
    backup: Path | None = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        # a message may quote a device's error or an exception, which may quote a config line
        object.__setattr__(self, "message", redact_message(self.message))

    @property
    def failed(self) -> bool:
        """True when the device did not end up as intended (or the push was refused)."""
        return self.outcome in FAILED


@dataclass(frozen=True)
class DeviceJob:
    """Everything needed to push one switch."""

    target: Target
    intended: str
    access: ManagementAccess
    settings: ConnectionSettings
    part: ConfigPart | None = None


@dataclass(frozen=True)
class PushOptions:
    """How to push: dry run, backups, and the session factory (tests may pass their own)."""

    trust_dir: Path
    dry_run: bool = False
    backup: bool = True
    unredacted_backup: bool = False
    connect: Callable[[ConnectionSettings], Session] = field(default=connect)


class NotConvergedError(Exception):
    """The device accepted the commands but still differs from the intended config."""


def _redacted(commands: Sequence[str]) -> tuple[str, ...]:
    return tuple("\n".join(redact_line(x) for x in c.split("\n")) for c in commands)


def push_device(job: DeviceJob, options: PushOptions) -> PushResult:
    """Push one switch's baseline and return what happened (never raises).

    >>> push_device(job, PushOptions(Path("inventories/example-trust")))  # doctest: +SKIP
    PushResult(device='oak-sw01', school='oakfield-primary', outcome=<Outcome.APPLIED: ...>, ...)
    """
    started = time.perf_counter()
    run = _Run(job, options, started)
    try:
        session = options.connect(job.settings)
    except ConnectError as exc:
        return run.result(Outcome.ERROR, str(exc))
    try:
        return run.push(session)
    except Exception as exc:  # a device's failure must never stop the others
        return run.result(Outcome.ERROR, f"{job.target.name}: {type(exc).__name__}: {exc}")
    finally:
        session.close()


@dataclass
class _Run:
    """One device's push, step by step (mutable state kept to this run)."""

    job: DeviceJob
    options: PushOptions
    started: float
    commands: tuple[str, ...] = ()
    backup: Path | None = None

    @property
    def keep_users(self) -> list[str]:
        return [self.job.settings.username]

    def result(self, outcome: Outcome, message: str = "") -> PushResult:
        return PushResult(
            device=self.job.target.name,
            school=self.job.target.school,
            outcome=outcome,
            message=message,
            commands=_redacted(self.commands),
            backup=self.backup,
            seconds=round(time.perf_counter() - self.started, 3),
        )

    def push(self, session: Session) -> PushResult:
        job, platform = self.job, self.job.target.platform
        before = session.running_config()
        try:
            check_config(platform, before, f"the running config read from {job.target.name}")
        except InvalidConfigError as exc:
            return self.result(Outcome.ERROR, f"refusing to diff or push: {exc}")
        if self.options.backup:
            self.backup = write_backup(
                self.options.trust_dir, job.target.school, job.target.name, before,
                unredacted=self.options.unredacted_backup, platform=platform,
            ).path  # fmt: skip
        diff = compute_diff(
            platform, before, job.intended, keep_users=self.keep_users, part=job.part
        )
        self.commands = diff.commands()
        if diff.empty:
            return self.result(Outcome.UNCHANGED)
        verdict = check_change(
            platform, before, self.commands, job.access, only_new=job.part is not None
        )
        if not verdict.ok:
            return self.result(Outcome.REFUSED, "; ".join(verdict.reasons))
        if self.options.dry_run:
            return self.result(Outcome.PLANNED, f"{len(self.commands)} commands to send")
        try:
            self.apply(session)
        except Exception as exc:  # rejected line, lost session, no convergence: roll back
            return self.roll_back(session, before, str(exc))
        return self.result(Outcome.APPLIED, f"{len(self.commands)} commands sent and verified")

    def apply(self, session: Session) -> None:
        session.send_config(self.commands)
        session.save()
        after = session.running_config()
        platform, intended = self.job.target.platform, self.job.intended
        left = compute_diff(
            platform, after, intended, keep_users=self.keep_users, part=self.job.part
        )
        if not left.empty:
            first = redact_line(left.remediation[0].split("\n")[0].strip())
            raise NotConvergedError(
                f"{self.job.target.name}: {len(left.remediation)} commands still differ after "
                f"the push (first: {first!r})"
            )

    def roll_back(self, session: Session, before: str, error: str) -> PushResult:
        platform, users, part = self.job.target.platform, self.keep_users, self.job.part
        try:
            back = compute_diff(
                platform, session.running_config(), before, keep_users=users, part=part
            )
            if back.remediation:
                session.send_config(back.remediation)
            session.save()
            left = compute_diff(
                platform, session.running_config(), before, keep_users=users, part=part
            )
        except Exception as exc:  # the way back failed too: say so, with both errors
            message = f"{error}; rollback failed: {exc}"
            return self.result(Outcome.ROLLBACK_FAILED, message)
        if not left.empty:
            message = f"{error}; rollback left {len(left.remediation)} commands different"
            return self.result(Outcome.ROLLBACK_FAILED, message)
        message = f"{error}; rolled back to the configuration read before the push (verified)"
        return self.result(Outcome.ROLLED_BACK, message)


def push_all(
    jobs: Sequence[DeviceJob], options: PushOptions, parallel: int = 4
) -> list[PushResult]:
    """Push many switches, ``parallel`` at a time; results in the order of ``jobs``.

    >>> results = push_all(jobs, PushOptions(trust_dir), parallel=8)  # doctest: +SKIP
    >>> any(r.failed for r in results)  # doctest: +SKIP
    False
    """
    if parallel < 1:
        raise ValueError("parallel must be at least 1")
    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=min(parallel, len(jobs))) as pool:
        return list(pool.map(lambda job: push_device(job, options), jobs))
