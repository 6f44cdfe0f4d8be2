"""Configuration mode: where a typed line lands in the running config, and the prompt.

A stack of frames tracks the current sub-mode. An indented line belongs to the frame above
its indentation; an unindented line stays in the current sub-mode only when the mode's
grammar accepts it, otherwise it falls back to the parent modes, as IOS does. Any line,
known or not, may receive indented children.

Example:
    >>> from pathlib import Path; import tempfile
    >>> from switchsim.device import Device, DeviceSpec
    >>> spec = DeviceSpec("cisco_ios", "sw1", "C2960X", "127.0.0.1", Path(tempfile.mkdtemp()),
    ...                   "admin", "pw")
    >>> mode = ConfigMode(Device(spec))
    >>> mode.apply("interface Gi1/0/1"); mode.prompt
    'config-if'
"""

from __future__ import annotations

from dataclasses import dataclass

from switchsim.config_tree import LineRules, Node, apply_line, negate_line, put_node
from switchsim.device import Device
from switchsim.ifnames import (
    InvalidInputError,
    RejectedLineError,
    expand_header,
    is_physical,
)
from switchsim.syntax import GLOBAL


@dataclass(frozen=True)
class Frame:
    """One level of the mode stack.

    ``family`` is None for an implicit section: a line that may receive indented children
    without changing the prompt.
    """

    headers: tuple[str, ...]
    family: str | None
    prompt: str | None
    indent: int


class ConfigMode:
    """The configuration sub-mode state of one session."""

    def __init__(self, device: Device, user: str = "") -> None:
        self.device = device
        self.user = user
        self.frames: list[Frame] = []

    @property
    def prompt(self) -> str:
        """Text inside the prompt brackets: ``config``, ``config-if``, ``config-vlan-10``…"""
        for frame in reversed(self.frames):
            if frame.prompt is not None:
                return frame.prompt
        return "config"

    @property
    def family(self) -> str:
        """Grammar family of the innermost frame (``global`` at the top)."""
        return self.frames[-1].family or "section" if self.frames else GLOBAL

    def _drop_implicit(self) -> None:
        """Pop implicit frames from the top of the stack."""
        while self.frames and self.frames[-1].family is None:
            self.frames.pop()

    def _place(self, text: str, indent: int) -> None:
        """Pop frames until the innermost one is where ``text`` belongs."""
        if indent > 0:
            while self.frames and self.frames[-1].indent >= indent:
                self.frames.pop()
            return
        self._drop_implicit()
        syntax = self.device.syntax
        while self.frames and not syntax.accepts(self.frames[-1].family or "", text):
            self.frames.pop()

    def _targets(self) -> list[Node]:
        """Sections the current frames designate (several for an interface range)."""
        nodes = [self.device.running]
        for frame in self.frames:
            nodes = [self._section(node, header) for node in nodes for header in frame.headers]
        return nodes

    def _section(self, parent: Node, header: str) -> Node:
        """The child ``header`` of ``parent``, created when missing."""
        found = parent.child(header)
        if found is not None:
            return found
        family = GLOBAL if parent is self.device.running else "section"
        return apply_line(parent, header, family, self.device.syntax.rules)

    def exit(self) -> bool:
        """``exit``: leave the innermost sub-mode; False when it leaves configuration mode."""
        self._drop_implicit()
        if not self.frames:
            return False
        self.frames.pop()
        self._drop_implicit()
        return True

    def reset(self) -> None:
        """``end``: back to the top of configuration mode (the caller leaves it)."""
        self.frames.clear()

    def apply(self, raw: str) -> None:
        """Apply one typed config line; raises :class:`InvalidInputError` when refused."""
        text = " ".join(raw.split())
        if not text or text.startswith("!"):
            return
        if self.device.rejected(text):
            raise RejectedLineError(text)
        self._place(text, len(raw) - len(raw.lstrip()))
        if text in self.device.syntax.exit_markers:
            self._exit_marker(text)
        elif text.startswith(("no ", "default ")):
            self._negate(text)
        else:
            self._add(text, len(raw) - len(raw.lstrip()))
        self.device.touched(self.user)

    def _add(self, text: str, indent: int) -> None:
        """Add a positive line and open a frame for it."""
        syntax, family = self.device.syntax, self.family
        mode = syntax.opens(family, text)
        headers = expand_header(self.device.hw, text) if mode else [text]
        stored: dict[str, str] = {}
        for target in self._targets():
            for header in headers:
                line = syntax.secrets(family, header, self.device.running)
                stored.setdefault(header, apply_line(target, line, family, syntax.rules).text)
        frame_headers = tuple(stored[h] for h in headers)
        if mode is not None:
            self.frames.append(Frame(frame_headers, mode.family, mode.prompt, indent))
        else:
            self.frames.append(Frame(frame_headers, None, None, indent))

    def _negate(self, text: str) -> None:
        """``no X`` removes X (kept as ``no X`` where the device shows it); ``default X`` resets."""
        keyword, body = text.split(" ", 1)
        syntax, family = self.device.syntax, self.family
        headers = expand_header(self.device.hw, body) if syntax.opens(family, body) else [body]
        for target in self._targets():
            for header in headers:
                section = target.child(header)
                if section is not None and is_physical(self.device.hw, header):
                    if keyword == "no":
                        raise InvalidInputError(text)
                    section.children.clear()
                elif keyword == "no":
                    negate_line(target, header, family, syntax.rules)
                else:
                    negate_line(target, header, family, LineRules())

    def _exit_marker(self, text: str) -> None:
        """``exit-address-family`` and friends: close the sub-mode, keep the marker line."""
        self._drop_implicit()
        if self.frames:
            self.frames.pop()
        for target in self._targets():
            if target.child(text) is None:
                target.children.append(Node(text))

    def set_banner(self, kind: str, body: str, delim: str) -> None:
        """Store ``banner <kind>`` with its text (banners are top-level)."""
        self.frames.clear()
        node = Node(f"banner {kind}", body=body, delim=delim)
        put_node(self.device.running, node, GLOBAL, self.device.syntax.rules)
        self.device.touched(self.user)
