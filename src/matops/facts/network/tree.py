"""Small helpers over hier_config trees shared by the platform parsers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from hier_config import HConfigChild, Platform, get_hconfig

PLATFORMS: dict[str, Any] = {
    "cisco_ios": Platform.CISCO_IOS,
    "aruba_aoscx": Platform.ARUBA_AOSCX,
}
"""netmiko device_type → hier_config platform, for the platforms matops parses."""

_VOLATILE = (
    "Building configuration",
    "Current configuration",
    "Last configuration change",
    "NVRAM config last updated",
    "ntp clock-period",
    "Current configuration :",
    "Startup config",
)
_USING = re.compile(r"^Using \d+ out of \d+ bytes")
"""IOS ``show startup-config`` starts with this instead of the running config's header."""


def clean_lines(text: str) -> str:
    """Config text without the volatile header lines devices print around a config."""
    kept = [
        line
        for line in text.splitlines()
        if not line.lstrip("! ").startswith(_VOLATILE)
        and line.strip() != "end"
        and not _USING.match(line)
    ]
    return "\n".join(kept) + "\n"


def load_tree(platform: str, text: str) -> Any:
    """The hier_config tree of ``text`` for a netmiko ``platform``; ValueError names valid ones."""
    hc_platform = PLATFORMS.get(platform)
    if hc_platform is None:
        raise ValueError(
            f"cannot parse configs for platform {platform!r}; parsers exist for: "
            f"{', '.join(sorted(PLATFORMS))}"
        )
    return get_hconfig(hc_platform, clean_lines(text))


def children(node: Any, prefix: str) -> Iterator[HConfigChild]:
    """Direct children of ``node`` whose text starts with ``prefix``."""
    for child in node.children:
        if child.text.startswith(prefix):
            yield child


def first(node: Any, prefix: str) -> HConfigChild | None:
    """The first direct child starting with ``prefix``, or None."""
    return next(children(node, prefix), None)


def words_after(text: str, prefix: str) -> list[str]:
    """The words of ``text`` after ``prefix`` (``prefix`` must match at the start)."""
    return text[len(prefix) :].split()


def digest(tree: Any) -> tuple[str, int]:
    """Order-insensitive SHA-256 of every line with its parents, and the number of lines."""
    paths = sorted("\x1f".join(child.path()) for child in tree.all_children())
    return hashlib.sha256("\n".join(paths).encode()).hexdigest(), len(paths)


def banner_text(child: HConfigChild) -> str:
    """The text inside a multi-line banner (between the opening and closing delimiter lines)."""
    lines = child.text.splitlines()
    body = lines[1:]
    if body and body[-1].strip() in {"^C", "!", "#", "%", "$"} | {lines[0].split()[-1]}:
        body = body[:-1]
    return "\n".join(body).strip()


def expand_ids(spec: str) -> list[int]:
    """``"20,30,40-42"`` → ``[20, 30, 40, 41, 42]``; words that are not numbers are ignored.

    >>> expand_ids("20,30,40-42")
    [20, 30, 40, 41, 42]
    """
    result: list[int] = []
    for part in spec.split(","):
        first_id, _, last_id = part.strip().partition("-")
        if not first_id.isdigit() or (last_id and not last_id.isdigit()):
            continue
        result.extend(range(int(first_id), int(last_id or first_id) + 1))
    return result
