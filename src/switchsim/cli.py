"""The terminal side of a simulated switch: echo, line editing, modes and command dispatch.

:class:`Session` is transport-independent: feed it what the client typed, write back what
it returns. Dialect modules (``ios_cli``, ``aoscx_cli``) supply the command table, prompts
and messages.

Example:
    >>> from pathlib import Path; import tempfile
    >>> from switchsim.device import Device, DeviceSpec
    >>> from switchsim.ios_cli import IosDialect
    >>> spec = DeviceSpec("cisco_ios", "sw1", "C2960X", "127.0.0.1", Path(tempfile.mkdtemp()),
    ...                   "admin", "pw")
    >>> s = Session(Device(spec), IosDialect(), "admin")
    >>> s.feed("terminal length 0\\n")
    'terminal length 0\\r\\nsw1>'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from switchsim.configmode import ConfigMode
from switchsim.device import Device
from switchsim.ifnames import InvalidInputError, RejectedLineError

log = logging.getLogger(__name__)
Handler = Callable[["Session", list[str]], list[str]]
LineReader = Callable[[str], list[str]]


@dataclass(frozen=True)
class Command:
    """An exec command: keywords (abbreviations allowed), handler, minimum privilege.

    ``args``: accepts trailing arguments. ``in_config``: usable inside configuration mode
    without ``do`` (AOS-CX runs ``show`` and ``write`` from any context).
    """

    words: tuple[str, ...]
    run: Handler
    level: int = 15
    args: bool = False
    in_config: bool = False


class Dialect:
    """Platform behaviour the session needs; subclasses fill in the details."""

    commands: tuple[Command, ...] = ()
    banner_any_position = True
    exec_verbs = ("show", "write", "copy", "reload", "clear", "debug", "ping", "traceroute",
                  "terminal", "dir", "more")  # fmt: skip

    def prompt(self, hostname: str, level: int, mode: str | None) -> str:
        """The prompt for privilege ``level`` and config ``mode`` (None outside config)."""
        raise NotImplementedError

    def invalid(self, line: str, column: int, prompt: str) -> list[str]:
        """Error lines for input the device does not understand (IOS style by default)."""
        return Dialect.rejected(self, line, column, prompt)

    def rejected(self, line: str, column: int, prompt: str) -> list[str]:
        """Error lines for a line refused through ``reject-lines`` (same on every dialect)."""
        return [" " * (len(prompt) + column) + "^", "% Invalid input detected at '^' marker.", ""]

    def banner_intro(self, delim: str) -> list[str]:
        """What the device prints after ``banner motd <delim>`` opens a multi-line banner."""
        return [f"Enter TEXT message.  End with the character '{delim}'."]

    def greeting(self, session: Session) -> list[str]:
        """Lines shown before the first prompt (the MOTD banner)."""
        return []


def match_command(
    commands: tuple[Command, ...], typed: list[str], level: int, in_config: bool = False
) -> tuple[Command, list[str]] | int:
    """Find the command ``typed`` abbreviates; on failure return how many words matched.

    Example:
        >>> cmd = Command(("show", "version"), lambda s, a: [])
        >>> match_command((cmd,), ["sh", "ver"], 15)[0] is cmd
        True
    """
    best: list[tuple[Command, list[str]]] = []
    depth = 0
    for cmd in commands:
        if cmd.level > level or (in_config and not cmd.in_config):
            continue
        count = 0
        for word, keyword in zip(typed, cmd.words, strict=False):
            if not keyword.startswith(word.lower()):
                break
            count += 1
        depth = max(depth, count)
        if count == len(cmd.words) and (cmd.args or len(typed) == count):
            best.append((cmd, typed[count:]))
    if not best:
        return depth
    best.sort(key=lambda item: -len(item[0].words))
    return best[0]


def _pipe(lines: list[str], spec: str) -> list[str]:
    """Apply ``| include|exclude|begin|section REGEX`` to command output."""
    verb, _, pattern = spec.strip().partition(" ")
    regex = re.compile(pattern.strip())
    verb = verb.lower()
    if "include".startswith(verb):
        return [line for line in lines if regex.search(line)]
    if "exclude".startswith(verb):
        return [line for line in lines if not regex.search(line)]
    if "begin".startswith(verb):
        for index, line in enumerate(lines):
            if regex.search(line):
                return lines[index:]
        return []
    if "section".startswith(verb):
        out: list[str] = []
        keep = False
        for line in lines:
            if not line.startswith(" "):
                keep = bool(regex.search(line))
            if keep:
                out.append(line)
        return out
    raise InvalidInputError(spec)


class Session:
    """One interactive CLI session on a :class:`Device`."""

    def __init__(self, device: Device, dialect: Dialect, username: str) -> None:
        self.device = device
        self.dialect = dialect
        self.username = username
        self.level = device.login_privilege(username)
        self.config: ConfigMode | None = None
        self.reader: LineReader | None = None
        self.next_prompt: str | None = None
        self.echo = True
        self.closed = False
        self._buffer = ""
        self._last_cr = False

    def prompt(self) -> str:
        """The prompt to show now."""
        mode = self.config.prompt if self.config is not None else None
        return self.dialect.prompt(self.device.hostname, self.level, mode)

    def greeting(self) -> str:
        """What the session prints once the shell starts."""
        lines = self.dialect.greeting(self)
        return "".join(line + "\r\n" for line in lines) + self.prompt()

    def feed(self, data: str) -> str:
        """Process typed characters; return the bytes to send back (echo, output, prompts)."""
        out: list[str] = []
        for char in data:
            if char == "\n" and self._last_cr:
                self._last_cr = False
                continue
            self._last_cr = char == "\r"
            if char in "\r\n":
                line, self._buffer = self._buffer, ""
                out.append("\r\n" + self._line(line))
                if self.closed:
                    break
            elif char in "\x7f\x08":
                if self._buffer:
                    self._buffer = self._buffer[:-1]
                    out.append("\b \b" if self.echo else "")
            elif char == "\x1a" and self.config is not None:
                self._buffer, self.config = "", None
                out.append("^Z\r\n" + self.prompt())
            elif char == "\x03":
                self._buffer, self.reader, self.echo = "", None, True
                out.append("^C\r\n" + self.prompt())
            elif char >= " " or char == "\t":
                self._buffer += char
                out.append(char if self.echo else "")
        return "".join(out)

    def _line(self, line: str) -> str:
        """Run one complete input line; return its output followed by the next prompt."""
        self.next_prompt = None
        reader, self.reader = self.reader, None
        try:
            output = reader(line) if reader is not None else self._dispatch(line)
        except (ValueError, re.error) as error:  # a simulator gap must not drop the session
            log.warning("switchsim: %r failed: %s", line, error)
            output = self.dialect.invalid(line, 0, self.prompt())
        text = "".join(entry + "\r\n" for entry in output)
        if self.closed:
            return text
        return text + (self.next_prompt if self.next_prompt is not None else self.prompt())

    def _dispatch(self, line: str) -> list[str]:
        """Route a line to configuration mode or to the exec command table."""
        if self.config is not None:
            return self._config_line(line)
        return self.run_exec(line)

    def run_exec(self, line: str, in_config: bool = False) -> list[str]:
        """Run an exec command line (with an optional ``| filter``)."""
        command, _, pipe = line.partition(" | ")
        typed = command.split()
        if not typed:
            return []
        found = match_command(self.dialect.commands, typed, self.level, in_config)
        if isinstance(found, int):
            column = _word_column(command, found)
            return self.dialect.invalid(line, column, self.prompt())
        cmd, args = found
        try:
            output = cmd.run(self, args)
            return _pipe(output, pipe) if pipe else output
        except InvalidInputError as error:
            return self.dialect.invalid(line, error.column, self.prompt())

    def _config_line(self, line: str) -> list[str]:
        """Handle one line typed in configuration mode."""
        assert self.config is not None
        text = line.strip()
        words = text.split()
        if words[:1] == ["end"] or (words[:1] == ["exit"] and not self.config.exit()):
            self.config = None
            return []
        if words[:1] == ["exit"]:
            return []
        if words[:1] == ["do"] and len(words) > 1:
            return self.run_exec(text[3:])
        if words and words[0] != "no":
            typed = text.partition(" | ")[0].split()
            found = match_command(self.dialect.commands, typed, self.level, in_config=True)
            if not isinstance(found, int):
                return self.run_exec(text, in_config=True)
            verb = words[0].lower()
            if len(verb) > 1 and any(v.startswith(verb) for v in self.dialect.exec_verbs):
                return self.dialect.invalid(line, 0, self.prompt())
        banner = re.match(r"^banner\s+(motd|login|exec|incoming)\s+(\S.*)$", text)
        if banner:
            return self._banner(banner.group(1), banner.group(2))
        try:
            self.config.apply(line)
        except RejectedLineError as error:
            return self.dialect.rejected(line, error.column, self.prompt())
        except InvalidInputError as error:
            return self.dialect.invalid(line, error.column, self.prompt())
        return []

    def _banner(self, kind: str, rest: str) -> list[str]:
        """Start (and maybe finish) ``banner <kind> <delim>text<delim>``."""
        delim = "^C" if rest.startswith("^C") else rest[0]
        body = rest[len(delim) :]
        if delim in body:
            assert self.config is not None
            self.config.set_banner(kind, body.split(delim, 1)[0], delim)
            return []
        collected = [body]

        def read(line: str) -> list[str]:
            """Collect one banner line; finish at the closing delimiter."""
            ends = delim in line if self.dialect.banner_any_position else line.strip() == delim
            if not ends:
                collected.append(line)
                self.reader, self.next_prompt = read, ""
                return []
            collected.append(line.split(delim, 1)[0])
            if self.config is not None:
                self.config.set_banner(kind, "\n".join(collected), delim)
            return []

        self.reader, self.next_prompt = read, ""
        return self.dialect.banner_intro(delim)


def _word_column(line: str, index: int) -> int:
    """Column where word number ``index`` starts in ``line`` (end of line if absent)."""
    found = list(re.finditer(r"\S+", line))
    return found[index].start() if index < len(found) else len(line.rstrip())
