"""Read-only commands on a Linux host under the collector contract: an answer or a reason.

Every command runs under coreutils ``timeout`` on the host (testinfra's ``run`` has no time
limit of its own), and its exit status is judged: only the statuses a command is known to use for
an answer are accepted. Anything else raises :class:`~matops.facts.model.FactError` naming the
command and what went wrong in words a technician can act on: a missing command, permission
denied, sudo refused, a time-out, or the exit status with the first line of stderr.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matops.facts.linux.batch import Answer, batch_script, parse_batch
from matops.facts.linux.parse import UnparseableError
from matops.facts.model import FactError
from matops.facts.unreachable import describe_exception

Host = Any
"""A testinfra host (``testinfra.get_host(...)``); typed loosely as testinfra ships no types."""

TIMEOUT_S = 60.0
"""Seconds one command may run before it is stopped (then sent KILL 5 s later)."""

NO_SUCH_FILE = "No such file or directory"
EMPTY = r"\A\s*\Z"
"""For ``ok_if``: the status is an answer only when stderr is empty."""

_SUDO_REFUSED = (
    "a password is required",
    "a terminal is required",
    "is not in the sudoers file",
    "is not allowed to execute",
    "may not run sudo",
    "incorrect password attempt",
)


@dataclass(frozen=True)
class Ran:
    """A command that gave an answer: its exit status and outputs."""

    command: str
    status: int
    stdout: str
    stderr: str

    @property
    def absent(self) -> bool:
        """Whether it answered "not there" (an accepted non-zero exit about missing paths)."""
        return self.status != 0


def first_line(text: str, limit: int = 200) -> str:
    """The first non-empty line of ``text``, shortened.

    >>> first_line("\\n  sudo: a password is required\\nmore")
    'sudo: a password is required'
    """
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def failure_reason(status: int, stderr: str, timeout_s: float = TIMEOUT_S) -> str:
    """Why a command that did not answer failed, from its exit status and stderr.

    >>> failure_reason(127, "sh: 1: ss: not found")
    'missing command (exit status 127): sh: 1: ss: not found'
    >>> failure_reason(1, "cat: /etc/shadow: Permission denied")
    'permission denied (exit status 1): cat: /etc/shadow: Permission denied'
    >>> failure_reason(124, "")
    'timed out after 60 s'
    """
    line = first_line(stderr)
    lowered = stderr.lower()
    if status in (124, 137):  # timeout's own status; 137 = KILLed after ignoring TERM
        return f"timed out after {timeout_s:g} s"
    if any(text in lowered for text in _SUDO_REFUSED):
        return f"sudo refused: {line}"
    if status == 127 or "command not found" in lowered or lowered.endswith(": not found"):
        return f"missing command (exit status {status}): {line or 'not found'}"
    if "permission denied" in lowered or "operation not permitted" in lowered:
        return f"permission denied (exit status {status}): {line}"
    if status == 126:
        return f"cannot execute the command (exit status 126): {line or 'no message'}"
    return f"exit status {status}: {line or 'nothing on stderr'}"


def only_missing_paths(stderr: str) -> bool:
    """Whether every stderr line complains only of a path that does not exist.

    >>> only_missing_paths("find: '/opt': No such file or directory\\n")
    True
    >>> only_missing_paths("find: '/etc/x': Permission denied\\n")
    False
    """
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    return bool(lines) and all(ln.rstrip().endswith(NO_SUCH_FILE) for ln in lines)


@dataclass
class Answers:
    """What a host already answered, by command line, for one scan of it (see
    :mod:`matops.facts.linux.batch`), and the commands a batch could not answer, which are then
    sent on their own."""

    known: dict[str, Answer] = field(default_factory=dict)
    alone: set[str] = field(default_factory=set)


PLACEHOLDER = Answer(0, "", "")
"""What a command not yet answered reads as while its collector is only being surveyed."""


@dataclass(frozen=True)
class Shell:
    """A testinfra host with the contract applied to each command it runs.

    With ``answers``, a command the host already answered is not sent again. With ``wanted``
    as well, the collector is only being surveyed: a command not yet answered is noted there
    and reads as :data:`PLACEHOLDER`, and whatever the collector makes of that is thrown away
    (:class:`~matops.facts.linux.provider.LinuxHostProvider` sends what was noted as one batch
    and runs the collector again; only a run that noted nothing counts).
    """

    host: Host
    timeout_s: float = TIMEOUT_S
    answers: Answers | None = None
    wanted: list[str] | None = None

    @property
    def limit(self) -> str:
        """What every command is started with on the host."""
        return f"timeout -k 5 {self.timeout_s:g} "

    def _answer(self, command: str, args: tuple[str, ...], shown: str) -> Answer:
        answers = self.answers
        if answers is not None and shown in answers.known:
            return answers.known[shown]
        if self.wanted is not None and (answers is None or shown not in answers.alone):
            if shown not in self.wanted:
                self.wanted.append(shown)
            return PLACEHOLDER
        try:
            result = self.host.run(self.limit + command, *args)
            answer = Answer(int(result.rc), str(result.stdout), str(result.stderr))
        except Exception as exc:  # the connection failed, or the output could not be decoded
            raise FactError(f"`{shown}` did not run: {describe_exception(exc)}") from exc
        if answers is not None:
            answers.known[shown] = answer
        return answer

    def send_batch(self, commands: list[str]) -> None:
        """Send ``commands`` (as :meth:`run` shows them) to the host in one round trip; each
        one answered whole joins ``answers.known``, each other one ``answers.alone``."""
        if self.answers is None:
            raise ValueError("a batch needs somewhere to keep the answers")
        self.answers.alone.update(c for c in commands if "\n" in c)  # not one line of a script
        sent = [self.limit + c for c in commands if "\n" not in c]
        try:
            result = self.host.run(batch_script(sent))
            stdout, stderr = str(result.stdout), str(result.stderr)
        except Exception:  # each command sent alone then reports what happens to it
            stdout, stderr = "", ""
        found = parse_batch(stdout, stderr, sent)
        for command in commands:
            answer = found.get(self.limit + command)
            if answer is None:
                self.answers.alone.add(command)
            else:
                self.answers.known[command] = answer

    def run(
        self,
        command: str,
        *args: str,
        ok_if: Mapping[int, str] | None = None,
        absent_ok: bool = False,
        whole_lines: bool = True,
    ) -> Ran:
        """Run a read-only command; its answer, or :class:`FactError` with the reason.

        Exit 0 is an answer. ``ok_if`` maps another exit status that is an answer to a regular
        expression its stderr must match (``EMPTY``: no stderr at all), so that the same status
        with another complaint (permission denied…) is still an error. ``absent_ok`` also
        accepts exit 1 or 2 when stderr only says that some path does not exist.
        ``whole_lines``: the command ends every line it prints with a newline, so output whose
        last line has none was cut short (:class:`UnparseableError`). Off for file contents.
        """
        shown = command % tuple(shlex.quote(a) for a in args) if args else command
        answer = self._answer(command, args, shown)
        status, stdout, stderr = answer.status, answer.stdout, answer.stderr
        if status == 0 or (status in (ok_if or {}) and re.search((ok_if or {})[status], stderr)):
            if whole_lines and stdout and not stdout.endswith("\n"):
                raise UnparseableError(f"`{shown}`: cut short (the last line is incomplete)")
            return Ran(shown, status, stdout, stderr)
        if absent_ok and status in (1, 2) and only_missing_paths(stderr):
            return Ran(shown, status, stdout, stderr)
        raise FactError(f"`{shown}` failed: {failure_reason(status, stderr, self.timeout_s)}")

    def read(self, path: str, *, missing_ok: bool = False) -> str | None:
        """A file's text; None when it does not exist and ``missing_ok`` (else FactError)."""
        ran = self.run("cat -- %s", path, absent_ok=missing_ok, whole_lines=False)
        return None if ran.absent else ran.stdout

    def read_all(self, paths: list[str]) -> str:
        """The text of several files, concatenated ('' for no files)."""
        if not paths:
            return ""
        return self.run("cat --" + " %s" * len(paths), *paths, whole_lines=False).stdout

    def find(self, *args: str, paths: bool = True) -> list[str]:
        """``find`` output lines (paths that do not exist contribute nothing).

        Only "No such file or directory" complaints are accepted: on the system paths read
        here that is a starting path this host lacks (a container without /boot) or a file that
        vanished while ``find`` ran, neither of which hides a file that is still there. Any
        other complaint (permission denied, I/O error) means part of the tree was not seen.
        With ``paths`` (the default, no ``-printf``), every line must be an absolute path.
        """
        ran = self.run("find" + " %s" * len(args), *args, absent_ok=True)
        found = [line for line in ran.stdout.splitlines() if line.strip()]
        bad = next((line for line in found if paths and not line.startswith("/")), None)
        if bad is not None:
            raise UnparseableError(f"find: not an absolute path: {bad[:60]!r}")
        return found
