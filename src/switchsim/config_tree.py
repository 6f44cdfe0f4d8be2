"""Hierarchical switch configuration: parse text to a tree, edit it line by line, render it.

Pure module: no I/O, no knowledge of a particular vendor. What differs between dialects
(which lines replace each other, which negations are kept, where new lines go) comes in
through :class:`LineRules`.

Example:
    >>> root = parse("hostname sw1\\ninterface Gi1/0/1\\n description old\\n")
    >>> rules = LineRules()
    >>> _ = apply_line(root.children[1], "description new", "if", rules)
    >>> render(root, indent=" ")
    ['hostname sw1', 'interface Gi1/0/1', ' description old', ' description new']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

BANNER_RE = re.compile(r"^banner\s+(\S+)\s*(.*)$")
_SKIP_RE = re.compile(r"^(Building configuration|Current configuration|Using \d+ out of)")


@dataclass
class Node:
    """One configuration line; a section when it has children.

    A banner keeps its text between the delimiters in ``body`` and the delimiter that was
    typed in ``delim``.
    """

    text: str
    children: list[Node] = field(default_factory=list)
    body: str | None = None
    delim: str = ""

    def child(self, text: str) -> Node | None:
        """Return the direct child whose text is exactly ``text``."""
        for node in self.children:
            if node.text == text:
                return node
        return None

    def walk(self) -> Iterator[Node]:
        """Yield every descendant depth first (not the node itself)."""
        for node in self.children:
            yield node
            yield from node.walk()


@dataclass(frozen=True)
class Rule:
    """A regex rule, optionally limited to lines inside sections of given mode families.

    ``families`` holds mode family names (``"global"`` for the top level); ``None`` = any.
    """

    pattern: re.Pattern[str]
    families: frozenset[str] | None = None

    def match(self, text: str, family: str) -> re.Match[str] | None:
        """Match ``text`` when the rule applies to ``family``."""
        if self.families is not None and family not in self.families:
            return None
        return self.pattern.search(text)


def rule(pattern: str, *families: str) -> Rule:
    """Build a :class:`Rule` from a regex string and optional family names."""
    return Rule(re.compile(pattern), frozenset(families) if families else None)


@dataclass(frozen=True)
class LineRules:
    """How lines of one dialect interact when they are added or negated.

    - ``replace``: group 1 of the match is a key; a new line replaces the sibling with the
      same key (``hostname a`` replaces ``hostname b``).
    - ``kept_negations``: ``no X`` lines the device shows in its config (``no ip http server``).
    - ``exclusions``: (added, removed) pairs; adding a line matching the first removes
      siblings matching the second.
    - ``rank``: orders new lines among siblings: ``rank(family, text)``; ``None`` = append.
    - ``merge``: combines a new line with an existing sibling (VLAN lists); returns the
      merged text or ``None`` when it does not apply.
    """

    replace: tuple[Rule, ...] = ()
    kept_negations: tuple[Rule, ...] = ()
    exclusions: tuple[tuple[Rule, Rule], ...] = ()
    rank: Callable[[str, str], int] | None = None
    merge: Callable[[str, str, str], str | None] | None = None

    def key(self, text: str, family: str) -> tuple[int, str] | None:
        """Return (rule index, key) of the first replace rule matching ``text``."""
        for index, candidate in enumerate(self.replace):
            found = candidate.match(text, family)
            if found:
                return index, found.group(1)
        return None

    def keeps_negation(self, text: str, family: str) -> bool:
        """Whether ``text`` (a ``no ...`` line) stays in the config after it is applied."""
        return any(r.match(text, family) for r in self.kept_negations)


def _banner_from(first: str, lines: Iterator[str]) -> Node:
    """Read a banner starting at ``first`` (``banner motd ^C...``) from ``lines``."""
    found = BANNER_RE.match(first.strip())
    assert found is not None
    kind, rest = found.group(1), found.group(2)
    delim = "^C" if rest.startswith("^C") else rest[:1]
    body = rest[len(delim) :]
    while delim not in body:
        try:
            body += "\n" + next(lines).rstrip("\r")
        except StopIteration:
            break
    return Node(f"banner {kind}", body=body.split(delim, 1)[0], delim=delim)


def parse(text: str) -> Node:
    """Parse configuration text into a tree; indentation defines the hierarchy.

    Comment (``!``) and blank lines, ``end`` and the ``Building configuration`` header are
    dropped. Banners become single nodes.

    Example:
        >>> [c.text for c in parse("vlan 10\\n name STAFF\\n!\\nend\\n").children]
        ['vlan 10']
    """
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    lines = iter(text.splitlines())
    for raw in lines:
        line = raw.rstrip("\r").rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or _SKIP_RE.match(stripped):
            continue
        if stripped == "end" and line == stripped:
            continue
        indent = len(line) - len(line.lstrip())
        while stack[-1][0] >= indent:
            stack.pop()
        banner = BANNER_RE.match(stripped)
        node = _banner_from(stripped, lines) if banner and banner.group(2) else Node(stripped)
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    return root


def render_banner(node: Node, delim: str | None = None) -> list[str]:
    """Render a banner node; ``delim`` overrides the stored delimiter (IOS shows ``^C``)."""
    mark = node.delim if delim is None else delim
    return f"{node.text} {mark}{node.body or ''}{mark}".split("\n")


def render(
    root: Node,
    *,
    indent: str,
    banner_delim: str | None = None,
    separator: str | None = None,
    separate: Callable[[Node, Node | None], bool] | None = None,
    hide: Callable[[str], bool] | None = None,
) -> list[str]:
    """Render the tree as config lines.

    ``separator`` (IOS: ``!``) follows a top-level line when ``separate(line, next_line)``
    says so (by default: after each section); ``hide`` drops top-level lines the device
    never shows (IOS SNMPv3 users).
    """
    visible = [n for n in root.children if hide is None or not hide(n.text)]
    out: list[str] = []
    for index, node in enumerate(visible):
        if node.body is not None:
            out.extend(render_banner(node, banner_delim))
        else:
            out.append(node.text)
            out.extend(_render_children(node, indent, indent))
        if separator is None:
            continue
        following = visible[index + 1] if index + 1 < len(visible) else None
        if separate(node, following) if separate is not None else bool(node.children):
            out.append(separator)
    return out


def _render_children(node: Node, prefix: str, indent: str) -> list[str]:
    """Render the descendants of ``node`` with ``prefix`` indentation."""
    out: list[str] = []
    for child in node.children:
        out.append(prefix + child.text)
        out.extend(_render_children(child, prefix + indent, indent))
    return out


def _insert(parent: Node, node: Node, family: str, rules: LineRules, at: int | None) -> None:
    """Insert ``node`` at index ``at``, else by rank, else at the end."""
    if at is not None:
        parent.children.insert(at, node)
        return
    if rules.rank is not None:
        mine = rules.rank(family, node.text)
        for index, sibling in enumerate(parent.children):
            if rules.rank(family, sibling.text) > mine:
                parent.children.insert(index, node)
                return
    parent.children.append(node)


def _remove_where(parent: Node, test: Callable[[Node], bool]) -> int | None:
    """Remove children passing ``test``; return the index of the first one removed."""
    first: int | None = None
    kept: list[Node] = []
    for index, node in enumerate(parent.children):
        if test(node):
            first = index if first is None else first
        else:
            kept.append(node)
    parent.children = kept
    return first


def _matcher(candidate: Rule, family: str) -> Callable[[Node], bool]:
    """A node predicate: does ``candidate`` match the node's text in ``family``."""
    return lambda node: candidate.match(node.text, family) is not None


