"""Core dumps are disabled."""

from __future__ import annotations

from matops.facts.linux.model import Coredump, Virtualisation
from matops.scan.verdict import Verdict, verdict_for

CONTAINER_NOTE = "; fs.suid_dumpable not judged: not possible in a container (the machine's sysctl)"


def judge(coredump: Coredump, virtualisation: Virtualisation) -> Verdict:
    """Fail unless the hard core limit is 0, suid_dumpable is 0 and systemd stores none.

    In a container ``fs.suid_dumpable`` is the machine's setting and read-only, so only the
    limits and systemd-coredump, which the container does control, are judged.
    """
    problems = []
    if coredump.hard_core_limit != "0":
        problems.append(f"hard core limit is {coredump.hard_core_limit or 'unlimited'}")
    if coredump.suid_dumpable != 0 and not virtualisation.in_container:
        problems.append(f"fs.suid_dumpable = {coredump.suid_dumpable}")
    if coredump.systemd_storage not in (None, "none"):
        problems.append(f"systemd-coredump Storage={coredump.systemd_storage}")
    note = CONTAINER_NOTE if virtualisation.in_container else ""
    verdict = verdict_for(problems, "core dumps disabled" + note)
    return verdict.model_copy(update={"detail": verdict.detail + note}) if problems else verdict
