"""Start matops' simulated switch on loopback for tests and benchmarks (never any other address)."""

from __future__ import annotations

import select
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netmiko import ConnectHandler

from matops.network.connect import ConnectionSettings

PASSWORD = "Lab-Only-Test-Pass-7"  # the throwaway simulator's login, loopback only


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_line(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    """The first line a process prints (its "listening" line), without waiting forever."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else ""


@dataclass
class SimSwitch:
    """One ``python -m switchsim`` process on 127.0.0.1 and how to reach it."""

    name: str
    platform: str
    model: str
    root: Path
    port: int = field(default_factory=free_port)
    hostname: str = ""
    proc: subprocess.Popen[str] | None = None

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def known_hosts(self) -> Path:
        return self.root / "known_hosts"

    def start(self) -> SimSwitch:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "password").write_text(PASSWORD + "\n")
        argv = [sys.executable, "-m", "switchsim", "--platform", self.platform,
                "--hostname", self.hostname or self.name, "--model", self.model,
                "--listen", "127.0.0.1",
                "--port", str(self.port), "--host-key", str(self.root / "host_key"),
                "--state-dir", str(self.state_dir), "--username", "admin",
                "--password-file", str(self.root / "password")]  # fmt: skip
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        line = first_line(self.proc)
        assert "listening on" in line, line
        key_type, key = (self.root / "host_key.pub").read_text().split()[:2]
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {key_type} {key}\n")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> SimSwitch:
        """Stop and start again: the running config is lost, the saved one is kept."""
        self.stop()
        return self.start()

    def reject(self, *patterns: str) -> None:
        """Make config lines matching these regexes fail with ``% Invalid input``."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        (self.state_dir / "reject-lines").write_text("".join(p + "\n" for p in patterns))

    def settings(self) -> ConnectionSettings:
        return ConnectionSettings(
            self.name, self.platform, "127.0.0.1", self.port, "admin", self.known_hosts, PASSWORD
        )

    def connect(self) -> Any:
        """A netmiko session to the simulator, its host key verified."""
        return ConnectHandler(
            device_type=self.platform, host="127.0.0.1", port=self.port, username="admin",
            password=PASSWORD, secret=PASSWORD, ssh_strict=True, system_host_keys=False,
            alt_host_keys=True, alt_key_file=str(self.known_hosts), conn_timeout=10,
        )  # fmt: skip
