"""Idle management sessions close within 15 minutes."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, verdict_for

LIMIT = 15 * 60


def _minutes(seconds: int) -> str:
    return "never" if seconds == 0 else f"{seconds / 60:g} min"


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail listing each line (or the CLI session default) that stays open too long."""
    default = running_config.default_exec_timeout_seconds
    lines = [(line.name, line.exec_timeout_seconds) for line in running_config.lines]
    if not lines:
        lines = [("cli sessions (default)", None)]
    problems = []
    for name, value in lines:
        seconds = default if value is None else value
        if seconds == 0 or seconds > LIMIT:
            problems.append(f"{name}: {_minutes(seconds)}")
    return verdict_for(problems, "idle sessions close within 15 minutes", "idle timeout too long: ")
