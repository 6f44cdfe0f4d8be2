"""``matops lab``: bring a simulated copy of a trust's network to life on this machine."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matops.commands.common import EXIT_FINDINGS, TrustArg, console, fail, load_trust_or_exit
from matops.lab.cabling import lab_cabling
from matops.lab.from_inventory import lab_mirror, lab_targets, lab_tenants
from matops.lab.lifecycle import default_state_dir, lab_down, lab_services, lab_status, lab_up
from matops.lab.model import LabError
from matops.lab.sshconf import SSH_CONFIG

app = typer.Typer(
    help="Run a simulated school network (Linux hosts and switches).", no_args_is_help=True
)

StateOption = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        envvar="MATOPS_LAB_DIR",
        show_envvar=True,
        show_default=False,
        help="Lab state folder (default: the running lab's, else /var/lib/matops/lab).",
    ),
]


def _state(state_dir: Path | None) -> Path:
    return state_dir or default_state_dir()


@app.command()
def up(
    trust: TrustArg = None,
    school: Annotated[str | None, typer.Option(help="Only this school's targets.")] = None,
    state_dir: StateOption = None,
) -> None:
    """Start every Linux host and switch of the trust (or one school) at its address, and the
    tenant simulator when the trust names tenants.

    Needs root. Refuses when a lab is already up or left over: run `matops lab down` first.

    Example: matops lab up example-trust --school oakfield-primary
    """
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root, model = load_trust_or_exit(trust)
    try:
        targets = lab_targets(model, school)
    except KeyError as exc:
        fail(str(exc.args[0]))
    started = time.monotonic()
    try:
        tenants = lab_tenants(root, model)
        cabling = lab_cabling(root, model)
        lab_up(
            targets,
            _state(state_dir),
            apt_mirror=lab_mirror(model),
            lab_tenants=tenants,
            cabling=cabling,
        )
    except LabError as exc:
        fail(str(exc))
    elapsed = time.monotonic() - started
    console.print(f"lab up: {len(targets)} targets in {elapsed:.1f}s", highlight=False)
    _print_status(_state(state_dir))


def _print_status(state_dir: Path) -> bool:
    table = Table(title=f"Lab ({state_dir})")
    for column in ("target", "address", "kind", "state", "SSH"):
        table.add_column(column)
    healthy = True
    for s in lab_status(state_dir):
        healthy = healthy and s.up and s.ssh_ok
        state = "[green]up[/]" if s.up else "[red]down[/]"
        ssh = "[green]ok[/]" if s.ssh_ok else "[red]no[/]"
        table.add_row(s.name, str(s.address), s.kind, state, ssh)
    for service in lab_services(state_dir):
        healthy = healthy and service.up and service.answers
        state = "[green]up[/]" if service.up else "[red]down[/]"
        https = "[green]HTTPS ok[/]" if service.answers else "[red]no[/]"
        table.add_row(service.name, str(service.address), service.kind, state, https)
    console.print(table)
    return healthy


@app.command()
def status(state_dir: StateOption = None) -> None:
    """Show each lab target: address, kind, up or down, SSH ok. Exit 1 when any is not healthy.

    Example: matops lab status
    """
    try:
        healthy = _print_status(_state(state_dir))
    except LabError as exc:
        fail(str(exc))
    if not healthy:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def down(
    state_dir: StateOption = None,
    reset: Annotated[
        bool, typer.Option(help="Also forget the switches' saved configs (factory defaults).")
    ] = False,
) -> None:
    """Remove every process, mount, namespace, veth and bridge of the lab. Safe to repeat.

    Switches keep their saved startup configs for the next `lab up` unless --reset is given.

    Example: matops lab down --reset
    """
    try:
        lab_down(_state(state_dir), reset=reset)
    except LabError as exc:
        fail(str(exc))
    console.print("lab down: nothing of the lab remains", highlight=False)


@app.command()
def ssh(
    target: Annotated[str, typer.Argument(help="Lab target name, e.g. oak-srv01.")],
    command: Annotated[
        list[str] | None, typer.Argument(help="Command to run instead of a shell.")
    ] = None,
    state_dir: StateOption = None,
) -> None:
    """Open SSH to a lab target with the lab's ssh_config (host keys verified).

    Example: matops lab ssh oak-srv01 -- hostname
    """
    config = _state(state_dir) / SSH_CONFIG
    if not config.is_file():
        fail(f"no lab ssh_config at {config}: is the lab up? (`matops lab up`)")
    argv = ["ssh", "-F", str(config), target, *(command or [])]
    os.execvp("ssh", argv)  # noqa: S606 - hands the terminal over to ssh
