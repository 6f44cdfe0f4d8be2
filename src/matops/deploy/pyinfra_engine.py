"""The pyinfra engine: a role's Ansible tasks applied with pyinfra operations.

``matops deploy --engine pyinfra`` gives pyinfra one small deploy file per role that calls
:func:`apply_role`. The role's tasks are loaded (:func:`matops.deploy.tasks.load_role`, which
refuses what is not mapped), planned for the current host (:func:`matops.deploy.engine.plan`) and
each step becomes the one pyinfra operation its module maps to (:func:`operation`). Read-only
commands are pyinfra facts, run while planning, as Ansible runs them with ``check_mode: false``.
Whether a step changes is pyinfra's plan-time ``will_change``, which decides handlers and
``is changed`` conditions, so ``--dry --diff`` shows the same plan that a real run applies.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matops.deploy.engine import CommandResult, Read, Request, Step, drive, plan
from matops.deploy.notes import note
from matops.deploy.pyinfra_roles import Role, fail_command, installed_file
from matops.deploy.tasks import load_role

_RC_MARK = "matops-rc="


def _systemd(args: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    from pyinfra.operations import systemd

    if args.get("daemon_reload") and "name" not in args:
        return systemd.daemon_reload, {}
    if args.get("daemon_reexec") and "name" not in args:
        from pyinfra.operations import server

        return server.shell, {"commands": ["systemctl daemon-reexec"]}
    state = args.get("state")
    kwargs: dict[str, Any] = {"service": args["name"]}
    if "enabled" in args:
        kwargs["enabled"] = bool(args["enabled"])
    if state in ("started", "stopped"):
        kwargs["running"] = state == "started"
    elif state in ("reloaded", "restarted"):
        kwargs[state] = True
    if args.get("daemon_reload"):
        kwargs["daemon_reload"] = True
    return systemd.service, kwargs


def _owner(args: Mapping[str, Any]) -> dict[str, Any]:
    """Ansible's owner, group and mode as pyinfra's user, group and mode (those given)."""
    names = (("user", "owner"), ("group", "group"), ("mode", "mode"))
    return {ours: args[theirs] for ours, theirs in names if theirs in args}


def _file(args: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    from pyinfra.operations import files

    if args.get("state") == "absent":
        return files.file, {"path": args["path"], "present": False}
    if args.get("state") == "link":
        return files.link, {
            "path": args["dest"],
            "target": args["src"],
            "force": bool(args.get("force")),
        }
    if args.get("state") in (None, "file"):  # an existing file's owner, group and mode
        return files.file, {"path": args["path"], **_owner(args)}
    return files.directory, {"path": args["path"], **_owner(args)}


def _user(args: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    from pyinfra.operations import server

    name = str(args["name"])
    if args.get("state") == "absent":  # remove: false, as the tasks say: the home folder stays
        return server.user, {"user": name, "present": False}
    if args.get("password_lock"):
        return server.shell, {"commands": [f"usermod --lock {shlex.quote(name)}"]}
    names = {"comment": "comment", "shell": "shell", "home": "home", "create_home": "create_home",
             "groups": "groups", "append": "append"}  # fmt: skip
    return server.user, {"user": name, **{ours: args[k] for k, ours in names.items() if k in args}}


def operation(step: Step) -> tuple[Any, dict[str, Any]]:
    """The pyinfra operation and its arguments for one step: each module mapped here, once."""
    from pyinfra.operations import apt, server

    args = step.args
    if step.module == "apt":
        names = args["name"]
        packages = [names] if isinstance(names, str) else list(names)
        if args.get("state") == "absent":
            return apt.packages, {
                "packages": packages,
                "present": False,
                "purge": bool(args.get("purge")),
            }
        return apt.packages, {"packages": packages}
    if step.module in ("template", "lineinfile"):
        owner = {"user": args.get("owner", "root"), "group": args.get("group", "root")}
        extra = {"validate": args["validate"]} if args.get("validate") else {}
        mode = str(args.get("mode", "0644"))
        dest = args["dest"] if step.module == "template" else args["path"]
        return installed_file, {"dest": dest, "content": args["content"], "mode": mode,
                                **owner, **extra}  # fmt: skip
    if step.module == "file":
        return _file(args)
    if step.module == "systemd_service":
        return _systemd(args)
    if step.module == "command":
        line = args.get("cmd") or shlex.join(str(a) for a in args["argv"])
        return server.shell, {"commands": [line]}
    if step.module == "user":
        return _user(args)
    if step.module == "assert":
        return server.shell, {"commands": [fail_command(args["message"])]}
    if step.module == "debug":  # an operation that only reports, as the debug task is "ok"
        return note, {"message": " ".join(str(args.get("msg", "")).split())}
    raise ValueError(f"{step.task.where}: module {step.module} has no pyinfra operation")


def read(request: Read) -> CommandResult:
    """Run a read-only command on pyinfra's current host while planning (a fact)."""
    from pyinfra.context import host
    from pyinfra.facts.server import Command

    marked = f"{{ {request.shell}; }} 2>/dev/null; printf '\\n{_RC_MARK}%s\\n' \"$?\""
    output = str(host.get_fact(Command, marked) or "")
    body, _, rc = output.rpartition(_RC_MARK)
    return CommandResult(body.rstrip("\n"), int(rc.strip() or 1))


@contextmanager
def _position(order: tuple[int, int]) -> Iterator[None]:
    """Order operations by (task, loop item), the same on every host: pyinfra orders a deploy
    file's operations by call site, and every step is issued from the one call site below."""
    from pyinfra.context import host

    host.loop_position.extend(order)
    try:
        yield
    finally:
        del host.loop_position[-len(order) :]


def answer(request: Request) -> Any:
    """A read's result, or whether a step's operation will change."""
    if isinstance(request, Read):
        return read(request)
    function, kwargs = operation(request)
    with _position(request.order):
        meta = function(name=request.name, **kwargs)
    return bool(meta.will_change)


def apply_role(role_dir: str | Path) -> None:
    """Apply the role's tasks to pyinfra's current host (call from a deploy file)."""
    from pyinfra.context import host

    role = Role.load(Path(role_dir), dict(host.data.dict()), host.name)  # type: ignore[no-untyped-call]
    drive(plan(load_role(role.path), role.vars, role.render_with), answer)
