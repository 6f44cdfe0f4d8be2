"""``matops checks``: list, show and document the check catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matops.commands.common import EXIT_FINDINGS, EXIT_USAGE, console, fail, print_problems
from matops.scan.catalogue import Catalogue, CatalogueError, load_catalogue
from matops.scan.docs import render_markdown

app = typer.Typer(help="List, show and document the posture checks.", no_args_is_help=True)

DOCS = Path("docs") / "checks.md"


def _catalogue() -> Catalogue:
    try:
        return load_catalogue()
    except CatalogueError as exc:
        print_problems(exc.problems)
        raise typer.Exit(EXIT_USAGE) from exc


@app.command("list")
def list_checks(
    area: Annotated[
        str | None, typer.Option(help="Only this area: register, network, host, tenant, device.")
    ] = None,
    tag: Annotated[str | None, typer.Option(help="Only checks with this tag.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """List the checks (ID, area, severity, title).

    Example: matops checks list --area network --tag management-plane
    """
    checks = [
        c
        for c in _catalogue()
        if (area is None or c.meta.area.value == area) and (tag is None or tag in c.meta.tags)
    ]
    if as_json:
        print(json.dumps([c.meta.model_dump(mode="json", by_alias=True) for c in checks], indent=2))
        return
    table = Table(title=f"{len(checks)} checks")
    for column in ("check", "area", "severity", "title"):
        table.add_column(column)
    for c in checks:
        table.add_row(c.id, c.meta.area.value, c.meta.severity.value, c.meta.title)
    console.print(table)


@app.command()
def show(check_id: Annotated[str, typer.Argument(help="The check ID.")]) -> None:
    """Show one check: title, rationale, facts, fix and scenarios.

    Example: matops checks show switch_telnet_disabled
    """
    catalogue = _catalogue()
    try:
        check = catalogue.get(check_id)
    except KeyError as exc:
        fail(str(exc.args[0]))
    meta = check.meta
    console.print(f"[bold]{meta.id}[/] ({meta.area.value}, {meta.severity.value})")
    console.print(meta.title, highlight=False)
    console.print(meta.rationale.strip(), highlight=False)
    console.print(f"facts: {', '.join(meta.facts)}", highlight=False)
    console.print(
        f"applies to: {meta.applies_to.model_dump(exclude_defaults=True, by_alias=True)}",
        highlight=False,
    )
    console.print(f"remediation: {meta.remediation.model_dump(exclude_none=True)}", highlight=False)
    console.print(f"tags: {', '.join(meta.tags)}", highlight=False)
    for path in check.scenario_files():
        console.print(f"scenario: {path.name}", highlight=False)


@app.command()
def docs(
    write: Annotated[
        bool, typer.Option("--write", help=f"Write {DOCS} instead of printing.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help=f"Exit 1 when {DOCS} is out of date.")
    ] = False,
) -> None:
    """Render the catalogue as Markdown (the source of docs/checks.md).

    Example: matops checks docs --write
    """
    text = render_markdown(_catalogue())
    if check:
        current = DOCS.read_text(encoding="utf-8") if DOCS.is_file() else ""
        if current != text:
            fail(f"{DOCS} is out of date: run matops checks docs --write", EXIT_FINDINGS)
        return
    if write:
        DOCS.write_text(text, encoding="utf-8")
        console.print(f"wrote {DOCS}", highlight=False)
        return
    print(text, end="")
