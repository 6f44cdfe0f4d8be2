"""The example in docs/reports.md runs as documented."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app
from tests.report.conftest import REPO
from tests.support import doc_examples

DOC = REPO / "docs" / "reports.md"


def _example_commands() -> list[list[str]]:
    """The commands of the first console block under "## Example" (continuations joined)."""
    section = DOC.read_text().split("## Example", 1)[1]
    blocks = doc_examples.parse(str(DOC), section)
    return [doc_examples.argv(c) for c in blocks[0].commands] if blocks else []


def test_documented_example_runs(tmp_path: Path) -> None:
    commands = _example_commands()
    assert len(commands) == 3
    for argv in commands:
        args = [a.replace("/tmp/matops-docs", str(tmp_path)) for a in argv][1:]
        result = CliRunner().invoke(app, args, terminal_width=200)
        assert result.exit_code in ((0, 1) if args[0] == "scan" else (0,)), result.output
    report = tmp_path / "report"
    for name in ("index.html", "summary.md", "report.json", "findings.csv", "junit.xml"):
        assert (report / name).is_file(), name
    assert "every file matches" in result.output
