"""``matops refresh``: plan a summer refresh, run it in waves with a journal, resume it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from matops.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    TrustArg,
    console,
    fail,
    load_trust_or_exit,
)
from matops.commands.connection import (
    LabDirOption,
    LabOption,
    SshConfigOption,
    VaultOption,
    connection_profile,
)
from matops.connect.profile import ConnectionProfile
from matops.inventory.ansible_vars import VariableError
from matops.inventory.loader import load
from matops.inventory.model import Trust
from matops.network.jobs import Prepared, prepare_jobs, run_variables
from matops.refresh.journal import JournalError, JournalWriter, new_run_id, read_events
from matops.refresh.model import STEP_ORDER, EventKind, RunParams, StepKey, StepName
from matops.refresh.plan import build_plan, plan_table, read_plan, write_plan
from matops.refresh.progress import Display
from matops.refresh.runner import Runner, RunStatus, prepare_context, resume_state, waves_for
from matops.refresh.summary import summarise, summary_table, write_summary
from matops.refresh.work import SelectionError, select_schools

app = typer.Typer(help="Plan, run and resume summer refresh rollouts.", no_args_is_help=True)

EXIT_INTERRUPTED = 130

SchoolOpt = Annotated[
    list[str] | None, typer.Option("--school", help="Only this school (repeatable).")
]
WaveOpt = Annotated[list[int] | None, typer.Option("--wave", help="Only this wave (repeatable).")]


def _profile(
    root: Path,
    trust: Trust,
    schools: list[str],
    waves: list[int],
    connection: tuple[bool, Path | None, Path | None, Path | None],
    offline: bool = False,
) -> ConnectionProfile:
    """The run's connection profile for the selected schools' targets (exit 2 on usage errors)."""
    try:
        chosen = select_schools(trust, schools, waves)
    except SelectionError as exc:
        fail(str(exc))
    lab, lab_dir, ssh_config, vault = connection
    targets = [t for s in chosen for t in s.targets]
    return connection_profile(
        root, targets, lab=lab, lab_dir=lab_dir, ssh_config=ssh_config,
        vault_password_file=vault, offline=offline,
    )  # fmt: skip


def _prepare(
    root: Path, trust: Trust, schools: list[str], waves: list[int], profile: ConnectionProfile
) -> Prepared:
    try:
        chosen = select_schools(trust, schools, waves)
        targets = [t for s in chosen for t in s.targets if t.kind == "switch"]
        return prepare_jobs(root, trust, targets, run_variables(root, profile), profile)
    except (SelectionError, VariableError) as exc:
        fail(str(exc))


@app.command()
def plan(
    trust: TrustArg = None,
    school: SchoolOpt = None,
    wave: WaveOpt = None,
    output: Annotated[Path | None, typer.Option(help="Plan file (JSON) to write.")] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Connect to nothing: diff against saved backups.")
    ] = False,
    deploy_check: Annotated[
        bool, typer.Option(help="Run the deploy in check mode to list host changes.")
    ] = True,
    vault_password_file: VaultOption = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
) -> None:
    """Show, per school and device, what a refresh would change and whether it is ready.

    Read-only. Exit 1 when any device has a blocker, 0 otherwise.

    Example: matops refresh plan example-trust --lab --school st-marys-ce-primary --output plan.json
    """
    root, model = load_trust_or_exit(trust)
    schools, waves = school or [], wave or []
    connection = (lab, lab_dir, ssh_config, vault_password_file)
    profile = _profile(root, model, schools, waves, connection, offline)
    prepared = _prepare(root, model, schools, waves, profile)
    jobs = {j.target.name: j for j in prepared.jobs}
    errors = {e.device: e.message for e in prepared.errors}
    made = build_plan(
        root, model, schools, waves, jobs, errors, profile,
        offline=offline, deploy_check=deploy_check,
    )  # fmt: skip
    console.print(plan_table(made))
    if output is not None:
        write_plan(made, output)
        console.print(f"plan: {output}", highlight=False)
    raise typer.Exit(EXIT_FINDINGS if made.blockers else EXIT_OK)


def _steps(values: list[str] | None) -> list[StepName]:
    names = [p.strip() for v in values or [] for p in v.split(",") if p.strip()]
    try:
        return [StepName(n) for n in names] if names else list(STEP_ORDER)
    except ValueError as exc:
        fail(f"{exc}; steps: {', '.join(s.value for s in STEP_ORDER)}")


def _default_journal(trust_id: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path("refresh") / trust_id / stamp / "journal.jsonl"


def _execute(
    params: RunParams,
    journal: Path,
    run: str,
    resumed: int | None,
    connection: tuple[bool, Path | None, Path | None, Path | None],
) -> None:
    """Prepare, run the waves with a progress display, print and save the summary, exit."""
    result = load(params.trust_dir)
    if result.trust is None:
        fail(f"cannot load the trust {params.trust_dir}; run matops inventory validate")
    profile = _profile(params.trust_dir, result.trust, params.schools, params.waves, connection)
    params = params.model_copy(
        update={
            "lab_dir": profile.lab_dir,
            "ssh_config": profile.linux.ssh_config if params.ssh_config else None,
            "vault_password_file": profile.secrets.vault_password_file,
        }
    )
    try:
        waves = waves_for(result.trust, params)
        ctx = prepare_context(params, result.trust, journal.absolute(), profile)
    except (SelectionError, VariableError) as exc:
        fail(str(exc))
    display = Display(console)
    writer = JournalWriter(journal, run, [display])
    done: frozenset[StepKey] = frozenset()
    if resumed is None:
        writer.write(EventKind.RUN_STARTED, params=params)
    else:
        done = frozenset(resume_state(journal).finished)
        writer.write(EventKind.RUN_RESUMED, summary=f"{len(done)} step(s) already finished")
    try:
        with display:
            status = Runner(ctx, params, waves, writer, done).run()
    finally:
        writer.close()
    summary = summarise(read_events(journal))
    write_summary(summary, journal.parent / "summary.json")
    console.print(summary_table(summary))
    console.print(f"journal: {journal}", highlight=False)
    if status is RunStatus.INTERRUPTED:
        console.print(f"interrupted; continue with: matops refresh resume {journal}")
        raise typer.Exit(EXIT_INTERRUPTED)
    raise typer.Exit(EXIT_OK if status is RunStatus.DONE else EXIT_FINDINGS)


@app.command()
def run(
    plan_or_trust: Annotated[
        str | None, typer.Argument(help="A plan file (JSON) or a trust.", show_default=False)
    ] = None,
    school: SchoolOpt = None,
    wave: WaveOpt = None,
    steps: Annotated[
        list[str] | None, typer.Option("--steps", help="Only these steps (comma-separated).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Change nothing.")] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Schools at once.")] = 2,
    stop_after_failures: Annotated[
        int, typer.Option(min=0, help="Halt the wave when more devices than this have failed.")
    ] = 2,
    journal: Annotated[Path | None, typer.Option(help="Journal file (JSON lines).")] = None,
    ignore_blockers: Annotated[
        bool, typer.Option(help="Run a plan even when it lists blockers.")
    ] = False,
    offline_scans: Annotated[
        bool,
        typer.Option(
            "--offline-scans",
            help="Scans judge switch configs read into the run folder; no Linux host is contacted.",
        ),
    ] = False,
    ssh_config: SshConfigOption = None,
    vault_password_file: VaultOption = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
) -> None:
    """Run a refresh: per school pre-scan, network backup and push, deploy, post-scan, the
    endpoint refresh check, report.

    Waves run in order; the schools of a wave run concurrently. Every step is journalled;
    Ctrl-C lets running steps finish and can be resumed. Exit 0 when every step finished,
    1 on failures or a halted wave, 130 when interrupted.

    Example: matops refresh run example-trust --lab --wave 1 --dry-run
    """
    plan_file = Path(plan_or_trust) if plan_or_trust and plan_or_trust.endswith(".json") else None
    if plan_file is not None:
        try:
            made = read_plan(plan_file)
        except (OSError, ValueError) as exc:
            fail(f"cannot read the plan {plan_file}: {exc}")
        if made.blockers and not ignore_blockers:
            fail(
                "the plan has blockers (--ignore-blockers to run anyway):\n"
                + "\n".join(made.blockers)
            )
        root, schools = made.trust_dir, school or [s.id for s in made.schools]
    else:
        root, _ = load_trust_or_exit(plan_or_trust)
        schools = school or []
    params = RunParams(
        trust_dir=root.absolute(), schools=schools, waves=wave or [], steps=_steps(steps),
        dry_run=dry_run, concurrency=concurrency, stop_after_failures=stop_after_failures,
        plan=plan_file.absolute() if plan_file else None,
        scan_mode="offline" if offline_scans else "live",
        ssh_config=ssh_config.absolute() if ssh_config else None,
    )  # fmt: skip
    path = journal or _default_journal(root.name)
    if path.exists() and path.stat().st_size:
        fail(f"{path} already exists; use matops refresh resume {path}")
    _execute(params, path, new_run_id(), None, (lab, lab_dir, ssh_config, vault_password_file))


@app.command()
def resume(
    journal: Annotated[Path, typer.Argument(help="The interrupted run's journal.")],
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
    vault_password_file: VaultOption = None,
) -> None:
    """Continue an interrupted or failed run without redoing the steps it finished.

    Connects as its own options say, like every command; --ssh-config and
    --vault-password-file default to the files the run was started with.

    Example: matops refresh resume --lab refresh/example-trust/20260722T080000Z/journal.jsonl
    """
    try:
        state = resume_state(journal)
    except JournalError as exc:
        fail(str(exc))
    if state.complete:
        console.print(f"nothing to do: every step of {journal} finished")
        raise typer.Exit(EXIT_OK)
    started = state.params
    connection = (
        lab, lab_dir, ssh_config or started.ssh_config,
        vault_password_file or started.vault_password_file,
    )  # fmt: skip
    _execute(started, journal, state.run, len(state.finished), connection)
