"""``matops network``: render, back up, diff and push switch baselines.

Secrets never reach the terminal: rendered configs, diffs and results are redacted unless
``--show-secrets`` is given. ``backup``, ``diff`` and ``push`` connect as the run's connection
profile says (:mod:`matops.commands.connection`): with ``--lab``, host keys, passwords and
made-up secrets come from the lab's state; otherwise from ``<trust>/known_hosts`` and
``MATOPS_NET_USERNAME`` / ``MATOPS_NET_PASSWORD`` or the vault variables ``network_username`` /
``network_password``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matops.commands.common import EXIT_FINDINGS, TrustArg, console, fail, load_trust_or_exit
from matops.commands.connection import (
    LabDirOption,
    LabOption,
    SshConfigOption,
    VaultOption,
    connection_profile,
)
from matops.inventory.ansible_vars import AnsibleVariables, VariableError
from matops.inventory.model import Target, Trust
from matops.network.context import RenderError
from matops.network.jobs import Prepared, backup_all, prepare_jobs, run_variables
from matops.network.push import Outcome, PushOptions, PushResult, push_all
from matops.network.redact import redact
from matops.network.render import render_target, switch_targets
from matops.platforms import UnknownPartError, UnknownPlatformError

app = typer.Typer(
    help="Render, back up, diff and push switch baselines (Cisco IOS, Aruba AOS-CX).",
    no_args_is_help=True,
)

SchoolOption = Annotated[str | None, typer.Option(help="Only this school's switches (slug).")]
DeviceOption = Annotated[str | None, typer.Option(help="Only this switch (inventory name).")]
PartOption = Annotated[
    str | None,
    typer.Option(
        "--part",
        help="Only this part of the baseline (ports: VLANs and port settings); the rest of each "
        "switch is left alone.",
    ),
]
ParallelOption = Annotated[int, typer.Option(min=1, max=64, help="Switches handled at once.")]
Connection = tuple[bool, Path | None, Path | None, Path | None]
"""--lab, --lab-dir, --ssh-config, --vault-password-file as given."""

SecretsOption = Annotated[
    bool, typer.Option("--show-secrets", help="Print keys and hashes instead of <redacted>.")
]

_STYLE = {
    Outcome.UNCHANGED: "green", Outcome.BACKED_UP: "green", Outcome.APPLIED: "green",
    Outcome.PLANNED: "yellow", Outcome.REFUSED: "red", Outcome.ROLLED_BACK: "red",
    Outcome.ROLLBACK_FAILED: "bold red", Outcome.ERROR: "red",
}  # fmt: skip


def _select(trust: Trust, school: str | None, device: str | None) -> list[Target]:
    try:
        targets = switch_targets(trust, school, device)
    except KeyError as exc:
        fail(str(exc.args[0]))
    if not targets:
        fail("no switches selected")
    return targets


def _prepare(
    trust_arg: str | None,
    school: str | None,
    device: str | None,
    connection: Connection,
    part: str | None = None,
) -> tuple[Path, Prepared]:
    root, trust = load_trust_or_exit(trust_arg)
    targets = _select(trust, school, device)
    lab, lab_dir, ssh_config, vault = connection
    profile = connection_profile(
        root, targets, lab=lab, lab_dir=lab_dir, ssh_config=ssh_config, vault_password_file=vault
    )
    try:
        variables = run_variables(root, profile)
        return root, prepare_jobs(root, trust, targets, variables, profile, part)
    except VariableError as exc:
        fail(str(exc))


def _in_order(prepared: Prepared, results: list[PushResult]) -> list[PushResult]:
    """Results in inventory order, the switches that could not be prepared among them."""
    order = {name: i for i, name in enumerate(prepared.order)}
    return sorted([*results, *prepared.errors], key=lambda r: order.get(r.device, len(order)))


def _table(title: str, results: list[PushResult]) -> Table:
    table = Table(title=title)
    for column in ("switch", "school", "result", "commands", "seconds", "detail"):
        table.add_column(column, overflow="fold")
    for r in results:
        style = _STYLE[r.outcome]
        detail = r.message or (str(r.backup) if r.backup else "")
        table.add_row(
            r.device, r.school, f"[{style}]{r.outcome.value}[/]", str(len(r.commands)),
            f"{r.seconds:.1f}", detail,
        )  # fmt: skip
    return table


def _finish(title: str, results: list[PushResult]) -> None:
    console.print(_table(title, results))
    failed = [r for r in results if r.failed]
    if failed:
        console.print(f"[red]{len(failed)} of {len(results)} switch(es) failed[/]")
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def render(
    trust: TrustArg = None,
    school: SchoolOption = None,
    device: DeviceOption = None,
    output: Annotated[
        Path | None, typer.Option(help="Write <device>.cfg files here instead of printing.")
    ] = None,
    vault_password_file: VaultOption = None,
    show_secrets: SecretsOption = False,
    part: PartOption = None,
) -> None:
    """Render the intended configuration of each switch from the inventory.

    Example: matops network render example-trust --device oak-sw01

    Example: matops network render example-trust --device oak-sw01 --part ports
    """
    root, model = load_trust_or_exit(trust)
    variables = AnsibleVariables(root, vault_password_file)
    for target in _select(model, school, device):
        try:
            text = render_target(model, target, variables.rendered(target.name), part)
        except (RenderError, VariableError, UnknownPlatformError, UnknownPartError) as exc:
            fail(str(exc))
        text = text if show_secrets else redact(text)
        if output is None:
            console.print(f"! ---- {target.name} ({target.platform}) ----", highlight=False)
            console.print(text, markup=False, highlight=False, end="")
            continue
        output.mkdir(parents=True, exist_ok=True)
        path = output / f"{target.name}.cfg"
        path.write_text(text)
        if show_secrets:
            path.chmod(0o600)
        console.print(f"wrote {path}", highlight=False)


@app.command()
def backup(
    trust: TrustArg = None,
    school: SchoolOption = None,
    device: DeviceOption = None,
    unredacted: Annotated[
        bool, typer.Option(help="Keep secrets in the saved files (written with mode 0600).")
    ] = False,
    parallel: ParallelOption = 4,
    vault_password_file: VaultOption = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
) -> None:
    """Save each switch's running config to <trust>/backups/<school>/<switch>.cfg (redacted).

    Example: matops network backup example-trust --lab --school riverside-academy
    """
    connection = (lab, lab_dir, ssh_config, vault_password_file)
    root, prepared = _prepare(trust, school, device, connection)
    options = PushOptions(root, unredacted_backup=unredacted)
    _finish("Backups", _in_order(prepared, backup_all(prepared.jobs, options, parallel)))


def _print_commands(results: list[PushResult]) -> None:
    """Each switch's commands (already redacted in the results)."""
    for r in results:
        if not r.commands:
            continue
        console.print(f"! ---- {r.device}: {len(r.commands)} commands ----", highlight=False)
        for command in r.commands:
            console.print(command, markup=False, highlight=False)


