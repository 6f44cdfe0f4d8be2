"""The runner reads a tool's two output streams together: pyinfra's JSON for many hosts is more
than a pipe holds, and a runner that read it only at the end waited for ever (seen with 8 hosts)."""

from __future__ import annotations

import sys
import threading

from matops.deploy.runner import _stream

CHILD = (
    "import sys\n"
    "print('planning', file=sys.stderr, flush=True)\n"
    "sys.stdout.write('{' + 'x' * 1_000_000 + '}')\n"
    "sys.stdout.flush()\n"
    "print('done', file=sys.stderr)\n"
)


def test_a_large_stdout_does_not_block_the_live_stderr() -> None:
    result: list[tuple[int, list[str], str]] = []
    printed: list[str] = []
    worker = threading.Thread(
        target=lambda: result.append(
            _stream([sys.executable, "-c", CHILD], {}, printed.append, "stderr")
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=120)
    assert result, "the runner is still waiting: the child's stdout was never read"
    code, lines, other = result[0]
    assert (code, lines, printed) == (0, ["planning", "done"], ["planning", "done"])
    assert len(other) == 1_000_002 and other.startswith("{x")
