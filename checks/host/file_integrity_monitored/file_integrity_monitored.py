"""File integrity is monitored (AIDE checks a baseline daily, debsums checks package files)."""

from __future__ import annotations

from matops.facts.linux.model import FileIntegrity
from matops.scan.verdict import Verdict, failed, passed

SCHEDULES = ("daily", "weekly", "monthly")
"""debsums' ``CRON_CHECK`` values that make its cron job run (``never`` is Debian's default)."""


def judge(file_integrity: FileIntegrity) -> Verdict:
    """Fail without AIDE, its database or its enabled daily timer, or without a debsums run."""
    timer, database = file_integrity.aide_timer, file_integrity.aide_database
    problems = []
    if timer.load != "loaded":
        problems.append("AIDE is not installed (no dailyaidecheck.timer)")
    elif timer.enabled != "enabled":
        problems.append(f"AIDE's daily check is not enabled (dailyaidecheck.timer {timer.enabled})")
    if timer.load == "loaded" and database is None:
        problems.append("AIDE has no database to compare with (aideinit never ran)")
    cron = file_integrity.debsums_cron
    if cron is None:
        problems.append("debsums is not installed or sets no CRON_CHECK")
    elif cron not in SCHEDULES:
        problems.append(f"debsums never runs (CRON_CHECK={cron})")
    if problems:
        return failed("; ".join(problems))
    written = database.date() if database else "?"  # not None here: its absence is a problem
    return passed(f"AIDE database of {written}, checked daily; debsums {cron}")
