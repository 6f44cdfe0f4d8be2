"""The ``matops`` command line: thin assembly of the command groups in :mod:`matops.commands`."""

from __future__ import annotations

import typer

from matops import __version__
from matops.commands import (
    attest,
    checks,
    deploy,
    handbook,
    inventory,
    lab,
    network,
    refresh,
    report,
    results,
    scan,
    tenant,
)

app = typer.Typer(
    name="matops",
    help="Infrastructure as code and compliance automation for multi-academy trusts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(inventory.app, name="inventory")
app.add_typer(network.app, name="network")
app.add_typer(lab.app, name="lab")
app.add_typer(scan.app, name="scan")
app.add_typer(checks.app, name="checks")
app.command(name="deploy")(deploy.deploy)
app.add_typer(report.app, name="report")
app.add_typer(refresh.app, name="refresh")
app.add_typer(results.app, name="results")
app.add_typer(tenant.app, name="tenant")
app.command(name="attest")(attest.attest)
app.add_typer(handbook.app, name="handbook")


def _version(value: bool) -> None:
    if value:
        print(f"matops {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """matops: describe each school once, deploy, refresh and prove compliance."""
