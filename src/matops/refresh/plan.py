"""Build a refresh plan: per school and device, what will change and whether it is ready.

Network changes come from the network module's diff (the device's running config, or with
``offline`` its saved backup, against the rendered baseline). Host changes come from
:func:`host_changes_dry_run`: the deploy's check mode (``matops.deploy``), not run offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

from matops.connect.profile import ConnectionProfile
from matops.deploy.runner import DeployError, DeployRequest, available_roles
from matops.deploy.runner import run as deploy_run
from matops.inventory.model import Target, Trust
from matops.network.backup import backup_path
from matops.network.diff import compute_diff
from matops.network.push import DeviceJob
from matops.network.redact import redact_line
from matops.network.safety import check_change
from matops.refresh import preflight
from matops.refresh.capture import reachable, read_configs
from matops.refresh.endpoint_plan import plan_view
from matops.refresh.model import CheckStatus, DevicePlan, Plan, Preflight, SchoolPlan
from matops.refresh.work import select_schools

HostChanges = dict[str, tuple[list[str], str]]
"""Linux host → (changes a deploy would make, note)."""


def host_changes_dry_run(
    trust_dir: Path, hosts: list[str], profile: ConnectionProfile
) -> HostChanges:
    """Hook: the changes a deploy would make on ``hosts``, from its check mode (``--check``).

    One check-mode run of every role per school; nothing is changed on the hosts.
    """
    if not hosts:
        return {}
    request = DeployRequest(trust_dir, hosts, available_roles(), check=True, profile=profile)
    try:
        outcome = deploy_run(request, printer=lambda line: None)
    except DeployError as exc:
        return {h: ([], f"deploy dry run could not start: {exc}") for h in hosts}
    changes: HostChanges = {}
    for host in hosts:
        result = outcome.results.get(host)
        if result is None or result.is_failed:
            errors = "; ".join(result.errors) if result else "no result"
            changes[host] = ([], f"deploy dry run failed: {errors}")
        else:
            changes[host] = (list(result.changes), "from the deploy's check mode")
    return changes


def _network_changes(job: DeviceJob, running: str) -> tuple[list[str], list[Preflight]]:
    platform = job.target.platform
    diff = compute_diff(platform, running, job.intended, keep_users=[job.settings.username])
    commands = diff.commands()
    lines = [redact_line(line) for command in commands for line in command.split("\n")]
    verdict = check_change(platform, running, commands, job.access)
    if verdict.ok:
        return lines, []
    return lines, [Preflight(name="safety lint", status=CheckStatus.FAIL,
                             detail="; ".join(verdict.reasons))]  # fmt: skip


def switch_plan(
    trust_dir: Path, target: Target, job: DeviceJob | None, error: str, offline: bool
) -> DevicePlan:
    """One switch: changes and pre-flight (connecting unless ``offline``)."""
    base = {"name": target.name, "kind": target.kind, "platform": target.platform,
            "address": str(target.address)}  # fmt: skip
    if job is None:
        check = Preflight(name="prepare", status=CheckStatus.FAIL, detail=error)
        return DevicePlan(**base, preflight=[check])
    checks = [preflight.judge_backup(trust_dir, target, preflight.now())]
    if offline:
        saved = backup_path(trust_dir, target.school, target.name)
        if not saved.is_file():
            return DevicePlan(**base, changes_note="offline: no saved config", preflight=checks)
        changes, lint = _network_changes(job, saved.read_text())
        note = f"offline: against the backup {saved}"
        return DevicePlan(**base, changes=changes, changes_note=note, preflight=checks + lint)
    up = reachable(job.settings.host, job.settings.port)
    checks.insert(0, preflight.judge_reachable("reachable", up, job.settings.host))
    if not up:
        return DevicePlan(**base, changes_note="unreachable", preflight=checks)
    try:
        configs = read_configs(job)
    except Exception as exc:  # a device that cannot be read is a blocker, not a crash
        checks.append(Preflight(name="read config", status=CheckStatus.FAIL, detail=str(exc)))
        return DevicePlan(**base, preflight=checks)
    changes, lint = _network_changes(job, configs.running)
    checks += [preflight.judge_saved(configs), *lint]
    return DevicePlan(**base, changes=changes, changes_note="against the running config",
                      preflight=checks)  # fmt: skip


def linux_plan(
    target: Target, profile: ConnectionProfile, offline: bool, dry_run: tuple[list[str], str]
) -> DevicePlan:
    """One Linux host: the deploy dry run's changes and pre-flight (SSH unless ``offline``)."""
    changes, note = dry_run
    checks: list[Preflight] = []
    if offline:
        checks.append(Preflight(name="preflight", status=CheckStatus.SKIPPED, detail="offline"))
    elif not reachable(str(target.address), target.vars.ansible_port or 22):
        checks.append(preflight.judge_reachable("reachable", False, str(target.address)))
    else:
        checks.append(preflight.judge_reachable("reachable", True, str(target.address)))
        checks += preflight.linux_preflight(target, profile)
    return DevicePlan(
        name=target.name, kind=target.kind, platform=target.platform,
        address=str(target.address), changes=changes, changes_note=note, preflight=checks,
    )  # fmt: skip


