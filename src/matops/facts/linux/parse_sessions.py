"""Pure parsers for what closes idle sessions: the shell's ``TMOUT`` and sshd's durations."""

from __future__ import annotations

import re
import shlex

from matops.facts.linux.model import ShellTimeout
from matops.facts.linux.parse import UnparseableError

_DECLARERS = ("readonly", "export", "declare", "typeset", "local")
_LEADING = ("then", "else", "do", "{", "(")


def _statements(text: str) -> list[list[str]]:
    """Each simple statement of a shell file as words (comments dropped, ``;`` splits)."""
    statements = []
    for line in text.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # an unbalanced quote: fall back on whitespace
            words = line.split("#", 1)[0].split()
        current: list[str] = []
        for word in [*words, ";"]:
            if word.endswith(";") and word != ";":
                current.append(word[:-1])
                word = ";"
            if word in (";", "&&", "||"):
                while current and current[0] in _LEADING:
                    current.pop(0)
                if current:
                    statements.append(current)
                current = []
            else:
                current.append(word)
    return statements


def _tmout_words(statement: list[str]) -> tuple[list[str], bool]:
    """The ``TMOUT``/``TMOUT=…`` words of a statement, and whether it makes them read-only."""
    first = statement[0]
    if first.startswith("TMOUT="):
        return ([first], False) if len(statement) == 1 else ([], False)  # TMOUT=1 cmd: cmd's env
    if first not in _DECLARERS:
        return [], False
    options = [w for w in statement[1:] if w.startswith("-")]
    readonly = first == "readonly" or any("r" in o.lstrip("-") for o in options)
    names = [w for w in statement[1:] if w == "TMOUT" or w.startswith("TMOUT=")]
    return names, readonly


def parse_tmout(files: list[tuple[str, str]]) -> ShellTimeout:
    """(path, text) of each profile file in reading order → the TMOUT login shells get.

    >>> parse_tmout([("/etc/profile.d/a.sh", "TMOUT=600\\nreadonly TMOUT; export TMOUT\\n"),
    ...              ("/etc/profile.d/b.sh", "TMOUT=0\\n")])
    ShellTimeout(seconds=600, readonly=True, source='/etc/profile.d/a.sh')
    >>> parse_tmout([("/etc/profile", "export PATH\\n")]).seconds is None
    True
    """
    seconds: int | None = None
    source: str | None = None
    readonly = False
    for path, text in files:
        for statement in _statements(text):
            words, marks = _tmout_words(statement)
            for word in words:
                if "=" in word and not readonly:
                    value = word.partition("=")[2]
                    if not re.fullmatch(r"\d+", value):
                        raise UnparseableError(
                            f"{path}: TMOUT={value[:30]!r} is not a number of seconds"
                        )
                    seconds, source = int(value), path
            readonly = readonly or (marks and bool(words))
    return ShellTimeout(seconds=seconds, readonly=readonly, source=source)
