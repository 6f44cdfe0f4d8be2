"""Package lists were refreshed successfully within the trust's limit, from every source."""

from __future__ import annotations

from datetime import date

from matops.facts.linux.model import AptState
from matops.scan.verdict import Verdict, failed, listing, passed


def judge(apt_state: AptState, apt_list_max_age_days: int, scan_date: date) -> Verdict:
    """Fail without a success stamp, with one older than the limit, or with a suite never
    fetched; the evidence names the stamp's date and the suites."""
    if not apt_state.sources:
        return failed("no APT source is configured: there are no package lists to refresh")
    never = sorted(
        {
            f"{suite} from {src.uri}"
            for src in apt_state.sources
            for suite in src.suites
            if apt_state.fetched(src.uri, suite) is None
        }
    )
    stamp = apt_state.last_update_success
    problems = []
    if stamp is None:
        problems.append("apt has no record of a successful package-list refresh")
    else:
        age = (scan_date - stamp.date()).days
        if age > apt_list_max_age_days:
            problems.append(
                f"the last successful package-list refresh was {stamp:%Y-%m-%d %H:%M} UTC, "
                f"{age} days ago (limit {apt_list_max_age_days})"
            )
    if never:
        problems.append(f"apt has never fetched {listing(never, 5)}")
    expired = sorted(
        {
            f"{suite} (valid until {release.valid_until:%Y-%m-%d})"
            for src in apt_state.sources
            for suite in src.suites
            if (release := apt_state.fetched(src.uri, suite)) is not None
            and release.valid_until is not None
            and release.valid_until.date() < scan_date
        }
    )
    if expired:
        problems.append(f"apt has not refreshed {listing(expired, 5)} since it expired")
    if problems:
        return failed("; ".join(problems))
    assert stamp is not None
    return passed(f"last successful refresh {stamp:%Y-%m-%d %H:%M} UTC, every suite fetched")
