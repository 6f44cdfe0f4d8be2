"""A host whose key is not in known_hosts is reported as exactly that, with the fix, by both
deploy engines (issue: one way to reach targets).

The lab's known_hosts loses one host's line for the test and gets it back afterwards; the
SSH master connection to that host is closed first, so the key is checked again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

MATOPS = str(Path(sys.executable).parent / "matops")
HOST = "oak-srv01"


@pytest.fixture
def forgotten(lab: Lab) -> Iterator[str]:
    """The lab's known_hosts without ``HOST``'s key; the file's text is restored afterwards."""
    known = lab.state_dir / "known_hosts"
    before = known.read_text()
    kept = [line for line in before.splitlines(keepends=True) if not line.startswith(f"{HOST},")]
    assert len(kept) == len(before.splitlines()) - 1
    address = before.split(f"{HOST},", 1)[1].split(" ", 1)[0]
    subprocess.run(["ssh", "-F", str(lab.ssh_config), "-O", "exit", HOST],
                   capture_output=True, check=False, timeout=30)  # fmt: skip
    known.write_text("".join(kept))
    try:
        yield address
    finally:
        known.write_text(before)


@pytest.mark.parametrize("engine", ["ansible", "pyinfra"])
def test_deploy_names_the_unknown_host_key_and_its_fix(
    lab: Lab, forgotten: str, engine: str
) -> None:
    argv = [MATOPS, "deploy", "example-trust", "--lab", "--limit", HOST, "--engine", engine,
            "--check"]  # fmt: skip
    env = {**os.environ, "COLUMNS": "400"}
    env.pop("MATOPS_LAB_DIR", None)
    done = subprocess.run(argv, env=env, text=True, capture_output=True, timeout=600, check=False)
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "unreachable" in done.stdout, shown
    flat = " ".join(done.stdout.replace("│", " ").split())
    assert "host key is not in known_hosts" in flat, shown
    assert f"ssh-keyscan -p 22 {forgotten}" in flat, shown
    assert "no operation ran" not in flat, shown
