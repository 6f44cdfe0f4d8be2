"""Print what a role's tasks plan for one inventory host, without connecting to it.

``python -m matops.deploy.show_plan roles/firewall --trust inventories/example-trust --host
stm-srv01`` loads the role as the pyinfra engine does (refusing what is not mapped, with
file:line), plans it for the host's variables as if every step changed and every read-only
command printed nothing, and lists each step with the items it manages (``--content``: and the
files' text): what a new role's author checks before the lab.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from matops.deploy.engine import CommandResult, Step, managed_items, plan_role
from matops.deploy.pyinfra_roles import DEPLOY_USER_COMMAND


def describe(step: Step, root: Path, content: bool = False) -> list[str]:
    """One line for the step, then one per managed item.

    >>> from matops.deploy.tasks import Task
    >>> task = Task("/r/x/tasks/main.yml:3", "x | Install it", "apt", {})
    >>> describe(Step(task, (0, 0), "apt", {"name": "cowsay"}), Path("/r/x"))
    ['apt  x | Install it  (tasks/main.yml:3)', '    package cowsay']
    """
    where = task_place(step.task.where, root)
    lines = [f"{step.module}  {step.name}  ({where})"]
    for item in managed_items(step):
        details = " ".join(f"{k}={v}" for k, v in item.expect)
        lines.append(f"    {item.kind} {item.key}" + (f"  {details}" if details else ""))
    if content and "content" in step.args:
        lines += [f"      | {line}" for line in str(step.args["content"]).splitlines()]
    return lines


def task_place(where: str, root: Path) -> str:
    """A task's file:line relative to the role's folder."""
    prefix = f"{root}/"
    return where[len(prefix) :] if where.startswith(prefix) else where


def _reads(user: str) -> Callable[[str], CommandResult]:
    def answer(shell: str) -> CommandResult:
        return CommandResult(f"{user}\n" if shell == DEPLOY_USER_COMMAND else "")

    return answer


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; exit 2 when the role or the host cannot be read."""
    from matops.deploy.tasks import TaskError
    from matops.inventory.ansible_vars import AnsibleVariables

    parser = argparse.ArgumentParser(prog="python -m matops.deploy.show_plan", description=__doc__)
    parser.add_argument("role", type=Path, help="the role's folder")
    parser.add_argument("--trust", type=Path, required=True, help="the trust's inventory folder")
    parser.add_argument("--host", required=True, help="an inventory host name")
    parser.add_argument("--content", action="store_true", help="show the files' content too")
    parser.add_argument("--user", default="matops", help="the deploy account (default: matops)")
    args = parser.parse_args(argv)
    variables = AnsibleVariables(args.trust)
    if args.host not in variables.hosts():
        print(f"no host {args.host} in {args.trust}", file=sys.stderr)
        return 2
    root = args.role.resolve()
    try:
        steps = plan_role(root, variables.rendered(args.host), args.host, _reads(args.user))
    except TaskError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{root.name} on {args.host}: {len(steps)} steps (as if each changed)")
    for step in steps:
        print("\n".join(describe(step, root, args.content)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
