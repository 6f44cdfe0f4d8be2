"""Idle SSH sessions are really closed: a session held open on a lab host, before and after the
ssh_hardening role, with a short timeout (20 s) set for the trust's Linux hosts in a copy of the
trust. Fail then pass: the check fails before the deploy and passes after it, and the session
opened after the deploy is closed by the host while one opened before it (under the old
settings) stays open. The host is then deployed with the real trust again (600 s).

Ansible on riv-svc01, pyinfra on riv-ws01 (hosts no other deploy test changes this way).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from matops.deploy.runner import Engine
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab
from tests.integration.roles_support import deploy_trust

pytestmark = pytest.mark.integration

HOSTS = {Engine.ANSIBLE: "riv-svc01", Engine.PYINFRA: "riv-ws01"}
SHORT = 20
"""The idle timeout (seconds) the test deploys: short enough to wait for."""
WAIT = 150
"""At most this long (seconds) for the host to close the idle session (a loaded 2-core machine)."""
MANAGED = (
    "/etc/ssh/sshd_config.d/00-matops-hardening.conf",
    "/etc/profile.d/matops-idle-timeout.sh",
)


@pytest.fixture(scope="module")
def short_trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example trust whose Linux hosts get a 20 s idle timeout."""
    root = tmp_path_factory.mktemp("idle") / "example-trust"
    shutil.copytree(EXAMPLE_TRUST, root)
    settings = root / "group_vars" / "linux.yml"
    settings.write_text(settings.read_text() + f"ssh_hardening_idle_timeout: {SHORT}\n")
    return root


def scan(lab: Lab, trust: Path, host: str, out: Path) -> dict[str, str]:
    """``matops scan`` of ssh_idle_timeout on one host: the finding's status and detail."""
    tool = Path(sys.executable).with_name("matops")
    argv = [str(tool), "scan", str(trust), "--lab", "--lab-dir", str(lab.state_dir),
            "--target", host, "--checks", "ssh_idle_timeout", "--fail-on", "never",
            "--output", str(out)]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    # exit 1 too: the example trust carries expired waivers, which fail every scan
    assert done.returncode in (0, 1) and out.is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    (finding,) = [f for f in json.loads(out.read_text())["findings"] if f["target"] == host]
    return {"status": finding["status"], "detail": finding["detail"]}


@pytest.fixture
def sessions(lab: Lab) -> Iterator[list[subprocess.Popen[str]]]:
    """Idle sessions opened by a test, always closed afterwards."""
    opened: list[subprocess.Popen[str]] = []
    yield opened
    for session in opened:
        if session.poll() is None:
            session.kill()
        session.wait(timeout=30)


def hold(lab: Lab, host: str, opened: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    """An idle session: its own connection (no shared master), a terminal, a client that
    answers the server's keep-alives and sends its own every 5 s, running ``cat`` with nothing
    ever typed (a program, not a shell prompt: TMOUT cannot close it, only sshd can)."""
    argv = ["ssh", "-F", str(lab.ssh_config), "-o", "ControlPath=none",
            "-o", "ServerAliveInterval=5", "-tt", host, "cat"]  # fmt: skip
    session = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    opened.append(session)
    return session


def open_for(session: subprocess.Popen[str], seconds: float) -> bool:
    """Whether the session is still open after ``seconds`` (polled; no timing is asserted)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if session.poll() is not None:
            return False
        time.sleep(1)
    return session.poll() is None


@pytest.mark.parametrize("engine", list(HOSTS), ids=lambda e: e.value)
def test_idle_session_is_closed(
    lab: Lab,
    short_trust: Path,
    tmp_path: Path,
    engine: Engine,
    sessions: list[subprocess.Popen[str]],
) -> None:
    host = HOSTS[engine]
    reset = f"sudo rm -f {' '.join(MANAGED)} && sudo systemctl reload ssh"
    assert lab.ssh(host, reset).returncode == 0
    before = scan(lab, EXAMPLE_TRUST, host, tmp_path / "before.json")
    assert before["status"] == "fail", before
    assert "no ChannelTimeout" in before["detail"] and "no TMOUT" in before["detail"]
    old = hold(lab, host, sessions)  # opened under the old settings: sshd never times it out

    try:
        deploy_trust(lab, short_trust, engine, [host], ["ssh_hardening"])
        after = scan(lab, short_trust, host, tmp_path / "after.json")
        assert after["status"] == "pass", after
        assert f"close after {SHORT}s" in after["detail"]

        new = hold(lab, host, sessions)
        assert open_for(new, 3), "the session did not open"
        assert not open_for(new, WAIT), f"an idle session stayed open over {WAIT} s"
        # closed by the host's sshd: the session from before the deploy, as idle, is still open
        assert old.poll() is None, "the session from before the deploy was closed too"
        # login shells get the short TMOUT, and cannot unset it
        shell = lab.ssh(host, "bash -lc 'echo $TMOUT; unset TMOUT || echo kept'")
        assert shell.stdout.split() == [str(SHORT), "kept"], shell
    finally:
        deploy_trust(lab, EXAMPLE_TRUST, engine, [host], ["ssh_hardening"])
    assert scan(lab, EXAMPLE_TRUST, host, tmp_path / "restored.json")["status"] == "pass"
