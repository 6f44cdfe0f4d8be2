"""Cron's files and folders and sshd_config are root's alone (no access for group or others)."""

from __future__ import annotations

from matops.facts.linux.model import FileMode
from matops.scan.verdict import Verdict, errored, listing, verdict_for

PATHS = (
    "/etc/crontab", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly",
    "/etc/cron.monthly", "/etc/ssh/sshd_config",
)  # fmt: skip


def judge(restricted_paths: dict[str, FileMode | None]) -> Verdict:
    """Fail for each path that exists and gives its group or others any access, or that root
    does not own. A path that does not exist (cron not installed) is left out."""
    unseen = [path for path in PATHS if path not in restricted_paths]
    if unseen:
        return errored(f"not looked at: {listing(unseen)}")
    problems = []
    for path in PATHS:
        found = restricted_paths[path]
        if found is None:
            continue
        if int(found.mode, 8) & 0o077:
            problems.append(f"{path} mode {found.mode}")
        if found.user != "root":
            problems.append(f"{path} owned by {found.user}")
    present = sum(1 for path in PATHS if restricted_paths[path] is not None)
    return verdict_for(problems, f"{present} cron and sshd paths are root's alone")
