"""Switch lab targets: a network namespace each, running a simulated switch's SSH server.

Backends are explicit: ``switchsim`` (the sibling package ``src/switchsim``, keeps a full
running-config) and ``fakeswitch`` (``matops.lab.fakeswitch``, the third-party fake-switches
core, an independent cross-check). Per switch, ``<state>/switches/<name>/`` holds its SSH host
key, the lab's admin password (0600), the simulator's own state and ``switch.log``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from matops.lab.hosts import LAB_ENV
from matops.lab.model import LabError, LabTarget
from matops.lab.netns import create_target_netns, netns_exec_argv
from matops.lab.sshconf import SWITCH_USER, generate_host_key

PASSWORD_FILE = "switch_password"  # noqa: S105 (a file name, not a password)


@dataclass(frozen=True)
class SwitchFiles:
    """Where one switch keeps its files."""

    directory: Path
    host_key: Path
    password_file: Path


#: Builds the simulator's argument list for a target (the lab runs it inside the namespace).
SwitchArgv = Callable[[LabTarget, SwitchFiles], list[str]]


def switch_files(state_dir: Path, name: str) -> SwitchFiles:
    """Return the file layout of switch ``name``."""
    directory = state_dir / "switches" / name
    return SwitchFiles(directory, directory / "ssh_host_ed25519_key", directory / "password")


def switchsim_argv(target: LabTarget, files: SwitchFiles) -> list[str]:
    """Return the command line of ``switchsim`` for ``target``."""
    if not target.model:
        raise LabError(f"switch {target.name}: the simulator needs its model (e.g. C9200L-48P-4G)")
    argv = [sys.executable, "-m", "switchsim", "--platform", target.platform]
    argv += ["--hostname", target.name, "--model", target.model]
    return argv + backend_args(target, files)


def fakeswitch_argv(target: LabTarget, files: SwitchFiles) -> list[str]:
    """Return the command line of ``matops.lab.fakeswitch`` (fake-switches) for ``target``."""
    argv = [sys.executable, "-m", "matops.lab.fakeswitch", "--hostname", target.name]
    return argv + backend_args(target, files)


def backend_args(target: LabTarget, files: SwitchFiles) -> list[str]:
    """Arguments every backend takes: where to listen, the host key and the credentials."""
    return [
        "--listen",
        str(target.address),
        "--port",
        "22",
        "--host-key",
        str(files.host_key),
        "--state-dir",
        str(files.directory),
        "--username",
        SWITCH_USER,
        "--password-file",
        str(files.password_file),
    ]


SWITCH_BACKENDS: dict[str, tuple[str, SwitchArgv]] = {
    "switchsim": ("switchsim", switchsim_argv),
    "fakeswitch": ("matops.lab.fakeswitch", fakeswitch_argv),
}


def backend_argv(backend: str) -> SwitchArgv:
    """Return the argv builder of a named backend, or raise LabError if it is unavailable."""
    if backend not in SWITCH_BACKENDS:
        choices = ", ".join(sorted(SWITCH_BACKENDS))
        raise LabError(f"unknown switch backend {backend!r}; choose one of: {choices}")
    module, argv = SWITCH_BACKENDS[backend]
    if not runnable_module(module):
        raise LabError(
            f"switch backend {backend!r} needs the module {module}, which is not installed yet; "
            "switch targets cannot be started"
        )
    return argv


def runnable_module(module: str) -> bool:
    """Return True if ``python -m module`` can run (a module, or a package with __main__)."""
    try:
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.submodule_search_locations is not None:
            spec = importlib.util.find_spec(f"{module}.__main__")
    except (ImportError, ValueError):
        return False
    return spec is not None


def prepare_switch(target: LabTarget, state_dir: Path, password: str) -> str:
    """Write a switch's host key and password file; return its public host key."""
    files = switch_files(state_dir, target.name)
    files.directory.mkdir(parents=True, exist_ok=True)
    files.directory.chmod(0o700)
    write_secret(files.password_file, password + "\n")
    return generate_host_key(files.host_key, f"admin@{target.name}")


def write_secret(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600 from the first byte)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def start_switch(
    target: LabTarget, state_dir: Path, lab_id: str, argv: SwitchArgv
) -> tuple[int, str, str]:
    """Create the switch's namespace and start its simulator; return (pid, netns, host veth)."""
    ns, veth = create_target_netns(target)
    files = switch_files(state_dir, target.name)
    # The marker lets teardown find the simulator even without lab.json.
    env = {**os.environ, LAB_ENV: lab_id}
    with (files.directory / "switch.log").open("ab") as log:
        proc = subprocess.Popen(
            netns_exec_argv(ns, argv(target, files)),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
    return proc.pid, ns, veth