def apply_line(parent: Node, text: str, family: str, rules: LineRules) -> Node:
    """Add the positive line ``text`` under ``parent`` (a section of mode ``family``).

    Idempotent: an identical sibling is returned unchanged. Returns the node holding it.
    """
    existing = parent.child(text)
    if existing is not None:
        return existing
    at = _remove_where(parent, lambda n: n.text == f"no {text}")
    for added, removed in rules.exclusions:
        if added.match(text, family):
            gone = _remove_where(parent, _matcher(removed, family))
            at = gone if at is None else at
    if rules.merge is not None:
        for sibling in parent.children:
            merged = rules.merge(family, sibling.text, text)
            if merged is not None:
                sibling.text = merged
                return sibling
    key = rules.key(text, family)
    if key is not None:
        for sibling in parent.children:
            if not sibling.children and rules.key(sibling.text, family) == key:
                sibling.text = text
                return sibling
    node = Node(text)
    _insert(parent, node, family, rules, at)
    return node


def negate_line(parent: Node, text: str, family: str, rules: LineRules) -> bool:
    """Apply ``no <text>`` under ``parent``; return whether anything changed.

    Removes the sibling(s) equal to ``text`` or starting with ``text`` plus a space (so
    ``no username bob`` removes ``username bob privilege 15 ...``) and sections with that
    header. Keeps a ``no <text>`` line when the dialect shows it (``no ip http server``).
    """
    if rules.merge is not None:
        for sibling in parent.children:
            merged = rules.merge(family, sibling.text, f"no {text}")
            if merged is not None:
                if merged:
                    sibling.text = merged
                else:
                    parent.children.remove(sibling)
                return True
    at = _remove_where(parent, lambda n: n.text == text or n.text.startswith(text + " "))
    negation = f"no {text}"
    if rules.keeps_negation(negation, family) and parent.child(negation) is None:
        _insert(parent, Node(negation), family, rules, at)
        return True
    return at is not None


def put_node(parent: Node, node: Node, family: str, rules: LineRules) -> None:
    """Put ``node`` under ``parent``, replacing a child with the same text (banners)."""
    at = _remove_where(parent, lambda n: n.text == node.text)
    _insert(parent, node, family, rules, at)


def find_section(root: Node, path: list[str]) -> Node | None:
    """Follow ``path`` (section header texts) from ``root``; ``None`` when absent."""
    node: Node | None = root
    for text in path:
        node = node.child(text) if node is not None else None
    return node
