"""Helpers shared by CLI commands: consoles, exit codes, loading a trust with clean errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from matops.inventory import Problem, Trust, load
from matops.paths import resolve_trust

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

TrustArg = Annotated[
    str | None,
    typer.Argument(help="Trust name (under inventories/) or inventory folder.", show_default=False),
]


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error to stderr and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def print_problems(problems: list[Problem]) -> None:
    """One ``path:line: message`` line per problem on stderr, without markup or wrapping."""
    for problem in problems:
        err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)


def load_trust_or_exit(trust: str | None) -> tuple[Path, Trust]:
    """Load a trust; on errors print them as ``path:line: message`` and exit 2."""
    root = resolve_trust(trust)
    result = load(root)
    if result.trust is None:
        print_problems(result.problems)
        raise typer.Exit(EXIT_USAGE)
    return root, result.trust
