"""Running commands for the lab: argument lists only, failures become LabError."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from matops.lab.model import LabError

SETUP_HINT = "install the lab's system packages with `scripts/setup-system.sh` (as root)"


def require_commands(*names: str) -> None:
    """Raise LabError naming every command in ``names`` that is not on PATH.

    >>> require_commands("sh")
    """
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        raise LabError(f"missing command(s): {', '.join(missing)}; {SETUP_HINT}")


def run(
    argv: Sequence[str],
    *,
    check: bool = True,
    timeout: float | None = 120,
    input_text: str | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` (never through a shell) and return the completed process.

    With ``check`` a non-zero exit raises LabError quoting the command and its stderr.

    >>> run(["echo", "hi"]).stdout
    'hi\\n'
    """
    try:
        result = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input_text,
            check=False,
            cwd=cwd,
        )
    except FileNotFoundError as exc:
        raise LabError(f"missing command: {argv[0]}; {SETUP_HINT}") from exc
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise LabError(f"command failed ({result.returncode}): {' '.join(argv)}\n{detail}")
    return result


def process_parents() -> dict[int, int]:
    """Return ``{pid: parent pid}`` for every process visible in /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: fields follow the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(pid: int, parents: dict[int, int] | None = None) -> list[int]:
    """Return every descendant of ``pid`` (children, grandchildren, ...), parents first.

    ``parents`` is a ``process_parents()`` snapshot to reuse (taken now when not given).
    """
    children: dict[int, list[int]] = {}
    for child, parent in (parents or process_parents()).items():
        children.setdefault(parent, []).append(child)
    result: list[int] = []
    queue = list(children.get(pid, []))
    while queue:
        current = queue.pop(0)
        result.append(current)
        queue.extend(children.get(current, []))
    return result


def process_env(pid: int) -> dict[str, str]:
    """Return the environment of ``pid`` (empty if it is gone or unreadable)."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.decode(errors="replace").partition("=") for item in raw.split(b"\0") if item)
    return {key: value for key, _, value in pairs}


def process_cmdline(pid: int) -> list[str]:
    """Return the argument list of ``pid`` (empty if it is gone or unreadable)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [arg.decode(errors="replace") for arg in raw.split(b"\0") if arg]


def pids_with_env(key: str) -> list[int]:
    """Return every process whose environment defines ``key``."""
    return sorted(pid for pid in process_parents() if key in process_env(pid))


def alive(pid: int) -> bool:
    """Return True if ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"


def kill_and_wait(pids: Sequence[int], timeout: float = 15.0) -> list[int]:
    """SIGKILL ``pids`` and wait until they are gone; return those still alive at the end."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    remaining = [pid for pid in pids if alive(pid)]
    while remaining and time.monotonic() < deadline:
        time.sleep(0.1)
        remaining = [pid for pid in remaining if alive(pid)]
    return remaining
