"""Many read-only commands in one SSH round trip, each still answered on its own.

A scan asks each Linux host for about fifty small things. Sent one by one, every command costs
an SSH channel, a ``sudo`` and a shell on the host and an ``ssh`` client on the controller, which
is most of the scan's cost. A batch sends them as one shell script instead: the script runs each
command exactly as :class:`~matops.facts.linux.shell.Shell` would have sent it (``timeout -k 5 N
command``) in a subshell of its own (so nothing it does, ``exit`` included, reaches the next one),
one after the other, and frames each one's stdout, stderr and exit status between
marker lines. Nothing is written on the host: outputs travel in pipes only.

The markers carry a nonce the host makes for each batch (from ``/dev/urandom``, kept in an
unexported shell variable, so it appears in no command line, environment or file a command could
read) and prints first on both streams. A command's answer is accepted only when both streams
hold its opening and closing markers, the closing one with its exit status. A command without
that (the connection dropped, the output was cut, the host lacks ``od``) has no answer here and
is then sent on its own, so that the collector contract judges whatever it says.

>>> script = batch_script(["timeout -k 5 60 hostname"])
>>> "\\n( timeout -k 5 60 hostname ); printf '\\\\n%s 0 > %s\\\\n'" in script
True
>>> n = "0123456789abcdef01234567"
>>> out = f"{n}\\n{n} 0 <\\noak-srv01\\n\\n{n} 0 > 0\\n"
>>> parse_batch(out, f"{n}\\n{n} 0 <\\n\\n{n} 0 >\\n", ["hostname"])["hostname"]
Answer(status=0, stdout='oak-srv01\\n', stderr='')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NONCE = (
    "M=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \\n') && [ ${#M} -eq 24 ] || exit 97\n"
    "printf '%s\\n' \"$M\"; printf '%s\\n' \"$M\" >&2\n"
)
"""The batch's first lines: a nonce the host makes (24 hex digits) and prints on both streams."""
RECORD = (
    "printf '%s {i} <\\n' \"$M\"; printf '%s {i} <\\n' \"$M\" >&2\n"
    '( {command} ); printf \'\\n%s {i} > %s\\n\' "$M" "$?"; printf \'\\n%s {i} >\\n\' "$M" >&2\n'
)
"""One command's record: opening markers, the command, closing markers (stdout's with status)."""


@dataclass(frozen=True)
class Answer:
    """What one command answered: its exit status and outputs, as the host gave them."""

    status: int
    stdout: str
    stderr: str


def batch_script(commands: list[str]) -> str:
    """The shell script that runs ``commands`` in order and frames each one's answer.

    A command holding a newline would not be one command of the script: it is refused here
    (the caller sends it alone).
    """
    if any("\n" in c for c in commands):
        raise ValueError("a batched command is one line")
    return NONCE + "".join(RECORD.format(i=i, command=c) for i, c in enumerate(commands))


def batched(command: str) -> int:
    """How many commands a command line sent to a host carries: a batch's, else 1.

    >>> batched(batch_script(["a", "b"])), batched("hostname")
    (2, 1)
    """
    return command.count("\n( ") if command.startswith(NONCE) else 1


def _nonce(text: str) -> str | None:
    """The nonce the batch printed first, if it did."""
    first = text.split("\n", 1)[0]
    return first if re.fullmatch(r"[0-9a-f]{24}", first) else None


def parse_batch(stdout: str, stderr: str, commands: list[str]) -> dict[str, Answer]:
    """The commands whose answers came back whole, in order, each with its status and outputs
    (after the first command without a whole answer, none is taken).

    >>> n = "0123456789abcdef01234567"
    >>> parse_batch(f"{n}\\n{n} 0 <\\nhalf", f"{n}\\n{n} 0 <\\n\\n{n} 0 >\\n", ["x"])  # cut
    {}
    """
    nonce = _nonce(stdout)
    start = re.search(rf"^{nonce}\n", stderr, re.M) if nonce is not None else None
    if nonce is None or start is None:  # stderr may begin with sudo's or ssh's own warnings
        return {}
    answers: dict[str, Answer] = {}
    out_at, err_at = len(nonce) + 1, start.end()
    for i, command in enumerate(commands):
        out = re.compile(rf"^{nonce} {i} <\n(.*?)\n{nonce} {i} > (\d+)\n", re.S | re.M)
        err = re.compile(rf"^{nonce} {i} <\n(.*?)\n{nonce} {i} >\n", re.S | re.M)
        found_out, found_err = out.search(stdout, out_at), err.search(stderr, err_at)
        if found_out is None or found_err is None:
            break
        out_at, err_at = found_out.end(), found_err.end()
        answers[command] = Answer(int(found_out.group(2)), found_out.group(1), found_err.group(1))
    return answers
