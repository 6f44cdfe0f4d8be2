"""``matops scan``: judge a trust against the check catalogue and write a results document."""

from __future__ import annotations

import getpass
import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from matops.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    TrustArg,
    console,
    err_console,
    fail,
    load_trust_or_exit,
    print_problems,
)
from matops.commands.connection import (
    LabDirOption,
    LabOption,
    SshConfigOption,
    VaultOption,
    connection_profile,
)
from matops.facts.model import Subject
from matops.facts.tenant.credentials import credential_variables
from matops.scan.catalogue import Catalogue, CatalogueError, Check, load_catalogue
from matops.scan.live import LiveOptions
from matops.scan.model import Finding, Severity, Skipped
from matops.scan.results import Results, write_results
from matops.scan.runner import Selection, at_or_above
from matops.scan.session import ScanConfigError, ScanRequest, run_scan

app = typer.Typer(subcommand_metavar="", context_settings={"allow_interspersed_args": True})

FAIL_ON = ["critical", "high", "medium", "low", "never"]


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _operator() -> str:
    try:
        return os.environ.get("MATOPS_OPERATOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _default_output(trust_id: str, started: datetime) -> Path:
    return Path("results") / trust_id / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"


def _problems_table(results: Results) -> Table:
    """One row per check with failing, erroring or unreachable findings, worst first."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for f in results.findings:
        if f.status.value in {"fail", "error", "unreachable"}:
            key = (f.severity.value, f.check, f.status.value)
            groups.setdefault(key, []).append(f"{f.school}/{f.target}")
    order = [s.value for s in Severity]
    table = Table(title="Problems (details in the results file)")
    for column in ("severity", "status", "check", "count", "where"):
        table.add_column(column)
    for (severity, check, status), where in sorted(
        groups.items(), key=lambda i: (order.index(i[0][0]), i[0][1])
    ):
        where = sorted(where)  # the same order every run, whichever subject finished first
        shown = ", ".join(where[:3]) + (f" …+{len(where) - 3}" if len(where) > 3 else "")
        table.add_row(severity, status, check, str(len(where)), shown)
    return table


def _print_summary(results: Results, output: Path) -> None:
    table = Table(title=f"{results.inventory.name}: scan of {results.scan.scan_date}")
    for column in ("school", "pass", "fail", "waived", "error", "unreachable", "n/a"):
        table.add_column(column)
    for school in results.scan.schools:
        own = [f for f in results.findings if f.school == school]
        counts = {
            s: sum(1 for f in own if f.status.value == s)
            for s in ("pass", "fail", "waived", "error", "unreachable", "not_applicable")
        }
        table.add_row(school, *(str(v) for v in counts.values()))
    console.print(table)
    console.print(_problems_table(results))
    for waiver in results.expired_waivers:
        err_console.print(
            f"{waiver.source}: waiver for {waiver.check} expired on {waiver.expires}",
            markup=False,
            highlight=False,
        )
    for attestation in results.expired_attestations:
        err_console.print(
            f"{attestation.source}: attestation for {attestation.control} expired on "
            f"{attestation.expires}",
            markup=False,
            highlight=False,
        )
    if results.skipped:
        console.print(
            f"{len(results.skipped)} check(s) not assessed in this mode (listed under 'skipped')",
            highlight=False,
        )
    console.print(f"results: {output}", highlight=False)


SchoolOpt = Annotated[
    list[str] | None, typer.Option("--school", help="Only this school (repeat or comma-separate).")
]
TargetOpt = Annotated[
    list[str] | None,
    typer.Option("--target", help="Only this target, asset tag or tenant (repeatable)."),
]
OfflineOpt = Annotated[
    bool,
    typer.Option("--offline", help="Judge the register and saved configs; connect to nothing."),
]
ConfigsOpt = Annotated[Path | None, typer.Option(help="Saved configs (default <trust>/backups).")]
TenantsOpt = Annotated[
    Path | None,
    typer.Option(
        "--tenants",
        help="With --offline: judge tenants from this folder of `matops tenant export`.",
    ),
]
ChecksOpt = Annotated[
    list[str] | None, typer.Option("--checks", help="Check IDs, tags or areas (comma-separated).")
]
OutputOpt = Annotated[Path | None, typer.Option(help="Results file (default results/<trust>/…).")]
FailOnOpt = Annotated[
    str, typer.Option(help="Exit 1 for findings at or above: " + "|".join(FAIL_ON))
]
DateOpt = Annotated[str | None, typer.Option(help="Judge as of this date (YYYY-MM-DD).")]
TimeoutOpt = Annotated[
    float, typer.Option(min=1, max=300, help="Seconds to wait for each target's SSH connection.")
]
ParallelOpt = Annotated[int, typer.Option(min=1, max=64, help="Targets scanned at once.")]


def _scan_date(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        fail(f"--scan-date {value!r} is not a date (YYYY-MM-DD)")


def _selected_checks(selectors: list[str]) -> tuple[Catalogue, list[Check]]:
    try:
        catalogue = load_catalogue()
        return catalogue, (catalogue.select(selectors) if selectors else list(catalogue))
    except CatalogueError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_USAGE) from exc
    except KeyError as exc:
        fail(f"{exc.args[0]}; see matops checks list")


def _request(
    trust: str | None, schools: list[str], targets: list[str], checks: list[str]
) -> ScanRequest:
    """Load the trust and catalogue and check the selection; exit 2 on any usage error."""
    root, model = load_trust_or_exit(trust)
    for name in schools:
        try:
            model.school(name)
        except KeyError as exc:
            fail(str(exc.args[0]))
    catalogue, selected = _selected_checks(checks)
    selection = Selection(frozenset(schools), frozenset(targets))
    return ScanRequest(
        root=root, trust=model, catalogue=catalogue, checks=selected, selection=selection
    )


def _live_options(
    request: ScanRequest,
    lab: bool,
    lab_dir: Path | None,
    ssh_config: Path | None,
    vault: Path | None,
    timeout: float,
) -> LiveOptions:
    """The run's connection profile for the selected targets; exit 2 on a usage error."""
    chosen = {s.name for s in request.selection.subjects(request.trust) if s.kind == "target"}
    targets = [t for t in request.trust.targets() if t.name in chosen]
    tenant_names = {s.name for s in request.selection.subjects(request.trust)}
    tenants = [t for t in request.trust.settings.tenants if t.name in tenant_names]
    profile = connection_profile(
        request.root, targets, lab=lab, lab_dir=lab_dir, ssh_config=ssh_config,
        vault_password_file=vault, tenant_variables=credential_variables(tenants),
    )  # fmt: skip
    return LiveOptions(profile, connect_timeout=timeout)


CONNECTED = ("target", "tenant")
"""Subjects a live scan connects to (shown in its progress); tenants once per school served."""


def _target_count(request: ScanRequest) -> int:
    return sum(1 for s in request.selection.subjects(request.trust) if s.kind in CONNECTED)


def _run_with_progress(request: ScanRequest) -> Results:
    """Run the scan showing targets as they finish: a bar on a terminal, plain lines otherwise."""
    total = _target_count(request)
    done: list[str] = []

    def line(subject: Subject, results: list[Finding | Skipped]) -> None:
        if subject.kind not in CONNECTED:
            return
        done.append(subject.name)
        problems = sum(1 for r in results if isinstance(r, Finding) and r.status.value != "pass")
        err_console.print(
            f"[{len(done)}/{total}] {subject.name}: {len(results)} checks, {problems} not passing",
            markup=False,
            highlight=False,
        )

    if not err_console.is_terminal:
        return _run(replace(request, progress=line))
    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, TextColumn("{task.description}"), console=err_console) as bar:
        task = bar.add_task("", total=total)

        def advance(subject: Subject, results: list[Finding | Skipped]) -> None:
            if subject.kind in CONNECTED:
                bar.update(task, advance=1, description=subject.name)

        return _run(replace(request, progress=advance))


