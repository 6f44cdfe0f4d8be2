"""playbooks/network.yml with the matops_network_push module, against a simulator on loopback.

ansible-playbook runs for real (check mode with --diff, a push, check mode again); the switch's
address is overridden with matops_network_host/port so that only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from matops.ansible_env import ansible_environment
from tests.conftest import REPO
from tests.network.conftest import make_vaulted_trust
from tests.support.sim import PASSWORD, SimSwitch

BIN = Path(sys.executable).parent


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimSwitch]:
    switch = SimSwitch("riv-sw03", "aruba_aoscx", "6100 JL679A", tmp_path / "sim").start()
    try:
        yield switch
    finally:
        switch.stop()


def _playbook(
    root: Path, password: Path, sim: SimSwitch, *extra: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, **ansible_environment(), "ANSIBLE_VAULT_PASSWORD_FILE": str(password),
        "MATOPS_NET_USERNAME": "admin", "MATOPS_NET_PASSWORD": PASSWORD,
        "MATOPS_NET_KNOWN_HOSTS": str(sim.known_hosts), "ANSIBLE_NOCOLOR": "1",
    }  # fmt: skip
    argv = [
        str(BIN / "ansible-playbook"), "-i", str(root), "playbooks/network.yml",
        "--limit", "riv-sw03", "-e", "matops_network_host=127.0.0.1",
        "-e", f"matops_network_port={sim.port}", *extra,
    ]  # fmt: skip
    return subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, check=False)


def test_playbook_checks_pushes_and_then_changes_nothing(tmp_path: Path, sim: SimSwitch) -> None:
    root, password = make_vaulted_trust(tmp_path)
    check = _playbook(root, password, sim, "--check", "--diff")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "changed=1" in check.stdout and "no https-server vrf default" in check.stdout
    assert "fictional-radius-key" not in check.stdout
    push = _playbook(root, password, sim)
    assert push.returncode == 0, push.stdout + push.stderr
    assert "changed=1" in push.stdout
    assert (root / "backups" / "riverside-academy" / "riv-sw03.cfg").is_file()
    again = _playbook(root, password, sim, "--check")
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout


def test_playbook_fails_the_host_when_the_push_is_rolled_back(
    tmp_path: Path, sim: SimSwitch
) -> None:
    root, password = make_vaulted_trust(tmp_path)
    sim.reject(r"^cli-session")
    result = _playbook(root, password, sim)
    assert result.returncode != 0
    assert "rolled back" in result.stdout and "cli-session" in result.stdout
