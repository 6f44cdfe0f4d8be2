"""Words for people: plain-English control verdicts and file-name slugs.

Framework titles and area names are the framework files' own (``checks/frameworks/``).
"""

from __future__ import annotations

import re

from matops.scan.controls import ControlResult, ControlStatus
from matops.scan.frameworks import Automation
from matops.scan.model import Status

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(name: str) -> str:
    """A safe file name for a target or school.

    >>> slug("oak-sw01"), slug("../x y")
    ('oak-sw01', '_x_y')
    """
    cleaned = _UNSAFE.sub("_", name).lstrip(".")
    return cleaned or "_"


def _checks_sentence(counts: dict[str, int]) -> str:
    ran = sum(n for s, n in counts.items() if Status(s).ran)
    if not ran:
        return "No automated check has looked at this yet."
    passed = counts.get("pass", 0)
    failed = counts.get("fail", 0)
    parts = [f"{passed} of {ran} automated checks passed"]
    if failed:
        parts.append(f"{failed} failed")
    if counts.get("waived"):
        parts.append(f"{counts['waived']} covered by an accepted risk")
    unknown = {s.value: counts[s.value] for s in Status.not_judged_order() if counts.get(s.value)}
    if unknown:
        why = ", ".join(f"{s}: {n}" for s, n in unknown.items())
        parts.append(f"{sum(unknown.values())} could not be checked ({why})")
    return ", ".join(parts) + "."


def _attestation_sentence(result: ControlResult) -> str:
    att = result.attestation
    if result.automation is Automation.AUTOMATED:
        return ""
    if att is None:
        return " Nobody has yet confirmed the parts a scan cannot see."
    if att.expired:
        return f" The confirmation from {att.by} expired on {att.expires} and needs renewing."
    return f" Confirmed by {att.by} on {att.date} (valid until {att.expires})."


_OPENING = {
    ControlStatus.MET: "In place.",
    ControlStatus.PARTLY_MET: "Partly in place: some devices or parts still need work.",
    ControlStatus.NOT_MET: "Not in place.",
    ControlStatus.NOT_ASSESSED: "Not yet assessed.",
    ControlStatus.NOT_VERIFIED: (
        "Could not be verified: the scan tried, but no check gave a verdict, so there is no "
        "evidence either way."
    ),
    ControlStatus.ACCEPTED_RISK: "A known gap the trust has formally accepted for now.",
}


def _opening(result: ControlResult) -> str:
    """Partly met with nothing failing means partly *unverified*: say so, not "needs work"."""
    counts = result.checks
    unknown = sum(n for s, n in counts.items() if Status(s).not_judged)
    if result.status is not ControlStatus.PARTLY_MET or counts.get("fail") or not unknown:
        return _OPENING[result.status]
    if counts.get("pass") or counts.get("waived"):
        return (
            "Partly verified: what could be checked is in place, but some checks gave no verdict."
        )
    return "Partly verified: confirmed by hand, but no automated check gave a verdict."


def verdict(result: ControlResult) -> str:
    """The control's position in plain English, for governors.

    >>> from matops.scan.controls import ControlResult
    >>> r = ControlResult(id="CE-FW-01", title="t" * 5, automation="automated",
    ...                   status="partly_met", checks={"pass": 3, "fail": 1})
    >>> verdict(r)
    'Partly in place: some devices or parts still need work. 3 of 4 automated checks passed, 1 failed.'
    >>> verdict(r.model_copy(update={"status": "not_verified", "checks": {"error": 2}}))
    'Could not be verified: the scan tried, but no check gave a verdict, so there is no evidence either way. 0 of 2 automated checks passed, 2 could not be checked (error: 2).'
    """  # noqa: E501
    text = _opening(result)
    if result.automation is not Automation.MANUAL:
        text += " " + _checks_sentence(result.checks)
    return text + _attestation_sentence(result)
