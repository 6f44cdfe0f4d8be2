"""The command examples of README.md and docs/*.md, read from the markdown and run as written.

A command example is a fenced block tagged ``console`` (commands after ``$ ``, the lines between
them are the output the doc shows), ``sh`` or ``bash`` (every line is a command). How a block is
run is said by an HTML comment on the last non-blank line before its fence:

* none: it needs nothing but the repository; ``tests/unit/test_docs_examples.py`` runs it;
* ``<!-- lab -->``: it needs the lab; ``tests/integration/test_docs_examples_lab.py`` runs it
  (``matops lab up``/``lab down`` lines stand for the session's lab and are not run);
* ``<!-- lab walkthrough -->``: the README's lab walkthrough, run by
  ``tests/integration/test_connection_profile_lab.py``;
* ``<!-- not run: REASON -->``: not run, for the reason given (a real trust's vault, say).

A command exits 0 unless its line ends in a comment saying otherwise (``# exits 1 …``). Output
lines shown in a ``console`` block must each appear in the command's output, ``…`` standing for
any text. ``/tmp/matops-docs`` in a doc is a folder the test swaps for its own.

>>> block = parse("x.md", "Intro\\n\\n<!-- lab -->\\n```console\\n$ matops lab up\\n```\\n")[0]
>>> block.where, block.marker, [c.text for c in block.commands]
('x.md:4', 'lab', ['matops lab up'])
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

RUN_FENCES = ("console", "sh", "bash")
"""Fence tags of command examples."""
MARKERS = ("lab", "lab walkthrough")
"""Markers of blocks that run in the lab (anything else must be ``not run: REASON``)."""
DOCS_TMP = "/tmp/matops-docs"
"""The scratch folder the docs name; tests swap it for a temporary one."""
ELLIPSIS = "…"

_FENCE = re.compile(r"^```(\S*)\s*$")
_MARKER = re.compile(r"^<!--\s*(.*?)\s*-->$")
_EXITS = re.compile(r"\s#[^#]*\bexits?\s+(\d+)\b[^#]*$")


@dataclass(frozen=True)
class Command:
    """One command of a block: its text (continuation lines joined) and what the doc expects."""

    text: str
    line: int
    exit_code: int = 0
    output: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A fenced command example and how it is run."""

    path: str
    line: int
    fence: str
    marker: str | None
    commands: tuple[Command, ...] = field(default=())

    @property
    def where(self) -> str:
        """``path:line`` of the opening fence."""
        return f"{self.path}:{self.line}"

    @property
    def not_run_reason(self) -> str | None:
        """The reason given by a ``not run:`` marker (``None`` for a block that runs)."""
        if self.marker is None or not self.marker.startswith("not run"):
            return None
        return self.marker.partition(":")[2].strip()

    @property
    def kind(self) -> str:
        """``offline``, ``lab``, ``lab walkthrough`` or ``not run``."""
        if self.marker is None:
            return "offline"
        if self.not_run_reason is not None:
            return "not run"
        return self.marker


def doc_files(repo: Path) -> list[Path]:
    """README.md and every docs/*.md."""
    return [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]


def parse(path: str, text: str) -> list[Block]:
    """Every command example of one markdown file, in order.

    >>> doc = "```sh\\nmatops checks list \\\\\\n  --area network\\n```\\n"
    >>> parse("d.md", doc)[0].commands[0].text
    'matops checks list --area network'
    >>> doc = "```console\\n$ matops scan   # exits 1: findings\\nresults: …\\n```\\n"
    >>> cmd = parse("d.md", doc)[0].commands[0]
    >>> cmd.exit_code, cmd.output
    (1, ('results: …',))
    """
    lines = text.splitlines()
    return [
        Block(path, start + 1, tag, _marker_before(lines, start),
              tuple(_commands(lines[start + 1 : end], start + 2, console=tag == "console")))
        for tag, start, end in _fences(lines)
        if tag in RUN_FENCES
    ]  # fmt: skip


def untagged_command_blocks(path: str, text: str) -> list[str]:
    """``path:line`` of untagged fences with a line starting ``$ `` or ``matops `` (not a
    diagram's indented labels).

    >>> untagged_command_blocks("d.md", "```\\nmatops scan\\n```\\n```\\n  matops scan\\n```\\n")
    ['d.md:1']
    """
    lines = text.splitlines()
    return [
        f"{path}:{start + 1}"
        for tag, start, end in _fences(lines)
        if not tag and any(re.match(r"\$ |matops ", x) for x in lines[start + 1 : end])
    ]


