"""No file under system paths is writable by every user."""

from __future__ import annotations

from matops.scan.verdict import Verdict, verdict_for


def judge(world_writable_files: list[str]) -> Verdict:
    """Fail listing world-writable files."""
    return verdict_for(world_writable_files, "no world-writable system files", "world-writable: ")
