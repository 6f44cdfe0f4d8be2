"""Comparing switch configurations in tests, as a person reading them would."""

from __future__ import annotations

from matops.platforms import network_platform


def config_lines(text: str) -> list[str]:
    """The config's lines in order within each section, sections sorted; headers dropped.

    A device may print top-level lines in another order after a rollback (IOS sorts some of
    them), and the simulator prints some defaults that IOS hides (``cdp run``, ``no lldp run``:
    the platform's ``defaults``); the configuration is the same.
    """
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(("!", "Building", "Current configuration")):
            continue
        if any(p.search(line) for p in network_platform("cisco_ios").defaults):
            continue
        if line.startswith(" ") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return ["\n".join(block) for block in sorted(blocks)]
