"""``matops report``: compliance reports from a results document, and ``report verify``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from matops.commands.common import EXIT_FINDINGS, EXIT_OK, console, err_console, fail
from matops.report.inputs import make_report, read_inputs
from matops.report.manifest import MANIFEST, verify
from matops.report.registry import RENDERERS, parse_formats, write_report

app = typer.Typer(subcommand_metavar="", context_settings={"allow_interspersed_args": True})

ALL_FORMATS = ",".join(RENDERERS)

ResultsArg = Annotated[
    str,
    typer.Argument(
        help="Results JSON from matops scan (or the word 'verify' followed by a report folder).",
        show_default=False,
    ),
]
FolderArg = Annotated[
    Path | None, typer.Argument(help="With 'verify': the report folder.", show_default=False)
]
PreviousOpt = Annotated[
    Path | None, typer.Option(help="Previous results JSON, for what changed since then.")
]
FormatOpt = Annotated[
    list[str] | None,
    typer.Option("--format", help=f"Formats, comma-separated (default all: {ALL_FORMATS})."),
]
OutputOpt = Annotated[
    Path | None, typer.Option(help="Report folder (default reports/<trust>/<scan time>/).")
]
InventoryOpt = Annotated[
    Path | None,
    typer.Option(help="Trust folder for the asset register (default: the one the scan names)."),
]


def _verify(folder: Path | None) -> None:
    if folder is None:
        fail("matops report verify needs the report folder")
    if not (folder / MANIFEST).is_file():
        fail(f"{folder / MANIFEST} not found: is {folder} a report folder?")
    try:
        problems = verify(folder)
    except ValueError as exc:
        fail(str(exc), EXIT_FINDINGS)
    for problem in problems:
        err_console.print(f"{folder / problem.path}: {problem.reason}", markup=False)
    if problems:
        raise typer.Exit(EXIT_FINDINGS)
    console.print(f"{folder}: every file matches {MANIFEST}", highlight=False)


def _default_output(trust: str, started: datetime) -> Path:
    return Path("reports") / trust / started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@app.callback(invoke_without_command=True)
def report(
    results: ResultsArg,
    folder: FolderArg = None,
    previous: PreviousOpt = None,
    formats: FormatOpt = None,
    output: OutputOpt = None,
    inventory: InventoryOpt = None,
) -> None:
    """Write compliance reports (HTML, PDF, Markdown, JSON, CSV, JUnit) and their manifest.

    'matops report verify DIR' checks every file of a report against its MANIFEST.sha256 and
    exits 1 naming each altered, missing or added file.

    Example: matops report results/example-trust/20261122T020000Z.json --format html,md

    Example: matops report new.json --previous old.json --output /tmp/report

    Example: matops report verify reports/example-trust/20261122T020000Z
    """
    if results == "verify":
        _verify(folder)
        return
    if folder is not None:
        fail(f"unexpected argument {folder}; give one results file")
    try:
        chosen = parse_formats(formats or [ALL_FORMATS])
        inputs = read_inputs(Path(results), previous, inventory)
    except ValueError as exc:  # includes pydantic's ValidationError
        kind = "not a results document" if isinstance(exc, ValidationError) else ""
        fail(f"{kind}: {exc}" if kind else str(exc))
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    model = make_report(inputs)
    out = output or _default_output(inputs.results.inventory.trust, inputs.results.scan.started)
    files = write_report(model, out, chosen)
    console.print(f"report: {out} ({len(files)} files, formats {', '.join(chosen)})")
    raise typer.Exit(EXIT_OK)
