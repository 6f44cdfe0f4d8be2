"""What a dialect's configuration language looks like, as data the CLI engine consults.

A :class:`Syntax` says which lines open a sub-mode (and its prompt), which lines belong to a
sub-mode when typed without indentation, how lines replace each other, how secrets are
stored and how the config is rendered. ``ios_syntax`` and ``aoscx_syntax`` fill it in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from switchsim.config_tree import LineRules, Node, render

GLOBAL = "global"

RankTable = tuple[tuple[re.Pattern[str], int], ...]
"""``(pattern, rank)`` pairs: where a line is shown among its siblings (lower first)."""


@dataclass(frozen=True)
class Mode:
    """A configuration sub-mode: its family (grammar) and the prompt text inside brackets."""

    family: str
    prompt: str


@dataclass(frozen=True)
class Opener:
    """A line that opens a sub-mode when typed in mode ``parent``.

    ``prompt`` may use ``{1}``, ``{2}``… for the regex groups (AOS-CX ``config-vlan-{1}``).
    """

    parent: str
    pattern: re.Pattern[str]
    family: str
    prompt: str


def opener(parent: str, pattern: str, family: str, prompt: str) -> Opener:
    """Build an :class:`Opener` from a regex string."""
    return Opener(parent, re.compile(pattern), family, prompt)


def _no_secrets(family: str, text: str, root: Node) -> str:
    """Default secret handling: store the line as typed."""
    return text


@dataclass(frozen=True)
class Syntax:
    """Everything dialect-specific about configuration lines.

    ``secrets(family, text, running_root)`` rewrites a line before it is stored (hashing
    plaintext passwords, as the real device does).
    """

    name: str
    indent: str
    openers: tuple[Opener, ...]
    children: Mapping[str, re.Pattern[str]]
    rules: LineRules
    banner_delim: str | None = None
    separator: str | None = None
    separate: Callable[[Node, Node | None], bool] | None = None
    hidden: re.Pattern[str] | None = None
    secrets: Callable[[str, str, Node], str] = _no_secrets
    exit_markers: frozenset[str] = field(default_factory=frozenset)

    def opens(self, parent_family: str, text: str) -> Mode | None:
        """Return the mode ``text`` opens when typed in ``parent_family``, if any.

        Example:
            >>> from switchsim.ios_syntax import IOS
            >>> IOS.opens("global", "interface GigabitEthernet1/0/1")
            Mode(family='if', prompt='config-if')
        """
        for candidate in self.openers:
            if candidate.parent != parent_family:
                continue
            found = candidate.pattern.search(text)
            if found:
                return Mode(
                    candidate.family, candidate.prompt.format(found.group(0), *found.groups())
                )
        return None

    def accepts(self, family: str, text: str) -> bool:
        """Whether an unindented ``text`` belongs to the sub-mode ``family``.

        ``no`` and ``default`` prefixes are ignored; unknown families accept nothing (their
        children are recognised by indentation only).
        """
        grammar = self.children.get(family)
        if grammar is None:
            return False
        bare = re.sub(r"^(no|default)\s+", "", text)
        return bool(grammar.search(bare))

    def render(self, root: Node, *, show: bool) -> list[str]:
        """Render ``root``; ``show`` hides what the device never displays."""
        hidden = self.hidden
        hide = (lambda text: bool(hidden.search(text))) if show and hidden else None
        return render(
            root,
            indent=self.indent,
            banner_delim=self.banner_delim,
            separator=self.separator,
            separate=self.separate,
            hide=hide,
        )


def words(*alternatives: str) -> re.Pattern[str]:
    """Compile a grammar: a line belongs when it starts with one of ``alternatives``.

    Each alternative is a regex matched at the start of the line and followed by a word
    boundary or end of line.

    Example:
        >>> bool(words("name", "state").search("name STAFF"))
        True
    """
    return re.compile(r"^(?:" + "|".join(alternatives) + r")(?:\s|$)")


def rank_table(*pairs: tuple[str, int]) -> RankTable:
    """Compile ``(regex, rank)`` pairs into a :data:`RankTable`."""
    return tuple((re.compile(pattern), rank) for pattern, rank in pairs)


def rank_in(table: RankTable, text: str, default: int) -> int:
    """The rank of the first pattern in ``table`` found in ``text``, else ``default``.

    Example:
        >>> rank_in(rank_table((r"^hostname ", 0), (r"^vlan ", 50)), "vlan 10", 45)
        50
    """
    for pattern, rank in table:
        if pattern.search(text):
            return rank
    return default


def expand_ids(spec: str) -> list[int]:
    """Expand a VLAN list such as ``10,20-22`` into sorted unique numbers.

    Example:
        >>> expand_ids("30,10-12")
        [10, 11, 12, 30]
    """
    found: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        start, end = int(low), int(high or low)
        if start > end or end > 4094:
            raise ValueError(spec)
        found.update(range(start, end + 1))
    return sorted(found)


def compress_ids(ids: list[int]) -> str:
    """Render numbers as a compact VLAN list.

    Example:
        >>> compress_ids([1, 2, 3, 10])
        '1-3,10'
    """
    parts: list[str] = []
    ordered = sorted(set(ids))
    index = 0
    while index < len(ordered):
        end = index
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        low, high = ordered[index], ordered[end]
        parts.append(str(low) if low == high else f"{low}-{high}")
        index = end + 1
    return ",".join(parts)
