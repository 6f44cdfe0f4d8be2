"""The system clock is synchronised over NTP."""

from __future__ import annotations

from matops.facts.linux.model import Timedatectl
from matops.scan.verdict import Verdict, verdict_for


def judge(timedatectl: Timedatectl) -> Verdict:
    """Fail unless NTP is enabled and the clock reports synchronised."""
    problems = []
    if timedatectl.get("NTP") != "yes":
        problems.append("NTP synchronisation is disabled")
    if timedatectl.get("NTPSynchronized") != "yes":
        problems.append("clock is not synchronised")
    return verdict_for(problems, "clock synchronised over NTP")
