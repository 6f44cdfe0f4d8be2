"""``matops handbook build``: the trust handbook, a static site rebuilt from the repository."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from matops.commands.common import TrustArg, console, fail, load_trust_or_exit
from matops.handbook.site import HandbookContext, build_site
from matops.report.compare import load_results

app = typer.Typer(no_args_is_help=True, help="The trust handbook (static HTML site).")

OutputOpt = Annotated[
    Path | None, typer.Option(help="Folder for the site (default handbook/<trust>/).")
]
ResultsOpt = Annotated[
    Path | None,
    typer.Option(
        help="Latest results JSON from matops scan, for the standards position and the drawings' "
        "colours (without it: not assessed)."
    ),
]
SinceOpt = Annotated[
    datetime | None,
    typer.Option(
        formats=["%Y-%m-%d"],
        help="First day of the 'What changed' period, YYYY-MM-DD (default: a year before "
        "today); the period ends today.",
    ),
]
PdfOpt = Annotated[
    bool, typer.Option("--pdf", help="Also write the PDF edition, handbook.pdf (WeasyPrint).")
]


@app.command()
def build(
    trust: TrustArg = None,
    output: OutputOpt = None,
    results: ResultsOpt = None,
    pdf: PdfOpt = False,
    since: SinceOpt = None,
) -> None:
    """Build the handbook: trust index, a page per school (drawing, VLAN plan, devices,
    credentials' names, baseline), runbooks and the standards position.

    Example: matops handbook build example-trust --output handbook/example-trust
    """
    root, model = load_trust_or_exit(trust)
    start = since.date() if since else None
    if start is not None and start > date.today():
        fail(f"--since {start.isoformat()} is after today: the period would be empty")
    latest = None
    if results is not None:
        try:
            latest = load_results(results)
        except (OSError, ValidationError) as exc:
            fail(f"cannot read results {results}: {str(exc).splitlines()[0]}")
        if latest.inventory.trust != model.settings.id:
            fail(f"{results} is a scan of {latest.inventory.trust!r}, not {model.settings.id!r}")
    out = output or Path("handbook") / model.settings.id
    written = build_site(
        HandbookContext(root=root, trust=model, results=latest, since=start), out, pdf=pdf
    )
    console.print(f"handbook: {len(written)} files in {out}", highlight=False)
