"""root is the only account with user ID 0."""

from __future__ import annotations

from matops.facts.linux.model import PasswdEntry
from matops.scan.verdict import Verdict, verdict_for


def judge(passwd: list[PasswdEntry]) -> Verdict:
    """Fail listing UID 0 accounts other than root."""
    extra = [entry.name for entry in passwd if entry.uid == 0 and entry.name != "root"]
    return verdict_for(extra, "only root has UID 0", "UID 0 accounts besides root: ")
