"""``matops network`` end to end: render, diff, push (converge and roll back), backup.

Switch connections go to simulators on loopback: the test swaps the connection lookup (normally
the lab's state or the trust's known_hosts and credentials) for the simulators' settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.network import jobs
from tests.network.conftest import FICTIONAL, make_vaulted_trust
from tests.support.sim import SimSwitch

runner = CliRunner()


@pytest.fixture
def trust(tmp_path: Path) -> tuple[Path, Path]:
    return make_vaulted_trust(tmp_path)


@pytest.fixture
def sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimSwitch]:
    switch = SimSwitch("riv-sw03", "aruba_aoscx", "6100 JL679A", tmp_path / "sim").start()
    monkeypatch.setattr(jobs, "connection_settings", lambda *args: switch.settings())
    try:
        yield switch
    finally:
        switch.stop()


def _run(*args: str) -> Any:
    return runner.invoke(app, ["network", *args], terminal_width=200)


def test_render_redacts_unless_asked(trust: tuple[Path, Path]) -> None:
    root, password = trust
    common = [str(root), "--device", "oak-sw01", "--vault-password-file", str(password)]
    redacted = _run("render", *common)
    assert redacted.exit_code == 0, redacted.output
    assert "hostname oak-sw01" in redacted.stdout and "key 7 <redacted>" in redacted.stdout
    assert not any(value in redacted.stdout for value in FICTIONAL.values())
    shown = _run("render", *common, "--show-secrets")
    assert FICTIONAL["vault_network_admin_hash_ios"] in shown.stdout


def test_render_without_the_vault_fails_naming_the_variable() -> None:
    result = _run("render", "inventories/example-trust", "--device", "oak-sw01")
    assert result.exit_code == 2
    assert "network_admin_secret_hash is not defined" in result.output


def test_unknown_device_lists_the_switches(trust: tuple[Path, Path]) -> None:
    result = _run("render", str(trust[0]), "--device", "nope")
    assert result.exit_code == 2 and "oak-sw01" in result.output


def test_diff_push_and_diff_again(trust: tuple[Path, Path], sim: SimSwitch) -> None:
    root, password = trust
    common = [str(root), "--device", "riv-sw03", "--vault-password-file", str(password)]
    before = _run("diff", *common)
    assert before.exit_code == 0, before.output
    assert "planned" in before.stdout and "no https-server vrf default" in before.stdout
    assert "fictional-radius-key" not in before.stdout
    pushed = _run("push", *common, "--parallel", "2")
    assert pushed.exit_code == 0, pushed.output
    assert "applied" in pushed.stdout
    assert (root / "backups" / "riverside-academy" / "riv-sw03.cfg").is_file()
    after = _run("diff", *common)
    assert after.exit_code == 0 and "unchanged" in after.stdout


def test_failed_push_exits_non_zero_and_says_rolled_back(
    trust: tuple[Path, Path], sim: SimSwitch
) -> None:
    root, password = trust
    sim.reject(r"^\s*spanning-tree port-type admin-edge")
    common = [str(root), "--device", "riv-sw03", "--vault-password-file", str(password)]
    result = _run("push", *common)
    assert result.exit_code == 1, result.output
    assert "rolled back" in result.stdout and "riv-sw03" in result.stdout
    assert "admin-edge" in result.stdout


def test_backup_writes_redacted_files(trust: tuple[Path, Path], sim: SimSwitch) -> None:
    root, password = trust
    result = _run("backup", str(root), "--school", "riverside-academy", "--device", "riv-sw03",
                  "--vault-password-file", str(password))  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = (root / "backups" / "riverside-academy" / "riv-sw03.cfg").read_text()
    assert "hostname riv-sw03" in saved and "ciphertext <redacted>" in saved
