"""The system clock is synchronised over NTP."""

from __future__ import annotations

from matops.facts.linux.model import Timedatectl, Virtualisation
from matops.scan.verdict import Verdict, not_applicable, verdict_for


def judge(timedatectl: Timedatectl, virtualisation: Virtualisation) -> Verdict:
    """Fail unless NTP is enabled and the clock reports synchronised; n/a in a container."""
    if virtualisation.in_container:
        return not_applicable(
            f"not possible in a container ({virtualisation.container}): the clock belongs to the "
            "machine the container runs on, so synchronise the machine instead"
        )
    problems = []
    if timedatectl.get("NTP") != "yes":
        problems.append("NTP synchronisation is disabled")
    if timedatectl.get("NTPSynchronized") != "yes":
        problems.append("clock is not synchronised")
    return verdict_for(problems, "clock synchronised over NTP")
