"""Core dumps are disabled."""

from __future__ import annotations

from matops.facts.linux.model import Coredump
from matops.scan.verdict import Verdict, verdict_for


def judge(coredump: Coredump) -> Verdict:
    """Fail unless the hard core limit is 0, suid_dumpable is 0 and systemd stores none."""
    problems = []
    if coredump.hard_core_limit != "0":
        problems.append(f"hard core limit is {coredump.hard_core_limit or 'unlimited'}")
    if coredump.suid_dumpable != 0:
        problems.append(f"fs.suid_dumpable = {coredump.suid_dumpable}")
    if coredump.systemd_storage not in (None, "none"):
        problems.append(f"systemd-coredump Storage={coredump.systemd_storage}")
    return verdict_for(problems, "core dumps disabled")