def _fences(lines: list[str]) -> Iterator[tuple[str, int, int]]:
    """Each fenced block: its tag, the index of its opening and of its closing line."""
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
        yield fence[1], i, end
        i = end + 1


def _marker_before(lines: list[str], fence: int) -> str | None:
    before = [x.strip() for x in lines[:fence] if x.strip()]
    found = _MARKER.match(before[-1]) if before else None
    if found is None:
        return None
    text = found[1]
    return text if text in MARKERS or text.startswith("not run") else None


def _commands(body: list[str], first_line: int, *, console: bool) -> list[Command]:
    commands: list[Command] = []
    text, start = "", 0
    output: list[str] = []

    def close() -> None:
        if text:
            exits = _EXITS.search(text)
            code = int(exits[1]) if exits else 0
            commands.append(Command(text, start, code, tuple(output)))

    pending = False
    for number, raw in enumerate(body, first_line):
        line = raw.rstrip()
        if pending:
            text += " " + line.strip().removesuffix("\\").rstrip()
            pending = line.endswith("\\")
            continue
        is_command = line.startswith("$ ") if console else bool(line) and not line.startswith("#")
        if is_command:
            close()
            text = (line[2:] if console else line).removesuffix("\\").rstrip()
            start, output, pending = number, [], line.endswith("\\")
        elif console and text and line.strip():
            output.append(line.strip())
    close()
    return commands


@dataclass(frozen=True)
class Ran:
    """What one command did."""

    command: Command
    returncode: int
    output: str


def run_block(
    block: Block, workdir: Path, scratch: Path, env: dict[str, str] | None = None,
    timeout: float = 1800,
) -> list[Ran]:  # fmt: skip
    """Run a block's commands as written, in one shell started in ``workdir``.

    One shell per block, so that ``export`` and ``cd`` carry on to the next command as they
    would for a reader; ``/tmp/matops-docs`` is ``scratch``; ``env`` replaces the environment
    (this interpreter's ``matops`` comes first on ``PATH`` either way). Each command's output
    (stdout and stderr together) and exit status are kept apart.
    """
    script = ["set +e"]
    outputs = scratch.parent / f".doc-run-{block.line}"
    outputs.mkdir(exist_ok=True)
    for n, command in enumerate(block.commands):
        text = command.text.replace(DOCS_TMP, str(scratch))
        script.append(
            f"{{ {text}\n}} >{outputs}/{n}.out 2>&1 </dev/null; echo $? >{outputs}/{n}.rc"
        )
    base = dict(os.environ if env is None else env)
    path = f"{Path(sys.executable).parent}:{base.get('PATH', os.defpath)}"
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=workdir, timeout=timeout, check=False,
                   env={**base, "COLUMNS": "200", "PATH": path})  # fmt: skip
    ran = []
    for n, command in enumerate(block.commands):
        rc = outputs / f"{n}.rc"
        out = outputs / f"{n}.out"
        code = int(rc.read_text()) if rc.is_file() else -1
        ran.append(Ran(command, code, out.read_text(errors="replace") if out.is_file() else ""))
    return ran


def problems(block: Block, ran: list[Ran], scratch: Path) -> list[str]:
    """What went other than the doc says: exit statuses, and shown output lines not seen."""
    found = []
    for done in ran:
        where = f"{block.path}:{done.command.line}: {done.command.text}"
        if done.returncode != done.command.exit_code:
            found.append(f"{where}\n  exit {done.returncode}, the doc says "
                         f"{done.command.exit_code}\n{_tail(done.output)}")  # fmt: skip
            continue
        for shown in done.command.output:
            if not shows(shown.replace(DOCS_TMP, str(scratch)), done.output):
                found.append(f"{where}\n  output lacks: {shown}\n{_tail(done.output)}")
    return found


def shows(expected: str, output: str) -> bool:
    """Whether some line of ``output`` reads as ``expected`` (``…`` is any text; spaces loose).

    >>> shows("valid: … 3 schools", "x\\nvalid: inventories/t —  3 schools, 16 targets\\n")
    True
    >>> shows("2 error(s)", "1 error(s)")
    False
    """
    parts = [re.escape(" ".join(p.split())) for p in expected.split(ELLIPSIS)]
    pattern = re.compile(".*".join(parts))
    return any(pattern.search(" ".join(line.split())) for line in output.splitlines())


def argv(command: Command) -> list[str]:
    """A command's words, its trailing comment left out."""
    return shlex.split(command.text, comments=True)


def _tail(output: str, chars: int = 2500) -> str:
    return "  | " + output[-chars:].replace("\n", "\n  | ")
