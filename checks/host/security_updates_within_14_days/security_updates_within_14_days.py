"""No security update has been waiting more than 14 days."""

from __future__ import annotations

from datetime import date, timedelta

from matops.facts.linux.model import AptState, PendingUpdate
from matops.scan.verdict import Verdict, failed, listing, passed

WINDOW = timedelta(days=14)


def _blind(apt_state: AptState, scan_date: date) -> str | None:
    """Why pending security updates cannot be seen at all, or None when they can."""
    suites = apt_state.security_suites()
    if not suites:
        return "no security suite in the APT sources"
    unseen = [suite for src, suite in suites if apt_state.fetched(src.uri, suite) is None]
    if unseen:
        return f"apt has never fetched {listing(unseen, 3)}"
    stamp = apt_state.last_update_success
    if stamp is None:
        return "apt has no record of a successful package-list refresh"
    if scan_date - stamp.date() > WINDOW:
        return f"the package lists were last refreshed successfully on {stamp:%Y-%m-%d}"
    return None


def _overdue(update: PendingUpdate, apt_state: AptState, scan_date: date) -> str | None:
    """Why ``update`` counts as overdue, or None when it is certainly within the window.

    The suite's Release date is the latest the update can have been published (overdue for
    certain when older than 14 days); its changelog date the earliest (within the window for
    certain when newer). Anything between cannot be shown to be within the window.
    """
    offered = apt_state.archive_date(update.archive)
    if offered is not None and scan_date - offered.date() > WINDOW:
        return f"in {update.archive} since {offered:%Y-%m-%d} or earlier"
    if update.published is not None and scan_date - update.published <= WINDOW:
        return None
    if update.published is not None:
        return f"published {update.published}"
    return "publication date unknown"


def judge(
    apt_security_updates: list[PendingUpdate], apt_state: AptState, scan_date: date
) -> Verdict:
    """Fail when pending security updates cannot be seen, or one is (or may be) overdue."""
    blind = _blind(apt_state, scan_date)
    if blind is not None:
        return failed(f"{blind}: pending security updates cannot be seen")
    overdue = [
        f"{u.package} {u.version} ({why})"
        for u in apt_security_updates
        if (why := _overdue(u, apt_state, scan_date)) is not None
    ]
    if overdue:
        return failed(
            f"{len(overdue)} security update(s) older than 14 days: {listing(overdue, 5)}"
        )
    if not apt_security_updates:
        return passed("no pending security updates")
    oldest = min(u.published for u in apt_security_updates if u.published is not None)
    days = (scan_date - oldest).days
    return passed(f"{len(apt_security_updates)} pending, oldest {days} day(s)")
