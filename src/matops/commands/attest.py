"""``matops attest``: walk a technician through the controls only a person can vouch for, and
write their answers to the school's attestation file, which every scan reads
(``inventories/<trust>/attestations/<school>.yml``, :mod:`matops.scan.attestations`).

The controls walked are the manual ones (``--partial`` adds the partial ones, whose checks
need an attestation beside them) of the frameworks in the trust's scope, that have no
attestation counting on the day: never attested, or expired. Answers are appended to the
file, its comments kept; the file is read back as a scan reads it before the command ends,
and left as it was if that fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError

from matops.commands.common import (
    EXIT_OK,
    TrustArg,
    console,
    fail,
    load_trust_or_exit,
    print_problems,
)
from matops.inventory.model import School
from matops.scan.attestations import Attestation, LocatedAttestation, load_attestations
from matops.scan.catalogue import CatalogueError, load_catalogue
from matops.scan.frameworks import Automation, Control, Framework, in_scope, load_frameworks
from matops.scan.helpers import add_years

EVIDENCE_HINT = (
    "Evidence is something another person can open and check: a document or its path, a "
    "certificate number, a log, or the minutes (meeting, date, item) that record it."
)
ANSWERS = ("y", "n", "s", "q")


def controls_to_attest(
    frameworks: list[Framework],
    attestations: list[LocatedAttestation],
    school: str,
    day: dt.date,
    partial: bool = False,
) -> list[tuple[Framework, Control, Attestation | None]]:
    """The controls to walk, each with its latest expired attestation (None: never attested).

    >>> c = {"id": "X-A-1", "title": "Backups tested", "status": "manual"}
    >>> fw = Framework(framework="x", title="X", version="1", order=0, areas={"A": "Area"},
    ...                controls=[c])
    >>> [c.id for _, c, _ in controls_to_attest([fw], [], "oak", dt.date(2026, 12, 5))]
    ['X-A-1']
    """
    wanted = {Automation.MANUAL, Automation.PARTIAL} if partial else {Automation.MANUAL}
    mine = [a.attestation for a in attestations if a.school == school]
    out: list[tuple[Framework, Control, Attestation | None]] = []
    for framework in frameworks:
        for control in framework.controls:
            if control.status not in wanted:
                continue
            own = [a for a in mine if a.control == control.id]
            if any(a.valid_on(day) for a in own):
                continue
            latest = max(own, key=lambda a: a.expires, default=None)
            out.append((framework, control, latest))
    return out


def render_items(items: list[Attestation], indent: int = 2) -> str:
    """The YAML list items for ``items``, indented to sit under ``attestations:``.

    >>> a = Attestation(control="X-A-1", statement="Backups are tested", evidence="Log 2026",
    ...                 by="Sam (IT)", date=dt.date(2026, 12, 5), expires=dt.date(2027, 12, 5))
    >>> print(render_items([a]), end="")
      - control: X-A-1
        statement: Backups are tested
        evidence: Log 2026
        by: Sam (IT)
        date: 2026-12-05
        expires: 2027-12-05
    """
    data = [a.model_dump() for a in items]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    pad = " " * indent
    return "".join(f"{pad}{line}".rstrip() + "\n" for line in text.splitlines())


def _list_indent(text: str) -> int | None:
    """How far the file indents its list items (None when the list is empty or absent)."""
    node = yaml.safe_load(text) if text.strip() else None
    if not isinstance(node, dict) or not node.get("attestations"):
        return None
    for line in text.splitlines():
        if line.lstrip().startswith("- ") and not line.lstrip().startswith("#"):
            return len(line) - len(line.lstrip())
    return None


def append_attestations(path: Path, school: School, items: list[Attestation]) -> None:
    """Add ``items`` to the school's file, keeping what it holds (comments included)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    indent = _list_indent(text)
    if indent is not None:
        new = text + ("" if text.endswith("\n") else "\n") + render_items(items, indent)
    else:
        kept = [line for line in text.splitlines() if line.startswith("#")]
        header = kept or [
            f"# Evidence for controls no probe can see, for {school.info.name}. An attestation",
            "# counts from its date until it expires (matops attest adds to this file).",
        ]
        new = "\n".join(header) + "\nattestations:\n" + render_items(items)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def _ask_date(label: str, default: dt.date) -> dt.date:
    while True:
        answer = typer.prompt(label, default=default.isoformat())
        try:
            return dt.date.fromisoformat(answer.strip())
        except ValueError:
            console.print(f"  {answer!r} is not a date: use YYYY-MM-DD")