@app.command()
def diff(
    trust: TrustArg = None,
    school: SchoolOption = None,
    device: DeviceOption = None,
    parallel: ParallelOption = 4,
    vault_password_file: VaultOption = None,
    part: PartOption = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
) -> None:
    """Show, per switch, the commands a push would send (nothing is changed or saved).

    The safety lint runs too: a change that would cut management access shows as refused.

    Example: matops network diff example-trust --lab --device riv-sw01
    """
    connection = (lab, lab_dir, ssh_config, vault_password_file)
    root, prepared = _prepare(trust, school, device, connection, part)
    options = PushOptions(root, dry_run=True, backup=False)
    results = _in_order(prepared, push_all(prepared.jobs, options, parallel))
    _print_commands(results)
    _finish("Differences", results)


@app.command()
def push(
    trust: TrustArg = None,
    school: SchoolOption = None,
    device: DeviceOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Back up and show the commands; send nothing.")
    ] = False,
    parallel: ParallelOption = 4,
    unredacted_backup: Annotated[
        bool, typer.Option(help="Keep secrets in the pre-push backups (mode 0600).")
    ] = False,
    vault_password_file: VaultOption = None,
    part: PartOption = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
) -> None:
    """Back up, diff, lint, push, save and verify each switch; roll back on any failure.

    Exits 1 when any switch failed, was refused or was rolled back. With --part ports only the
    VLANs and port settings are compared and pushed (e.g. a term-time port change).

    Example: matops network push example-trust --lab --school oakfield-primary --dry-run

    Example: matops network push example-trust --device oak-sw02 --part ports
    """
    connection = (lab, lab_dir, ssh_config, vault_password_file)
    root, prepared = _prepare(trust, school, device, connection, part)
    options = PushOptions(root, dry_run=dry_run, unredacted_backup=unredacted_backup)
    results = _in_order(prepared, push_all(prepared.jobs, options, parallel))
    if dry_run:
        _print_commands(results)
    _finish("Push (dry run)" if dry_run else "Push", results)
