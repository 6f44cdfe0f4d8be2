"""sudo runs commands in a terminal of their own and logs them to a file."""

from __future__ import annotations

from matops.facts.linux.model import SudoDefaults
from matops.scan.verdict import Verdict, verdict_for


def judge(sudo_defaults: SudoDefaults) -> Verdict:
    """Fail unless the global Defaults turn ``use_pty`` on and name a ``logfile``."""
    problems = []
    if sudo_defaults.get("use_pty") != "true":
        problems.append("use_pty is off (a command can push keystrokes into the admin's shell)")
    logfile = sudo_defaults.get("logfile", "false")
    if logfile in ("false", ""):
        problems.append("no logfile (commands are only in the system journal)")
    return verdict_for(problems, f"use_pty on, commands logged to {logfile}")