def _run(request: ScanRequest) -> Results:
    try:
        results = run_scan(request)
    except ScanConfigError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_USAGE) from exc
    if request.selection.targets and not results.findings and not results.skipped:
        fail(f"no target or asset matches --target {', '.join(sorted(request.selection.targets))}")
    return results


@app.callback(invoke_without_command=True)
def scan(
    trust: TrustArg = None,
    school: SchoolOpt = None,
    target: TargetOpt = None,
    offline: OfflineOpt = False,
    configs: ConfigsOpt = None,
    tenants: TenantsOpt = None,
    checks: ChecksOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = "high",
    scan_date: DateOpt = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
    connect_timeout: TimeoutOpt = 10.0,
    vault_password_file: VaultOption = None,
    parallel: ParallelOpt = 8,
) -> None:
    """Scan a trust: judge each check on each target and register row, write results JSON.

    Live (the default) connects to every selected target over SSH, read-only: Linux hosts
    through --ssh-config (or the lab's), switches with the network module's credentials (or the
    lab's). A target that does not answer within --connect-timeout gives 'unreachable' findings
    and the scan goes on. --offline connects to nothing: register and saved configs only
    (with --lab: configs saved from the lab's switches, compared with the template the lab's
    made-up secrets give, as the live lab scan does).

    Exit 0 when nothing failing is at or above --fail-on, 1 when something is (or a waiver has
    expired, whatever --fail-on says), 2 on a usage or configuration error.

    Example: matops scan example-trust --lab --school riverside-academy

    Example: matops scan example-trust --offline

    Example: matops scan --offline --school oakfield-primary --checks management-plane,register

    Example: matops scan --offline --configs /srv/backups --fail-on critical --output scan.json

    Example: matops scan example-trust --offline --tenants exports/tenants
    """
    if fail_on not in FAIL_ON:
        fail(f"--fail-on must be one of {', '.join(FAIL_ON)}")
    if offline and ssh_config:
        fail("--offline connects to nothing: leave out --ssh-config")
    if configs is not None and not configs.is_dir():
        fail(f"--configs {configs} is not a folder")
    if tenants is not None and not offline:
        fail("--tenants is for --offline scans (a live scan reads the tenants themselves)")
    if tenants is not None and not tenants.is_dir():
        fail(f"--tenants {tenants} is not a folder")
    day = _scan_date(scan_date)
    threshold = None if fail_on == "never" else Severity(fail_on)
    base = _request(trust, _split(school), _split(target), _split(checks))
    live = None
    lab_secrets = None
    if not offline:
        live = _live_options(base, lab, lab_dir, ssh_config, vault_password_file, connect_timeout)
        vault_password_file = live.profile.secrets.vault_password_file
    elif lab or lab_dir is not None:  # saved outputs of the lab's switches: the lab's secrets
        profile = connection_profile(
            base.root, [], lab=True, lab_dir=lab_dir, ssh_config=None,
            vault_password_file=vault_password_file, offline=True,
        )  # fmt: skip
        vault_password_file = profile.secrets.vault_password_file
        lab_secrets = profile.secrets.lab_secrets_file
    request = replace(
        base, configs=configs, tenants=tenants, scan_date=day, operator=_operator(),
        fail_on=threshold, live=live, vault_password_file=vault_password_file, workers=parallel,
        lab_secrets=lab_secrets,
    )  # fmt: skip
    results = _run_with_progress(request) if live is not None else _run(request)
    path = output or _default_output(request.trust.settings.id, datetime.now(UTC))
    write_results(results, path)
    _print_summary(results, path)
    blocking = at_or_above(results.findings, threshold)
    raise typer.Exit(EXIT_FINDINGS if blocking or results.expired_waivers else EXIT_OK)
