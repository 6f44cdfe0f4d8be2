"""Prepare per-switch jobs from a trust: intended config, management access, connection.

Used by the CLI and the Ansible module alike. A switch that cannot be prepared (a secret that
does not resolve, no credentials) becomes an ``error`` result rather than stopping the others.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from matops.connect.profile import ConnectionProfile
from matops.inventory.ansible_vars import AnsibleVariables, VariableError
from matops.inventory.loader import load_trust
from matops.inventory.model import Target, Trust, management_interface
from matops.network.backup import write_backup
from matops.network.connect import ConnectError, connection_settings
from matops.network.context import RenderError
from matops.network.push import DeviceJob, Outcome, PushOptions, PushResult, push_device
from matops.network.render import render_target, switch_targets
from matops.network.safety import ManagementAccess
from matops.platforms import UnknownPartError, UnknownPlatformError, network_platform


@dataclass(frozen=True)
class Prepared:
    """Jobs ready to run, and the switches that could not be prepared."""

    jobs: list[DeviceJob] = field(default_factory=list)
    errors: list[PushResult] = field(default_factory=list)
    order: tuple[str, ...] = ()


def management_access(trust: Trust, target: Target, username: str | None) -> ManagementAccess:
    """How operators reach ``target``: its school's management VLAN, its address and subnet.

    >>> management_access(trust, trust.targets("switch")[0], "admin").vlan  # doctest: +SKIP
    10
    """
    school = trust.school(target.school).info
    address = management_interface(school, target)
    return ManagementAccess(school.network.management.vlan, address.ip, address.network, username)


def prepare_jobs(
    trust_dir: Path,
    trust: Trust,
    targets: Sequence[Target],
    variables: AnsibleVariables,
    profile: ConnectionProfile,
    part: str | None = None,
) -> Prepared:
    """Render each target's baseline (or one ``part`` of it) and find how to reach it.

    ``variables`` must have been built with the profile's secrets (see :func:`run_variables`).

    >>> prepared = prepare_jobs(root, trust, switch_targets(trust), variables, profile)
    ... # doctest: +SKIP
    """
    prepared = Prepared(order=tuple(t.name for t in targets))
    for target in targets:
        try:
            hostvars = variables.rendered(target.name)
            intended = render_target(trust, target, hostvars, part)
            scope = network_platform(target.platform).part(part) if part else None
            settings = connection_settings(profile, trust_dir, target, hostvars)
        except (
            RenderError, ConnectError, VariableError, UnknownPlatformError, UnknownPartError
        ) as exc:  # fmt: skip
            error = PushResult(target.name, target.school, Outcome.ERROR, str(exc))
            prepared.errors.append(error)
            continue
        access = management_access(trust, target, settings.username)
        prepared.jobs.append(DeviceJob(target, intended, access, settings, scope))
    return prepared


def backup_device(job: DeviceJob, options: PushOptions) -> PushResult:
    """Read one switch's running config and save it (redacted unless asked); never raises."""
    started = time.perf_counter()
    target = job.target
    try:
        session = options.connect(job.settings)
        try:
            running = session.running_config()
        finally:
            session.close()
        saved = write_backup(
            options.trust_dir, target.school, target.name, running,
            unredacted=options.unredacted_backup, platform=target.platform,
        )  # fmt: skip
    except Exception as exc:  # one switch's failure must not stop the others
        return PushResult(target.name, target.school, Outcome.ERROR, f"{target.name}: {exc}")
    seconds = round(time.perf_counter() - started, 3)
    note = "" if saved.redacted else "unredacted (mode 0600)"
    return PushResult(target.name, target.school, Outcome.BACKED_UP, note, (), saved.path, seconds)


def backup_all(jobs: Sequence[DeviceJob], options: PushOptions, parallel: int) -> list[PushResult]:
    """Back up many switches, ``parallel`` at a time, in the order of ``jobs``."""
    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(jobs)))) as pool:
        return list(pool.map(lambda job: backup_device(job, options), jobs))


def run_variables(trust_dir: Path, profile: ConnectionProfile) -> AnsibleVariables:
    """The run's variable resolver: the vault, plus the lab's made-up secrets in the lab only."""
    secrets = profile.secrets
    return AnsibleVariables(trust_dir, secrets.vault_password_file, secrets.lab_secrets_file)


def push_one(
    trust_dir: Path,
    device: str,
    options: PushOptions,
    profile: ConnectionProfile,
    *,
    address: tuple[str, int] | None = None,
) -> PushResult:
    """Load the trust, prepare one switch and push it (the Ansible module's entry point).

    ``address`` connects somewhere else than the inventory's ``ansible_host`` (a port forward).

    >>> push_one(Path("inventories/example-trust"), "oak-sw01", PushOptions(root, dry_run=True),
    ...          build_profile(root))  # doctest: +SKIP
    """
    trust = load_trust(trust_dir)
    targets = switch_targets(trust, device=device)
    prepared = prepare_jobs(trust_dir, trust, targets, run_variables(trust_dir, profile), profile)
    if prepared.errors:
        return prepared.errors[0]
    job = prepared.jobs[0]
    if address is not None:
        settings = replace(job.settings, host=address[0], port=address[1])
        job = replace(job, settings=settings)
    return push_device(job, options)