def _ask(control: Control, school: School, day: dt.date) -> Attestation | None:
    """One control's questions; None when the answer is that it is not in place."""
    while True:
        statement = typer.prompt("  What is in place (one sentence)", default=control.title)
        evidence = typer.prompt("  Where is the evidence")
        by = typer.prompt("  Who vouches for it (name and role)")
        date = _ask_date("  Date of the evidence", day)
        expires = _ask_date("  Expires (when it must be checked again)", add_years(date, 1))
        try:
            return Attestation(
                control=control.id,
                statement=statement,
                evidence=evidence,
                by=by,
                date=date,
                expires=expires,
            )
        except ValidationError as exc:
            for error in exc.errors():
                where = "".join(f"{p}: " for p in error["loc"])
                message = str(error["msg"]).removeprefix("Value error, ")
                console.print(f"  not recorded: {where}{message}; try again", highlight=False)


def _choose(question: str) -> str:
    while True:
        answer = str(typer.prompt(question)).strip().lower()[:1]
        if answer in ANSWERS:
            return answer
        console.print("  Answer y, n, s or q.")


def _walk(
    todo: list[tuple[Framework, Control, Attestation | None]], school: School, day: dt.date
) -> list[Attestation]:
    answers: list[Attestation] = []
    for number, (framework, control, expired) in enumerate(todo, start=1):
        console.print(
            f"\n[bold][{number}/{len(todo)}] {control.id}[/] {control.title} ({framework.title})",
            highlight=False,
        )
        if expired is not None:
            console.print(f"  The last attestation expired on {expired.expires}.")
        console.print(f"  {EVIDENCE_HINT}", highlight=False)
        question = f"  Is this in place at {school.info.name}? y(es) n(o) s(kip) q(uit)"
        answer = _choose(question)
        if answer == "q":
            break
        if answer == "n":
            console.print("  Not recorded: the control stays not assessed (or not met).")
        if answer == "y":
            attestation = _ask(control, school, day)
            if attestation is not None:
                answers.append(attestation)
    return answers


def attest(
    school: Annotated[str, typer.Option(help="The school (its id) to attest for.")],
    trust: TrustArg = None,
    partial: Annotated[
        bool, typer.Option(help="Also walk partial controls (checks plus an attestation).")
    ] = False,
    control: Annotated[
        str | None,
        typer.Option(help="Only controls whose ID starts with this (RPA, DFE-CYBER)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="The day to attest on (default today).")
    ] = None,
) -> None:
    """Walk through the controls no probe can see and record attestations for them.

    Example: matops attest example-trust --school oakfield-primary --control RPA
    """
    root, model = load_trust_or_exit(trust)
    try:
        found = model.school(school)
    except KeyError as exc:
        fail(str(exc.args[0]))
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        fail(f"--date {on!r} is not a date (use YYYY-MM-DD)")
    try:
        catalogue = load_catalogue()
    except CatalogueError as exc:
        print_problems(exc.problems)
        raise typer.Exit(2) from exc
    frameworks, problems = load_frameworks(catalogue.root / "frameworks", set(catalogue.checks))
    controls = {c.id for f in frameworks.values() for c in f.controls}
    folder = root / "attestations"
    existing, found_problems = load_attestations(folder, {s.id for s in model.schools}, controls)
    if problems or found_problems:
        print_problems(problems + found_problems)
        raise typer.Exit(2)
    scope = [frameworks[n] for n in in_scope(model.settings.frameworks, frameworks)]
    todo = controls_to_attest(scope, existing, school, day, partial)
    if control:
        todo = [t for t in todo if t[1].id.startswith(control)]
    if not todo:
        console.print(f"Nothing to attest for {found.info.name}: every control asked is attested.")
        raise typer.Exit(EXIT_OK)
    console.print(f"{len(todo)} controls to attest for {found.info.name} on {day}.")
    answers = _walk(todo, found, day)
    if not answers:
        console.print("Nothing recorded.")
        raise typer.Exit(EXIT_OK)
    _write(folder / f"{school}.yml", found, answers, controls, {s.id for s in model.schools})


def _write(
    path: Path, school: School, answers: list[Attestation], controls: set[str], schools: set[str]
) -> None:
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    append_attestations(path, school, answers)
    _, problems = load_attestations(path.parent, schools, controls)
    problems = [p for p in problems if p.path == path]
    if problems:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
        print_problems(problems)
        fail(f"{path} could not be read back as a scan reads it; left as it was")
    console.print(f"Recorded {len(answers)} attestations in {path}.")
