"""The runbooks the repository supports, each step tied to the matops command that does it.

A step names its command by path (``("refresh", "plan")``); the page shows that command's own
summary and example, read from the CLI's help, so a runbook cannot point at a command that does
not exist or describe it differently from ``--help`` (the handbook's tests resolve every one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Step:
    """One step: what to do, the command that does it (if any) and where it is explained."""

    text: str
    command: tuple[str, ...] = ()
    doc: str = ""
    """A document of the matops repository (``docs/refresh.md``, "Plan")."""


@dataclass(frozen=True)
class Runbook:
    """A task someone looking after the trust will have to do, step by step."""

    anchor: str
    title: str
    when: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class CommandRef:
    """A command as its help describes it."""

    path: tuple[str, ...]
    summary: str
    example: str

    @property
    def anchor(self) -> str:
        """The id of the command's entry on the runbooks page."""
        return "cmd-" + "-".join(self.path)

    @property
    def name(self) -> str:
        """``matops refresh plan``."""
        return " ".join(("matops", *self.path))


RUNBOOKS = (
    Runbook(
        "add-a-school",
        "Add a school",
        "A school joins the trust, or an existing school is brought under matops.",
        (
            Step(
                "Write schools/<school>.yml: the school's VLAN and addressing plan, its switches "
                "with a role for every port group, its servers, and assets/<school>.csv, its "
                "asset register. Copy an existing school's file as the start.",
                doc="README.md, Inventories",
            ),
            Step(
                "Import the register from the asset tool's export.",
                ("inventory", "import-assets"),
                "docs/assets.md",
            ),
            Step(
                "Check the inventory: every problem is given as file:line.",
                ("inventory", "validate"),
                "README.md, Inventories",
            ),
            Step("See the school as matops reads it.", ("inventory", "show")),
            Step(
                "Rehearse on the lab: the school's hosts and switches at their own addresses.",
                ("lab", "up"),
                "README.md, The lab",
            ),
            Step("Scan it (in the lab with --lab, then for real).", ("scan",), "docs/scanning.md"),
            Step(
                "Rebuild this handbook: the school gets its page and drawing.",
                ("handbook", "build"),
                "docs/handbook.md",
            ),
        ),
    ),
    Runbook(
        "summer-refresh",
        "Rehearse and run a summer refresh",
        "Each summer holiday: bring every school's switches and servers to the baseline, wave "
        "by wave.",
        (
            Step(
                "See per school and device what would change and what blocks it.",
                ("refresh", "plan"),
                "docs/refresh.md, Plan",
            ),
            Step("Rehearse the whole run on the lab first.", ("lab", "up"), "README.md, The lab"),
            Step(
                "Dry run, then run the rehearsal with --lab; then the real run, wave by wave.",
                ("refresh", "run"),
                "docs/refresh.md, Run",
            ),
            Step(
                "If a run stops, continue it without redoing finished steps.",
                ("refresh", "resume"),
                "docs/refresh.md, Journal and resume",
            ),
            Step("Tear the lab down after the rehearsal.", ("lab", "down")),
            Step(
                "Give the governors the report of the post-refresh scan.",
                ("report",),
                "docs/reports.md",
            ),
        ),
    ),
    Runbook(
        "scan-failure",
        "Answer a scan failure",
        "The nightly scan failed, or a report shows failing or not judged checks.",
        (
            Step(
                "See what changed since the previous scan: new failures and regressions first.",
                ("results", "diff"),
                "docs/scanning.md, Results",
            ),
            Step(
                "Read the report's 'What could not be judged': an unreachable device or an "
                "unreadable fact is not a pass.",
                ("report",),
                "docs/reports.md, What could not be judged",
            ),
            Step(
                "Look up the failing check: why it matters and which role and tag fix it.",
                ("checks", "show"),
                "docs/checks.md",
            ),
            Step(
                "Fix a switch: see the commands first, then push them (backed up, verified, "
                "rolled back on failure).",
                ("network", "diff"),
                "docs/network.md",
            ),
            Step(
                "Fix a Linux host with the role the check names, in check mode first.",
                ("deploy",),
                "docs/deploy.md",
            ),
            Step(
                "Scan again and apply the same exit rule as the nightly run.",
                ("results", "check"),
                "docs/scanning.md",
            ),
        ),
    ),
)


@cache
def _cli() -> Any:  # typer's click command (typer may bring its own click)
    import typer.main

    from matops.cli import app  # the CLI imports the handbook: resolved when a page is built

    return typer.main.get_command(app)


def command(path: tuple[str, ...]) -> CommandRef:
    """The command at ``path`` from the CLI's own help; KeyError naming the valid ones if none.

    >>> command(("inventory", "validate")).example
    'matops inventory validate inventories/example-trust'
    """
    node = _cli()
    for part in path:
        commands = getattr(node, "commands", {})
        if part not in commands:
            raise KeyError(f"no command {part!r} under {node.name}; valid: {', '.join(commands)}")
        node = commands[part]
    lines = [line.strip() for line in (node.help or "").strip().splitlines()]
    first = lines[: lines.index("")] if "" in lines else lines
    summary = " ".join(first)
    example = next((line for line in lines if line.startswith("Example: ")), "")
    return CommandRef(path, summary, example.removeprefix("Example: "))


def commands_used() -> list[CommandRef]:
    """Every command the runbooks name, once each, in the order first named."""
    seen: dict[tuple[str, ...], CommandRef] = {}
    for book in RUNBOOKS:
        for step in book.steps:
            if step.command and step.command not in seen:
                seen[step.command] = command(step.command)
    return list(seen.values())
