"""``matops checks``: list, show and docs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["checks", *args], terminal_width=200)
    return result.exit_code, result.output


def test_list_filters_and_json() -> None:
    code, output = run("list", "--json")
    checks = json.loads(output)
    assert code == 0 and len(checks) >= 55
    assert {c["area"] for c in checks} == {"register", "network", "host", "tenant", "device"}
    code, output = run("list", "--area", "network", "--tag", "snmp")
    assert code == 0 and "switch_snmp_v3_only" in output and "ssh_root_login_disabled" not in output


def test_show_one_check_and_unknown_ids() -> None:
    code, output = run("show", "switch_telnet_disabled")
    assert code == 0 and "Telnet is disabled" in output and "factory_telnet_ssh.fail.yml" in output
    code, output = run("show", "switch_telnet")
    assert code == 2 and "did you mean: switch_telnet_disabled" in output


def test_docs_check_matches_the_committed_file(tmp_path: Path) -> None:
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        code, _ = run("docs", "--check")
        assert code == 0
    finally:
        os.chdir(cwd)
    os.chdir(tmp_path)
    try:
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "checks.md").write_text("stale\n")
        code, output = run("docs", "--check")
        assert code == 1 and "out of date" in output
        assert run("docs", "--write")[0] == 0
        assert run("docs", "--check")[0] == 0
    finally:
        os.chdir(cwd)
