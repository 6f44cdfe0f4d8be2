"""Pre-flight checks, read-only: reachability, free disk, pending reboot, config saved, backup age.

Linux hosts are read over SSH (``df`` and a test for ``/run/reboot-required``) through the
run's connection profile (its ssh_config); switches through the network module's session.
The judgements are pure functions of what was read, tested with data.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from matops.connect.profile import ConnectionProfile
from matops.inventory.model import Target
from matops.network.backup import backup_path
from matops.refresh.capture import DeviceConfigs
from matops.refresh.model import CheckStatus, Preflight

MIN_FREE_MB = 1024
"""Less free space than this on / blocks a host's refresh."""
MAX_BACKUP_AGE_DAYS = 7.0
"""A backup older than this (or none) is a warning: the push makes a fresh one anyway."""


def judge_reachable(name: str, ok: bool, address: str) -> Preflight:
    """Reachability result."""
    if ok:
        return Preflight(name="reachable", status=CheckStatus.OK, detail=address)
    return Preflight(name="reachable", status=CheckStatus.FAIL, detail=f"no answer at {address}")


def judge_free_disk(df_output: str, minimum_mb: int = MIN_FREE_MB) -> Preflight:
    """Judge ``df -P -k /`` output.

    >>> judge_free_disk("Filesystem 1024-blocks Used Available Capacity Mounted on\\n"
    ...                 "overlay 10000000 1000 2097152 1% /\\n").status.value
    'ok'
    """
    lines = [line.split() for line in df_output.strip().splitlines()[1:]]
    try:
        free_mb = int(lines[-1][3]) // 1024
    except (IndexError, ValueError):
        return Preflight(name="free disk", status=CheckStatus.FAIL, detail="cannot read df output")
    status = CheckStatus.OK if free_mb >= minimum_mb else CheckStatus.FAIL
    return Preflight(name="free disk", status=status, detail=f"{free_mb} MB free on /")


def judge_reboot(answer: str) -> Preflight:
    """Judge the answer to "does /run/reboot-required exist" (``yes``/``no``)."""
    if answer.strip() == "no":
        return Preflight(name="pending reboot", status=CheckStatus.OK, detail="none")
    if answer.strip() == "yes":
        return Preflight(
            name="pending reboot", status=CheckStatus.WARN, detail="/run/reboot-required exists"
        )
    return Preflight(name="pending reboot", status=CheckStatus.FAIL, detail="cannot tell")


def _lines(text: str) -> list[str]:
    skip = ("Building configuration", "Current configuration", "!", "Using ")
    return [
        line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith(skip)
    ]


def judge_saved(configs: DeviceConfigs) -> Preflight:
    """Running config equal to the startup config (what a reload would bring back)."""
    if configs.startup is None:
        return Preflight(name="config saved", status=CheckStatus.WARN, detail="no startup config")
    if _lines(configs.running) == _lines(configs.startup):
        return Preflight(name="config saved", status=CheckStatus.OK, detail="running = startup")
    return Preflight(
        name="config saved", status=CheckStatus.WARN,
        detail="running differs from startup (unsaved changes will be kept by the push)",
    )  # fmt: skip


def judge_backup(
    trust_dir: Path, target: Target, now: float, max_days: float = MAX_BACKUP_AGE_DAYS
) -> Preflight:
    """Age of the newest backup file of a switch."""
    path = backup_path(trust_dir, target.school, target.name)
    if not path.is_file():
        return Preflight(name="recent backup", status=CheckStatus.WARN, detail="no backup yet")
    days = (now - path.stat().st_mtime) / 86400
    status = CheckStatus.OK if days <= max_days else CheckStatus.WARN
    return Preflight(name="recent backup", status=status, detail=f"{days:.1f} days old")


def ssh_argv(target: Target, command: str, profile: ConnectionProfile) -> list[str]:
    """``ssh`` to a Linux target: by name through the profile's ssh_config, else by address.

    >>> ssh_argv(target, "df -P -k /", build_profile(root, lab_dir=Path("/lab")))
    ... # doctest: +SKIP
    ['ssh', '-F', '/lab/ssh_config', '-o', 'BatchMode=yes', 'stm-srv01', 'df -P -k /']
    """
    config = profile.linux.ssh_config
    if config is None:
        base = ["ssh", "-l", target.vars.ansible_user or "root", str(target.address)]
        return [*base, "-o", "BatchMode=yes", command]
    return ["ssh", "-F", str(config), "-o", "BatchMode=yes", target.name, command]


def linux_preflight(target: Target, profile: ConnectionProfile) -> list[Preflight]:
    """Free disk and pending reboot on a Linux host (two read-only commands)."""
    checks: list[Preflight] = []
    command = "df -P -k / && (test -e /run/reboot-required && echo yes || echo no)"
    try:
        done = subprocess.run(
            ssh_argv(target, command, profile),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [Preflight(name="ssh", status=CheckStatus.FAIL, detail="timed out")]
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["ssh failed"])[-1]
        return [Preflight(name="ssh", status=CheckStatus.FAIL, detail=detail)]
    lines = done.stdout.strip().splitlines()
    checks.append(judge_free_disk("\n".join(lines[:-1])))
    checks.append(judge_reboot(lines[-1] if lines else ""))
    return checks


def now() -> float:
    """The current time (seconds since the epoch)."""
    return time.time()
