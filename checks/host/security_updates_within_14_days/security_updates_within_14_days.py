"""No security update has been waiting more than 14 days."""

from __future__ import annotations

from datetime import date, timedelta

from matops.facts.linux.model import PendingUpdate
from matops.scan.verdict import Verdict, failed, listing, passed

WINDOW = timedelta(days=14)


def judge(apt_security_updates: list[PendingUpdate], scan_date: date) -> Verdict:
    """Fail listing security updates published more than 14 days ago (or of unknown age)."""
    if not apt_security_updates:
        return passed("no pending security updates")
    overdue = [
        f"{u.package} {u.version} ({u.published or 'date unknown'})"
        for u in apt_security_updates
        if u.published is None or scan_date - u.published > WINDOW
    ]
    if overdue:
        return failed(
            f"{len(overdue)} security update(s) older than 14 days: {listing(overdue, 5)}"
        )
    oldest = min(u.published for u in apt_security_updates if u.published is not None)
    days = (scan_date - oldest).days
    return passed(f"{len(apt_security_updates)} pending, oldest {days} day(s)")
