"""A school's headline: what may be claimed, with what could not be judged beside it.

Words used the same way in every format:

* **judged**: a check gave a verdict (``pass``, ``fail`` or ``waived``);
* **not judged**: the check ran but gave no verdict, ``error`` (something could not be read) or
  ``unreachable`` (the device could not be reached), always with the reason;
* **not assessed**: the check did not run for that subject in this scan (listed under
  ``skipped`` with the reason, e.g. host facts in an offline scan);
* **not applicable**: the check ran and found it does not apply.

Only a school whose every check that ran gave a verdict, none failing, reads "No failing
checks"; anything not judged makes it *incomplete* (or *not judged* when nothing was judged).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from matops.report.model import NotJudged, SchoolStanding, Standing
from matops.report.templates import clean
from matops.scan.model import Finding, Skipped, Status

_OPENING = {
    Standing.FAILING: "Failing checks found.",
    Standing.NOT_JUDGED: "Position unknown: no check could be judged.",
    Standing.INCOMPLETE: "Incomplete: no judged check failed, but some checks gave no verdict.",
    Standing.NO_FAILURES: "No failing checks.",
    Standing.NOT_ASSESSED: "Not assessed: no check ran for this school.",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def not_judged_by_status(counts: Mapping[str, int]) -> dict[str, int]:
    """Unreachable and error counts (zeros kept, unreachable first).

    >>> not_judged_by_status({"pass": 3, "error": 8, "unreachable": 15})
    {'unreachable': 15, 'error': 8}
    """
    return {s.value: counts.get(s.value, 0) for s in Status.not_judged_order()}


def standing_of(counts: Mapping[str, int]) -> Standing:
    """A school's standing from its findings per status.

    >>> standing_of({"error": 2}).value, standing_of({"pass": 5, "unreachable": 1}).value
    ('not_judged', 'incomplete')
    >>> standing_of({"pass": 5, "not_applicable": 2}).value, standing_of({}).value
    ('no_failures', 'not_assessed')
    """
    unknown = sum(not_judged_by_status(counts).values())
    judged = sum(counts.get(s.value, 0) for s in Status if s.judged)
    if counts.get("fail", 0):
        return Standing.FAILING
    if unknown:
        return Standing.INCOMPLETE if judged else Standing.NOT_JUDGED
    if judged or counts.get("not_applicable", 0):
        return Standing.NO_FAILURES
    return Standing.NOT_ASSESSED


def not_judged_sentence(counts: Mapping[str, int]) -> str:
    """ "Not judged: …" with the count per status, or ``""`` when everything was judged.

    >>> not_judged_sentence({"error": 8, "unreachable": 15})
    'Not judged: 23 checks gave no verdict (unreachable: 15, error: 8).'
    """
    parts = {s: n for s, n in not_judged_by_status(counts).items() if n}
    if not parts:
        return ""
    detail = ", ".join(f"{s}: {n}" for s, n in parts.items())
    return f"Not judged: {_plural(sum(parts.values()), 'check')} gave no verdict ({detail})."


def headline_text(counts: Mapping[str, int], not_assessed: int) -> str:
    """The school's headline sentence (counts only: fit for governors).

    >>> headline_text({"error": 8, "unreachable": 15}, 0)
    'Position unknown: no check could be judged. 0 passed, 0 failed. Not judged: 23 checks gave no verdict (unreachable: 15, error: 8).'
    """  # noqa: E501
    figures = f"{counts.get('pass', 0)} passed, {counts.get('fail', 0)} failed"
    if counts.get("waived"):
        figures += f", {counts['waived']} waived (accepted risk)"
    if counts.get("not_applicable"):
        figures += f", {counts['not_applicable']} not applicable"
    parts = [_OPENING[standing_of(counts)], figures + "."]
    if sentence := not_judged_sentence(counts):
        parts.append(sentence)
    if not_assessed:
        parts.append(f"Not assessed: {_plural(not_assessed, 'check')} did not run in this scan.")
    return " ".join(parts)


def group_not_judged(findings: Sequence[Finding]) -> list[NotJudged]:
    """Error and unreachable findings grouped by target, status and reason (every check named).

    >>> rows = [Finding(check=c, title="t", area="host", target="oak-srv01", subject="target",
    ...                 kind="linux", school="oak", status="unreachable", severity="high",
    ...                 detail="no SSH answer") for c in ("b_c", "a_b")]
    >>> [(g.target, g.status, g.reason, g.checks) for g in group_not_judged(rows)]
    [('oak-srv01', 'unreachable', 'no SSH answer', ['a_b', 'b_c'])]
    """
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for f in findings:
        if f.status.not_judged:
            key = (f.target, f.status.value, clean(f.detail), f.kind)
            groups.setdefault(key, []).append(f.check)
    return [
        NotJudged(target=t, kind=k, status=s, reason=r, checks=sorted(checks))
        for (t, s, r, k), checks in sorted(groups.items())
    ]


def school_standing(
    school: str, findings: Sequence[Finding], skipped: Sequence[Skipped]
) -> SchoolStanding:
    """Everything a school's headline says, from its findings and skipped checks."""
    counts = dict(Counter(f.status.value for f in findings))
    by_status = not_judged_by_status(counts)
    return SchoolStanding(
        school=school,
        standing=standing_of(counts),
        headline=headline_text(counts, len(skipped)),
        counts=counts,
        not_judged=sum(by_status.values()),
        not_judged_by_status=by_status,
        not_assessed=len(skipped),
        not_judged_findings=group_not_judged(findings),
    )
