"""``matops results``: merge per-school results, say what changed, apply the fail rule.

These are the steps a scheduled CI pipeline runs after one ``matops scan --school`` job per
school (templates in ``ci-templates/``; docs/ci.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from matops.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    console,
    err_console,
    fail,
)
from matops.report.compare import Change, Changes, compare, load_results
from matops.report.merge import MergeError, merge
from matops.report.model import SchoolStanding
from matops.report.standing import not_judged_sentence, school_standing
from matops.scan.model import Finding, Severity, Skipped
from matops.scan.results import Results, write_results
from matops.scan.runner import at_or_above

app = typer.Typer(
    help="Merge per-school results, compare two scans, apply the --fail-on rule.",
    no_args_is_help=True,
)

FAIL_ON = ["critical", "high", "medium", "low", "never"]

_HEADINGS = {
    "new_failures": "New failures",
    "regressed": "Regressed (passed before)",
    "fixed": "Fixed",
    "newly_waived": "Newly waived",
    "unverified": "No longer verifiable (error or unreachable now)",
    "dropped": "Failing before, not assessed now",
}


def _load(path: Path) -> Results:
    """A results document, or exit 2 with the reason."""
    try:
        return load_results(path)
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror or exc}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        fail(f"{path}: not a matops results document ({where}: {first['msg']})")


@app.command("merge")
def merge_command(
    inputs: Annotated[
        list[Path], typer.Argument(help="Per-school results files.", show_default=False)
    ],
    output: Annotated[Path, typer.Option(help="Where to write the merged results.")],
) -> None:
    """Merge per-school results of one scan into one trust result.

    Refuses (exit 2) inputs from different inventory commits, trusts, schema or matops
    versions, scan modes, scan dates or --fail-on thresholds, and a school present twice.

    Example: matops results merge per-school/*.json --output results/all.json
    """
    loaded = [(str(path), _load(path)) for path in inputs]
    try:
        merged = merge(loaded)
    except MergeError as exc:
        for problem in exc.problems:
            err_console.print(f"error: {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    write_results(merged, output)
    summary = merged.summary
    console.print(
        f"merged {len(inputs)} file(s): {len(merged.scan.schools)} school(s), "
        f"{summary.findings} finding(s), {summary.skipped} not assessed → {output}",
        highlight=False,
        markup=False,
    )


def _change_line(c: Change) -> str:
    """One change on one line (never truncated, so CI logs keep every name)."""
    return (
        f"  {c.severity or '-':8} {c.school}/{c.target}  {c.check}  "
        f"{c.before or 'absent'} -> {c.after or 'absent'}  {c.detail}"
    )


def _print_changes(changes: Changes) -> None:
    if changes.is_empty():
        console.print("no changes since the previous scan")
        return
    for name, title in _HEADINGS.items():
        items: list[Change] = getattr(changes, name)
        if items:
            console.print(f"{title} ({len(items)})", markup=False, highlight=False)
            for change in items:
                console.print(_change_line(change), markup=False, highlight=False)
    for waiver in changes.expired_waivers:
        scope = f"{waiver.scope} {waiver.name}" if waiver.name else waiver.scope
        console.print(
            f"waiver expired: {waiver.check} ({scope}) on {waiver.expires}, {waiver.source}",
            markup=False,
            highlight=False,
        )
    for att in changes.expired_attestations:
        console.print(
            f"attestation expired: {att.school} {att.control} on {att.expires}, {att.source}",
            markup=False,
            highlight=False,
        )
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in changes.counts().items() if v)
    console.print(counts, highlight=False)


@app.command("diff")
def diff_command(
    previous: Annotated[Path, typer.Argument(help="The earlier results.", show_default=False)],
    current: Annotated[Path, typer.Argument(help="The later results.", show_default=False)],
    fail_on_new: Annotated[
        bool,
        typer.Option("--fail-on-new", help="Exit 1 when anything fails now that did not before."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Say what changed between two scans: new failures, regressions, fixes, waivers, expiries.

    Exit 0, or 1 with --fail-on-new when there are new failures or regressions; 2 on a bad file.

    Example: matops results diff results/last-night.json results/all.json --fail-on-new
    """
    changes = compare(_load(previous), _load(current))
    if as_json:
        print(changes.model_dump_json(indent=2))
    else:
        _print_changes(changes)
    if fail_on_new and (changes.new_failures or changes.regressed):
        raise typer.Exit(EXIT_FINDINGS)


@app.command("check")
def check_command(
    results: Annotated[Path, typer.Argument(help="Results file (merged or not).")],
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 for findings at or above: " + "|".join(FAIL_ON))
    ] = "high",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Apply matops scan's exit rule to a results file (e.g. after merging per-school scans).

    Exit 0 when nothing failing, erroring or unreachable is at or above --fail-on, 1 when
    something is or a waiver has expired (whatever --fail-on says), 2 on a usage error.

    Example: matops results check results/all.json --fail-on high
    """
    if fail_on not in FAIL_ON:
        fail(f"--fail-on must be one of {', '.join(FAIL_ON)}")
    document = _load(results)
    threshold = None if fail_on == "never" else Severity(fail_on)
    blocking = at_or_above(document.findings, threshold)
    expired = document.expired_waivers
    unjudged = _not_judged(document)
    if as_json:
        report = {
            "fail_on": fail_on,
            "blocking": len(blocking),
            "blocking_by_severity": _by_severity(blocking),
            "expired_waivers": len(expired),
            "expired_attestations": len(document.expired_attestations),
            "not_judged": {school: s.not_judged_by_status for school, s in unjudged.items()},
        }
        print(json.dumps(report, indent=2))
    else:
        console.print(
            f"{len(blocking)} finding(s) at or above {fail_on} "
            f"({_describe(_by_severity(blocking))}); {len(expired)} expired waiver(s); "
            f"{len(document.expired_attestations)} expired attestation(s)",
            highlight=False,
            markup=False,
        )
        if sentence := not_judged_sentence(document.summary.by_status):
            console.print(sentence, highlight=False, markup=False)
        for school, standing in unjudged.items():
            console.print(f"{school}: {standing.headline}", highlight=False, markup=False)
    raise typer.Exit(EXIT_FINDINGS if blocking or expired else EXIT_OK)


def _not_judged(document: Results) -> dict[str, SchoolStanding]:
    """Schools with any check that gave no verdict, with their headline."""
    by_school: dict[str, list[Finding]] = {}
    for finding in document.findings:
        by_school.setdefault(finding.school, []).append(finding)
    skipped: dict[str, list[Skipped]] = {}
    for item in document.skipped:
        skipped.setdefault(item.school, []).append(item)
    standings = {
        school: school_standing(school, items, skipped.get(school, []))
        for school, items in sorted(by_school.items())
    }
    return {s: standing for s, standing in standings.items() if standing.not_judged}


def _by_severity(findings: list[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: -f.severity.rank):
        counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
    return counts


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}" for s, n in counts.items()) or "none"
