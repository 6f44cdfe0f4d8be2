"""The lab for integration tests: brought up once per session, always torn down.

Integration tests need root. Without root they skip, saying why, except under ``CI=true``,
where they fail instead: CI must never pass by skipping the lab.

Switch targets run ``switchsim`` once it is runnable; until then (or with
``MATOPS_LAB_SWITCH_BACKEND=placeholder``) they run ``placeholder_switch.py`` beside this file.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from matops.inventory import load_trust
from matops.lab import lifecycle, netns, switches
from matops.lab.cabling import lab_cabling
from matops.lab.from_inventory import lab_mirror, lab_targets, lab_tenants
from matops.lab.mirror import LabMirror
from matops.lab.model import LabTarget
from matops.lab.tenants import LabTenants
from tests.conftest import EXAMPLE_TRUST

PLACEHOLDER = Path(__file__).with_name("placeholder_switch.py")

#: The whole example trust: 8 Linux hosts and 8 switches at their inventory addresses.
LAB_TARGETS = lab_targets(load_trust(EXAMPLE_TRUST))
LAB_CABLING = lab_cabling(EXAMPLE_TRUST, load_trust(EXAMPLE_TRUST))
#: The example trust's package mirror (``trust.apt_mirror``), served by the lab.
LAB_MIRROR = lab_mirror(load_trust(EXAMPLE_TRUST))
#: The example trust's tenants, served by the lab's tenant simulator.
LAB_TENANTS = lab_tenants(EXAMPLE_TRUST, load_trust(EXAMPLE_TRUST))


def require_root() -> None:
    """Skip (or fail under CI=true) when not root."""
    if os.geteuid() == 0:
        return
    reason = "integration tests need root: the lab creates namespaces, mounts and containers"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: not skipping)")
    pytest.skip(reason)


def placeholder_argv(target: LabTarget, files: switches.SwitchFiles) -> list[str]:
    """Command line of the placeholder switch (same arguments as the real backends)."""
    args = switches.backend_args(target, files)
    return [sys.executable, str(PLACEHOLDER), "--hostname", target.name, *args]


def switch_argv() -> switches.SwitchArgv | None:
    """The switch backend for the test lab: switchsim when runnable, else the placeholder."""
    forced = os.environ.get("MATOPS_LAB_SWITCH_BACKEND", "")
    if forced == "placeholder":
        return placeholder_argv
    if forced or switches.runnable_module("switchsim"):
        return switches.backend_argv(forced or "switchsim")
    return placeholder_argv


@dataclass(frozen=True)
class Lab:
    """A running test lab."""

    state_dir: Path
    targets: list[LabTarget]
    ip_forward_before: str
    switch_argv: switches.SwitchArgv | None = None
    shared: bool = False
    apt_mirror: LabMirror | None = LAB_MIRROR
    tenants: LabTenants | None = LAB_TENANTS

    def require_own(self) -> None:
        """Skip a test that takes the lab down or resets it when the lab is shared."""
        if self.shared:
            pytest.skip("takes the lab down: not on a shared lab (MATOPS_TEST_LAB)")

    @property
    def ssh_config(self) -> Path:
        return self.state_dir / "ssh_config"

    @property
    def linux(self) -> list[LabTarget]:
        return [t for t in self.targets if t.kind == "linux"]

    @property
    def switches(self) -> list[LabTarget]:
        return [t for t in self.targets if t.kind == "switch"]

    def ssh(
        self, name: str, *command: str, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """Run ``command`` on a lab host through the lab's ssh_config (no check)."""
        argv = ["ssh", "-F", str(self.ssh_config), name, *command]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)

    @staticmethod
    def placeholder_argv(target: LabTarget, files: switches.SwitchFiles) -> list[str]:
        """The placeholder switch's command line (for extra switches in tests)."""
        return placeholder_argv(target, files)

    def up(self) -> None:
        """Bring this lab up (again)."""
        lifecycle.lab_up(
            self.targets,
            self.state_dir,
            switch_argv=self.switch_argv,
            apt_mirror=self.apt_mirror,
            lab_tenants=self.tenants,
            cabling=LAB_CABLING,
        )


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The running lab; torn down after the session whatever happens."""
    require_root()
    forward = Path("/proc/sys/net/ipv4/ip_forward").read_text().strip()
    shared = os.environ.get("MATOPS_TEST_LAB", "")
    if shared:
        # A lab already running there (``matops lab up --state-dir DIR``): use it, leave it up.
        # For development only, several people sharing one lab; CI always builds its own.
        if not (Path(shared) / "ssh_config").is_file():
            pytest.fail(f"MATOPS_TEST_LAB={shared}: no running lab there (no ssh_config)")
        yield Lab(Path(shared), list(LAB_TARGETS), forward, switch_argv(), shared=True)
        return
    with _session_lock():
        _sweep_crashed_test_lab(tmp_path_factory.getbasetemp().parent)
        state_dir = tmp_path_factory.mktemp("lab")
        running = Lab(state_dir, list(LAB_TARGETS), forward, switch_argv())
        running.up()  # on failure lab_up removes what it started (or touched nothing: refusal)
        try:
            yield running
        finally:
            lifecycle.lab_down(state_dir)


#: Held by the test session that owns the lab, so that a second one waits instead of colliding.
SESSION_LOCK = Path("/run/matops-test-lab.lock")


@contextmanager
def _session_lock() -> Iterator[None]:
    """Hold :data:`SESSION_LOCK` (released by the kernel if this process dies)."""
    with SESSION_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _sweep_crashed_test_lab(test_temp_root: Path) -> None:
    """Take down a lab left by an earlier test session that died (killed, machine restarted).

    Only a lab whose state folder lies under pytest's temporary root is taken down, and only
    while this session holds the lock: no live session can own it then. A lab started by
    ``matops lab up`` elsewhere is left alone, and ``lab_up`` refuses with its own message.
    """
    owner = netns.bridge_owner()
    if owner is None or not Path(owner).is_relative_to(test_temp_root):
        return
    warnings.warn(f"taking down a lab left by a crashed test session: {owner}", stacklevel=1)
    lifecycle.lab_down(Path(owner))
