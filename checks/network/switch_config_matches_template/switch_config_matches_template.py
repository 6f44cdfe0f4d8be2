"""The switch configuration matches the trust's template (no drift)."""

from __future__ import annotations

from matops.scan.verdict import Verdict, failed, listing, passed


def _command(line: str) -> str:
    """The first two words of a remediation line (values may be secrets)."""
    return " ".join(line.split()[:2])


def judge(config_remediation: list[str]) -> Verdict:
    """Pass when no remediation lines are needed to reach the template."""
    lines = [line for line in config_remediation if line.strip()]
    if not lines:
        return passed("configuration matches the template")
    commands = sorted({_command(line) for line in lines})
    return failed(f"{len(lines)} line(s) to reach the template: {listing(commands, 6)}")
