"""Helpers for the refresh integration tests: run ``matops refresh`` as a process, watch its
journal, put lab switches back to their factory configuration."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from matops.inventory import load_trust
from matops.lab.switches import switch_files
from matops.network.connect import connect, lab_settings
from matops.network.diff import compute_diff
from matops.refresh.journal import read_events
from matops.refresh.model import Event
from switchsim.defaults import ios_default
from switchsim.hardware import lookup
from tests.conftest import EXAMPLE_TRUST

STEPS = "pre-scan,network-backup,network-push,post-scan,report"
"""The steps the lab tests run: every step but the host deploy (the Linux hosts are not ours)."""


def refresh_argv(command: str, *args: str) -> list[str]:
    """``matops refresh COMMAND --lab …`` in this interpreter."""
    return [str(Path(sys.executable).parent / "matops"), "refresh", command, "--lab", *args]


def refresh_env(lab_dir: Path) -> dict[str, str]:
    """The environment of a matops process against the lab: ``--lab``'s folder is ``lab_dir``
    (through ``--lab-dir``'s default)."""
    return {**os.environ, "MATOPS_LAB_DIR": str(lab_dir), "COLUMNS": "200"}


def events_when(journal: Path, until: Callable[[list[Event]], bool], proc: subprocess.Popen[str],
                timeout: float = 180) -> list[Event]:  # fmt: skip
    """Poll the journal until ``until(events)`` holds (fails if the process ends first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = read_events(journal) if journal.is_file() else []
        if until(events):
            return events
        if proc.poll() is not None:
            output = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"refresh ended (rc {proc.returncode}) early:\n{output}")
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the journal")


def interrupt(proc: subprocess.Popen[str], sig: signal.Signals) -> int:
    """Send ``sig`` and wait for the process to end; its return code."""
    proc.send_signal(sig)
    return proc.wait(timeout=180)


def factory_reset(lab_dir: Path, names: list[str]) -> None:
    """Put lab switches back to their factory configuration and remove their startup config.

    Near enough: the simulator and hier_config disagree on ``service pad`` (its negation flips
    on each pass), so a line left different after the passes is accepted.
    """
    trust = load_trust(EXAMPLE_TRUST)
    for target in (t for t in trust.targets("switch") if t.name in names):
        files = switch_files(lab_dir, target.name)
        password = files.password_file.read_text().strip()
        hardware = lookup(target.platform, target.vars.model or "", target.name)
        factory = ios_default(hardware, target.name, password, str(target.address))
        session = connect(lab_settings(lab_dir, target))
        try:
            for _ in range(2):
                diff = compute_diff(target.platform, session.running_config(), factory)
                if len(diff.remediation) <= 1:
                    break
                session.send_config(diff.remediation)
            assert len(diff.remediation) <= 1, f"{target.name}: reset left {diff.remediation}"
        finally:
            session.close()
        (files.directory / "startup-config").unlink(missing_ok=True)


def running_config(lab_dir: Path, name: str) -> str:
    """A lab switch's running config, without the lines that change with time."""
    target = next(t for t in load_trust(EXAMPLE_TRUST).targets("switch") if t.name == name)
    session = connect(lab_settings(lab_dir, target))
    try:
        lines = session.running_config().splitlines()
    finally:
        session.close()
    volatile = ("! Last configuration change", "Current configuration :", "! NVRAM config last")
    return "\n".join(line for line in lines if not line.startswith(volatile))
