"""``matops deploy``: apply the Linux roles with Ansible or pyinfra, or preview them (--check)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from matops.commands.common import EXIT_FINDINGS, TrustArg, console, fail, load_trust_or_exit
from matops.commands.connection import (
    LabDirOption,
    LabOption,
    SshConfigOption,
    VaultOption,
    connection_profile,
)
from matops.deploy.runner import (
    DeployError,
    DeployOutcome,
    DeployRequest,
    Engine,
    available_roles,
    run,
)
from matops.inventory.model import Trust


def select_hosts(trust: Trust, school: str | None, limit: str | None) -> list[str]:
    """Linux targets of the trust (or one school), narrowed by ``limit``.

    ``limit`` is a comma-separated list of target names, school slugs or school groups.
    """
    schools = [trust.school(school)] if school else trust.schools
    chosen = [
        t.name
        for s in schools
        for t in s.targets
        if t.kind == "linux" and (not limit or {t.name, s.id, s.group} & set(limit.split(",")))
    ]
    if limit:
        known = {t.name for s in schools for t in s.targets} | {s.id for s in schools}
        known |= {s.group for s in schools}
        unknown = [n for n in limit.split(",") if n and n not in known]
        if unknown:
            raise KeyError(f"--limit: no Linux target, school or group {', '.join(unknown)}")
    return chosen


def results_table(outcome: DeployOutcome, check: bool) -> Table:
    """The per-host table: changed, ok, failed, and what changed (or would)."""
    table = Table(title="would change (--check)" if check else "deploy results")
    for column in ("host", "changed", "ok", "failed", "changes" if not check else "would change"):
        table.add_column(column)
    for result in outcome.results.values():
        failed = "unreachable" if result.unreachable else str(result.failed)
        style = "red" if result.is_failed else ("yellow" if result.changed else "green")
        detail = result.errors if result.is_failed else result.changes
        table.add_row(
            result.host,
            str(result.changed),
            str(result.ok),
            failed,
            escape("\n".join(detail[:12]) + (" ..." if len(detail) > 12 else "")),
            style=style,
        )
    return table


def deploy(
    trust: TrustArg = None,
    school: Annotated[
        str | None, typer.Option(help="Only this school's Linux hosts (slug).")
    ] = None,
    limit: Annotated[
        str | None, typer.Option(help="Only these targets, schools or groups (comma-separated).")
    ] = None,
    engine: Annotated[Engine, typer.Option(help="Which tool applies the roles.")] = Engine.ANSIBLE,
    check: Annotated[
        bool,
        typer.Option("--check", help="Show per-host diffs of files and services; change nothing."),
    ] = False,
    roles: Annotated[
        str | None,
        typer.Option(help="Only these roles (comma-separated); default: all of site.yml."),
    ] = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
    vault_password_file: VaultOption = None,
) -> None:
    """Apply the roles to the trust's Linux hosts; a per-host table at the end.

    Exit 0 when every host succeeded, 1 when any host failed, 2 on usage errors.

    Example: matops deploy --lab --limit oak-srv01 --roles ssh_hardening --check
    """
    root, model = load_trust_or_exit(trust)
    try:
        hosts = select_hosts(model, school, limit)
    except KeyError as exc:
        fail(str(exc.args[0]))
    if not hosts:
        fail("no Linux hosts selected")
    profile = connection_profile(
        root, [t for t in model.targets() if t.name in hosts], lab=lab, lab_dir=lab_dir,
        ssh_config=ssh_config, vault_password_file=vault_password_file,
    )  # fmt: skip
    chosen = [r for r in roles.split(",") if r] if roles else available_roles()
    request = DeployRequest(
        trust_dir=root.absolute(), hosts=hosts, roles=chosen, engine=engine, check=check,
        profile=profile,
    )  # fmt: skip
    console.print(f"[bold]{engine.value}[/]: {', '.join(chosen)} on {', '.join(hosts)}")
    try:
        outcome = run(
            request, printer=lambda line: console.print(line, markup=False, highlight=False)
        )
    except DeployError as exc:
        fail(str(exc))
    console.print(results_table(outcome, check))
    if outcome.failed:
        raise typer.Exit(EXIT_FINDINGS)


#: A one-command app (for tests and embedding); matops.cli registers :func:`deploy` as ``deploy``.
app = typer.Typer(help="Deploy the Linux roles (Ansible or pyinfra).")
app.command()(deploy)
