"""Every command of the CLI has help with an example."""

from __future__ import annotations

from typing import Any

import typer.main
from typer.testing import CliRunner

from matops.cli import app


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            found += _commands(command, path)
        else:
            found.append(path)
    return found


def test_top_level_help_lists_command_groups() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in ("inventory", "lab"):
        assert group in result.stdout


def test_every_command_help_has_an_example() -> None:
    root = typer.main.get_command(app)
    commands = _commands(root)
    assert len(commands) >= 7
    for path in commands:
        result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, path
        assert "Example: matops " in result.stdout, f"no example in help of {' '.join(path)}"