def build_plan(
    trust_dir: Path,
    trust: Trust,
    schools: list[str],
    waves: list[int],
    jobs: Mapping[str, DeviceJob],
    errors: Mapping[str, str],
    profile: ConnectionProfile,
    *,
    offline: bool = False,
    deploy_check: bool = True,
) -> Plan:
    """The plan for the selected schools (read-only: nothing is changed anywhere).

    Offline, nothing is contacted: no pre-flight, network lines against saved backups, and no
    deploy dry run.
    """
    planned: list[SchoolPlan] = []
    for school in select_schools(trust, schools, waves):
        linux = [t.name for t in school.targets if t.kind == "linux"]
        dry_run = deploy_check and not offline
        host_changes = host_changes_dry_run(trust_dir, linux, profile) if dry_run else {}
        devices: list[DevicePlan] = []
        for target in school.targets:
            if target.kind == "switch":
                error = errors.get(target.name, "not prepared")
                devices.append(
                    switch_plan(trust_dir, target, jobs.get(target.name), error, offline)
                )
            elif target.kind == "linux":
                found = host_changes.get(target.name, ([], NO_HOST_DRY_RUN))
                devices.append(linux_plan(target, profile, offline, found))
        planned.append(SchoolPlan(id=school.id, name=school.info.name, wave=school.info.wave,
                                  devices=devices,
                                  endpoints=plan_view(trust_dir, trust, school.id)))  # fmt: skip
    return Plan(trust=trust.settings.id, trust_dir=trust_dir.absolute(),
                created=datetime.now(UTC), offline=offline, schools=planned)  # fmt: skip


NO_HOST_DRY_RUN = "host changes not computed: the deploy dry run was not run (offline or asked)"

_STYLE = {CheckStatus.OK: "green", CheckStatus.WARN: "yellow", CheckStatus.FAIL: "red",
          CheckStatus.SKIPPED: "dim"}  # fmt: skip


def plan_table(plan: Plan) -> Table:
    """The plan as a table: one row per device."""
    table = Table(title=f"Refresh plan: {plan.trust}" + (" (offline)" if plan.offline else ""))
    for column in ("wave", "school", "device", "changes", "pre-flight", "blockers"):
        table.add_column(column, overflow="fold")
    for school in sorted(plan.schools, key=lambda s: s.wave):
        for device in school.devices:
            changes = f"{len(device.changes)} lines" if device.changes else "none"
            if device.changes_note:
                changes += f" ({device.changes_note})"
            checks = ", ".join(
                f"[{_STYLE[p.status]}]{p.name}: {p.status.value}[/]" for p in device.preflight
            )
            blockers = "; ".join(device.blockers) or "-"
            table.add_row(str(school.wave), school.id, device.name, changes, checks, blockers)
        if school.endpoints is not None:
            ep = school.endpoints
            what = f"{ep.replaced} replaced, {ep.new} new ({ep.path})"
            problems = "; ".join(ep.problems) or "-"
            table.add_row(str(school.wave), school.id, "endpoints", what, "-", problems)
    return table


def write_plan(plan: Plan, path: Path) -> None:
    """Save a plan as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan.model_dump_json(indent=2) + "\n", encoding="utf-8")


def read_plan(path: Path) -> Plan:
    """Load a saved plan (pydantic validation errors propagate)."""
    return Plan.model_validate_json(path.read_text(encoding="utf-8"))
