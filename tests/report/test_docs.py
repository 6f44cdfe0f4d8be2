"""The example in docs/reports.md runs as documented."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app
from tests.report.conftest import REPO

DOC = REPO / "docs" / "reports.md"


def _example_commands() -> list[str]:
    section = DOC.read_text().split("## Example", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.S)
    assert block is not None
    return [line[2:] for line in block.group(1).splitlines() if line.startswith("$ matops ")]


def test_documented_example_runs(tmp_path: Path) -> None:
    commands = _example_commands()
    assert len(commands) == 3
    for command in commands:
        args = shlex.split(command.replace("/tmp/matops-docs", str(tmp_path)))[1:]
        result = CliRunner().invoke(app, args, terminal_width=200)
        assert result.exit_code in ((0, 1) if args[0] == "scan" else (0,)), result.output
    report = tmp_path / "report"
    for name in ("index.html", "summary.md", "report.json", "findings.csv", "junit.xml"):
        assert (report / name).is_file(), name
    assert "every file matches" in result.output
