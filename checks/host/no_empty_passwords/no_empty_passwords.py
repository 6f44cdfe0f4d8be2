"""No local account has an empty password."""

from __future__ import annotations

from matops.facts.linux.model import ShadowEntry
from matops.scan.verdict import Verdict, verdict_for


def judge(shadow: list[ShadowEntry]) -> Verdict:
    """Fail listing accounts whose password field is empty."""
    empty = [e.name for e in shadow if e.password == "empty"]  # noqa: S105 - a state name
    return verdict_for(
        empty, f"{len(shadow)} accounts, none without a password", "empty password: "
    )
