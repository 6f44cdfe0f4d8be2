"""One simulated switch: chassis, running and startup configs, and the state directory.

Shared by every SSH session to the switch. The running config lives in memory only; the
startup config is ``<state-dir>/startup-config``, written by ``write memory``. A file
``<state-dir>/reject-lines`` (one regex per line) makes matching config lines fail, for
testing rollback logic.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path

from switchsim.aoscx_syntax import AOSCX
from switchsim.config_tree import Node, parse
from switchsim.defaults import aoscx_default, ios_default
from switchsim.hardware import Hardware, lookup
from switchsim.ios_syntax import IOS
from switchsim.syntax import Syntax

SYNTAXES = {"cisco_ios": IOS, "aruba_aoscx": AOSCX}


@dataclass(frozen=True)
class DeviceSpec:
    """How the switch was launched."""

    platform: str
    hostname: str
    model: str
    address: str
    state_dir: Path
    username: str
    password: str


class Device:
    """A switch's state. Example: ``Device(spec).hostname`` → ``"sw1"``."""

    def __init__(self, spec: DeviceSpec) -> None:
        if spec.platform not in SYNTAXES:
            raise ValueError(f"unknown platform {spec.platform!r}; choose one of {list(SYNTAXES)}")
        self.spec = spec
        self.hw: Hardware = lookup(spec.platform, spec.model, spec.hostname)
        self.syntax: Syntax = SYNTAXES[spec.platform]
        self.booted = time.time()
        self.changed_at = dt.datetime.now(dt.UTC)
        self.changed_by = ""
        spec.state_dir.mkdir(parents=True, exist_ok=True)
        self.running: Node = self._boot()

    @property
    def startup_path(self) -> Path:
        """Where ``write memory`` stores the config."""
        return self.spec.state_dir / "startup-config"

    @property
    def reject_path(self) -> Path:
        """The fault-injection file of regexes."""
        return self.spec.state_dir / "reject-lines"

    def factory_text(self) -> str:
        """The factory-default config for this chassis."""
        build = ios_default if self.spec.platform == "cisco_ios" else aoscx_default
        return build(self.hw, self.spec.hostname, self.spec.password, self.spec.address)

    def _boot(self) -> Node:
        """Load the startup config, or the factory default when none was saved."""
        if self.startup_path.exists():
            return parse(self.startup_path.read_text(encoding="utf-8"))
        return parse(self.factory_text())

    def startup(self) -> Node | None:
        """The saved config, or None when nothing was ever saved."""
        if not self.startup_path.exists():
            return None
        return parse(self.startup_path.read_text(encoding="utf-8"))

    def save(self) -> None:
        """Write the running config (including hidden lines) as the startup config."""
        text = "\n".join(self.syntax.render(self.running, show=False)) + "\n"
        tmp = self.startup_path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.startup_path)

    @property
    def hostname(self) -> str:
        """The configured hostname (what the prompt shows)."""
        for node in self.running.children:
            if node.text.startswith("hostname "):
                return node.text.split(None, 1)[1]
        return "Switch" if self.spec.platform == "cisco_ios" else "switch"

    def rejected(self, line: str) -> bool:
        """Whether ``line`` matches a regex in ``<state-dir>/reject-lines``."""
        try:
            patterns = self.reject_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return False
        for pattern in filter(None, (p.strip() for p in patterns)):
            try:
                if re.search(pattern, line):
                    return True
            except re.error:
                continue  # a broken pattern rejects nothing
        return False

    def touched(self, user: str) -> None:
        """Record a configuration change (IOS shows it in the running-config header)."""
        self.changed_at = dt.datetime.now(dt.UTC)
        self.changed_by = user

    def login_privilege(self, username: str) -> int:
        """Privilege a new SSH session gets: 15 on AOS-CX; on IOS from ``username … privilege``.

        IOS gives the configured privilege when AAA is off or exec authorisation is on;
        otherwise the session starts in user EXEC.
        """
        if self.spec.platform == "aruba_aoscx":
            return 15
        texts = [node.text for node in self.running.children]
        found = [
            t for t in texts if re.match(rf"^username {re.escape(username)} privilege 15\b", t)
        ]
        aaa = "aaa new-model" in texts
        authorised = any(t.startswith("aaa authorization exec default") for t in texts)
        return 15 if found and (not aaa or authorised) else 1

    def reload(self) -> None:
        """Restart: the unsaved running config is lost, the startup config is loaded."""
        self.running = self._boot()
        self.booted = time.time()

    def uptime(self) -> int:
        """Seconds since the simulator started."""
        return int(time.time() - self.booted)
