"""A tolerant reader of switch configs as devices print them, into hier_config trees.

hier_config's own loader (3.7.1) raises on forms real devices print every day: a one-line banner
(``banner motd ^Chello^C``), a stray leading space before ``interface``, top-level ``exit`` lines or
any repeated line (``DuplicateChildError``), and it drops ``no ip address``. matops therefore reads
the text itself, line by line, and builds the hier_config tree with hier_config's own objects:

* header lines (``Building configuration...``, ``Current configuration : N bytes``,
  ``Using N out of M bytes``, change stamps), ``!`` comments, ``end`` and ``exit`` are left out;
* banners are cut out with their own delimiter (``^C`` typed as two characters or a real control
  character, or any other character; IOS ends a banner at the next delimiter anywhere, AOS-CX at
  a line holding only the delimiter) and kept as one child ``banner <kind>`` + text;
* a top-level command printed with a stray indent (``interface``, ``line``, or on IOS any
  indented line right after a top-level ``!``) is read at the top level;
* a repeated line or section is merged into the first one;
* ``interface range`` (IOS) and ``interface 1/1/1-1/1/4`` (AOS-CX) are expanded per port.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hier_config import HConfig, HConfigChild, get_hconfig_driver

from matops.platforms import config_reader

_HEADER = re.compile(
    r"^\s*(!\s*)?(Building configuration|Current configuration|Last configuration change|"
    r"NVRAM config last updated|No configuration change since|ntp clock-period|"
    r"Startup config|Using \d+ out of \d+ bytes)"
)
_BANNER = re.compile(r"^\s*banner (\S+)(?: (.*))?$")
_CARET_C = ("^C", "\x03")


@dataclass
class Loaded:
    """A config read by :func:`load`: its tree and its banners by kind (``motd``, ``login``…)."""

    tree: HConfig
    banners: dict[str, str] = field(default_factory=dict)
    unterminated_banner: str | None = None
    """The kind of a banner whose closing delimiter never came (a cut-off config)."""


def _delimiter(rest: str) -> str:
    """The banner delimiter at the start of ``rest`` (``^C`` counts as one delimiter)."""
    if rest.startswith(_CARET_C):
        return "^C" if rest.startswith("^C") else "\x03"
    return rest[:1]


def _closing(line: str, delimiter: str, platform: str) -> int:
    """Where the closing ``delimiter`` is in ``line`` (-1 when the banner goes on)."""
    if config_reader(platform).banner_ends_on_own_line:
        return 0 if line.strip() == delimiter else -1
    if delimiter in _CARET_C:
        found = [i for i in (line.find("^C"), line.find("\x03")) if i >= 0]
        return min(found) if found else -1
    return line.find(delimiter)


def _read_banner(lines: list[str], start: int, rest: str, platform: str) -> tuple[str, int, bool]:
    """Banner body from ``rest`` (text after ``banner <kind> ``) and the following lines.

    Returns the body, the index of the line after the banner, and whether it was closed.
    """
    delimiter = _delimiter(rest.lstrip())
    if not delimiter:
        return "", start + 1, True
    after = rest.lstrip()[len(delimiter) :]
    body: list[str] = []
    own_line = config_reader(platform).banner_ends_on_own_line
    if not own_line and (end := _closing(after, delimiter, platform)) >= 0:
        return after[:end].strip(), start + 1, True
    if after.strip():
        body.append(after)
    index = start + 1
    while index < len(lines):
        line = lines[index]
        end = _closing(line, delimiter, platform)
        if end >= 0:
            body.append(line[:end])
            return "\n".join(body).strip("\n").strip(), index + 1, True
        body.append(line)
        index += 1
    return "\n".join(body).strip(), index, False


_IOS_RANGE = re.compile(r"^interface range (.+)$")
_IOS_PART = re.compile(r"^\s*([A-Za-z-]+)\s*([\d/]*?)(\d+)\s*(?:-\s*(\d+))?\s*$")
_CX_RANGE = re.compile(r"^interface ((?:\d+/)*)(\d+)-((?:\d+/)*)(\d+)$")


def expand_range(text: str) -> list[str]:
    """``interface range Gi1/0/1 - 3`` or ``interface 1/1/1-1/1/3`` → one line per port.

    >>> expand_range("interface range GigabitEthernet1/0/1 - 2, Gi1/0/9")
    ['interface GigabitEthernet1/0/1', 'interface GigabitEthernet1/0/2', 'interface Gi1/0/9']
    >>> expand_range("interface 1/1/1-1/1/2")
    ['interface 1/1/1', 'interface 1/1/2']
    """
    if (cx := _CX_RANGE.match(text)) is not None and cx[1] == cx[3]:
        return [f"interface {cx[1]}{n}" for n in range(int(cx[2]), int(cx[4]) + 1)]
    if (ios := _IOS_RANGE.match(text)) is None:
        return [text]
    ports: list[str] = []
    for part in ios[1].split(","):
        found = _IOS_PART.match(part)
        if found is None:
            return [text]
        kind, slot, first, last = found.groups()
        ports += [f"interface {kind}{slot}{n}" for n in range(int(first), int(last or first) + 1)]
    return ports


def _skipped(stripped: str) -> bool:
    """Lines that are not configuration: comments, headers, ``end``, ``exit``."""
    return (
        not stripped
        or stripped.startswith(("!", "#"))
        or stripped in {"end", "exit"}
        or _HEADER.match(stripped) is not None
    )


@dataclass
class _Builder:
    """Builds the tree: a stack of (indent, node) from the root down to the last line read."""

    root: HConfig
    platform: str
    stack: list[tuple[int, Any]] = field(default_factory=list)
    after_separator: bool = True

    def add(self, indent: int, text: str) -> None:
        # AOS-CX prints a top-level ``!`` inside ``router bgp`` before ``    vrf X``; IOS never does
        reader = config_reader(self.platform)
        separator = self.after_separator and reader.indent_after_separator_is_top
        if indent and (separator or text.startswith(reader.top_level)):
            indent = 0
        self.after_separator = False
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else self.root
        if indent == 0 and text.startswith("interface "):
            nodes = [self.root.add_child(t, return_if_present=True) for t in expand_range(text)]
            self.stack = [(0, _Fanout(nodes))] if len(nodes) > 1 else [(0, nodes[0])]
            return
        node = parent.add_child(text, return_if_present=True)
        self.stack.append((indent, node))


class _Fanout:
    """Stands for every port of an interface range: a child line goes under each of them."""

    def __init__(self, nodes: list[Any]) -> None:
        self.nodes = nodes

    def add_child(self, text: str, *, return_if_present: bool = True) -> _Fanout:
        return _Fanout([n.add_child(text, return_if_present=return_if_present) for n in self.nodes])


def load(platform: str, text: str) -> Loaded:
    """Read ``text`` (a config as a ``platform`` device prints it) tolerantly; never raises on
    a config a device could print. ValueError names the valid platforms for an unknown one.

    >>> loaded = load("cisco_ios", "banner motd ^CStaff only^C\\n interface Gi1/0/1\\nexit\\n")
    >>> loaded.banners, [c.text for c in loaded.tree.children]
    ({'motd': 'Staff only'}, ['banner motd', 'interface Gi1/0/1'])
    """
    hc_platform = config_reader(platform).hier_platform
    loaded = Loaded(HConfig(get_hconfig_driver(hc_platform)))
    builder = _Builder(loaded.tree, platform)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        stripped = line.strip()
        banner = _BANNER.match(line)
        if banner is not None and (banner[2] or "").strip():
            body, index, closed = _read_banner(lines, index, banner[2] or "", platform)
            loaded.banners.setdefault(banner[1], body)
            node = loaded.tree.add_child(f"banner {banner[1]}", return_if_present=True)
            if body and not node.children:
                node.add_child(" ".join(body.split()))
            if not closed:
                loaded.unterminated_banner = banner[1]
            builder.stack, builder.after_separator = [], True
            continue
        index += 1
        if _skipped(stripped):
            if line.startswith("!"):
                builder.after_separator = True
            continue
        builder.add(len(line) - len(line.lstrip()), " ".join(stripped.split()))
    return loaded


def unterminated_banner(platform: str, text: str) -> str | None:
    """The kind of the first banner in ``text`` that never closes, or None (no tree is built).

    >>> unterminated_banner("cisco_ios", "banner motd ^C\\nStaff only\\nhostname a\\n")
    'motd'
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        banner = _BANNER.match(lines[index])
        if banner is None or not (banner[2] or "").strip():
            index += 1
            continue
        _, index, closed = _read_banner(lines, index, banner[2] or "", platform)
        if not closed:
            return banner[1]
    return None


def load_tree(platform: str, text: str) -> Any:
    """The hier_config tree of ``text`` for a netmiko ``platform`` (see :func:`load`)."""
    return load(platform, text).tree


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
