"""Plan a role's Ansible tasks for one host, as Ansible would run them, without any I/O.

:func:`plan` walks the tasks loaded by :mod:`matops.deploy.tasks` with Ansible's own templar:
``when`` (per loop item), ``loop`` and ``loop_control.loop_var``, ``register``, ``notify`` and
handlers (run at the end, in the handler file's order, when a notifying step changes),
``assert``, ``debug``, read-only commands (``changed_when: false``) and the role's templates
(rendered as :mod:`matops.deploy.variables` renders them for either engine). It is a generator:
it yields a :class:`Read` when it needs a host's answer (a read-only command: send back a
:class:`CommandResult`) and a :class:`Step` for each managed item (send back whether it changes).
The pyinfra engine (:mod:`matops.deploy.pyinfra_engine`) answers from a real host; tests answer
from data (:func:`plan_steps`).
"""

from __future__ import annotations

import base64
import shlex
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matops.ansible_env import prepare_in_process
from matops.deploy.lineinfile import lineinfile
from matops.deploy.pyinfra_roles import DEPLOY_USER_COMMAND
from matops.deploy.tasks import RoleSource, Task, load_role
from matops.inventory.ansible_vars import plain

prepare_in_process()

from ansible.parsing.dataloader import DataLoader  # noqa: E402 - configured just above
from ansible.template import Templar  # noqa: E402


@dataclass(frozen=True)
class Read:
    """A read-only command the plan needs answered (``argv``, or a shell line in ``cmd``)."""

    task: Task | None
    argv: tuple[str, ...] = ()
    cmd: str = ""

    @property
    def shell(self) -> str:
        """The command as one shell line, arguments quoted."""
        return self.cmd or shlex.join(self.argv)


@dataclass(frozen=True)
class CommandResult:
    """What a read-only command printed and its exit status."""

    stdout: str
    rc: int = 0

    def registered(self) -> dict[str, Any]:
        """As Ansible registers a command's result."""
        out = self.stdout.rstrip("\n")
        return {"stdout": out, "stdout_lines": out.splitlines(), "rc": self.rc, "changed": False,
                "failed": False, "skipped": False}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One managed item (or a failure/note) for the host: the module and its templated args."""

    task: Task
    order: tuple[int, int]  # (task index, loop index): the same on every host
    module: str
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The operation's name: the task's, so both engines' output lines up."""
        return self.task.name


Request = Read | Step

#: ``getent shadow`` as the engine reads it: a password that is set shows as ``*``, so no hash
#: ever leaves the host; an empty one stays empty (what ``no_empty_passwords`` looks for).
SHADOW_COMMAND = 'getent shadow | awk -F: \'BEGIN { OFS = ":" } $2 != "" { $2 = "*" } { print }\''
Renderer = Callable[[str, Mapping[str, Any]], str]


class _Walker:
    def __init__(self, source: RoleSource, variables: Mapping[str, Any], render: Renderer):
        self.source = source
        self.render = render
        self.values: dict[str, Any] = dict(variables)
        self.files: dict[str, dict[str, str]] = {}  # lineinfile's files, as this plan leaves them
        self.templar = Templar(loader=DataLoader(), variables=self.values)

    def template(self, value: Any, scope: Mapping[str, Any]) -> Any:
        self.templar.available_variables = {**self.values, **scope}
        return plain(self.templar.template(value))

    def holds(self, conditions: tuple[Any, ...], scope: Mapping[str, Any]) -> bool:
        self.templar.available_variables = {**self.values, **scope}
        return all(
            c if isinstance(c, bool) else self.templar.evaluate_conditional(c) for c in conditions
        )

    def items(self, task: Task) -> list[Any]:
        if task.loop is None:
            return [None]
        items = self.template(task.loop, {})
        if not isinstance(items, list):
            raise ValueError(f"{task.where}: loop is not a list")
        return items

    def run(self, task: Task, index: int) -> Generator[Request, Any, bool]:
        """Every loop item of one task; registers the result; True when anything changed."""
        results: list[dict[str, Any]] = []
        for position, item in enumerate(self.items(task)):
            scope: dict[str, Any] = {} if task.loop is None else {task.loop_var: item}
            scope |= {k: self.template(v, scope) for k, v in task.vars.items()}
            looped = {} if task.loop is None else {task.loop_var: item}
            if not self.holds(task.when, scope):
                results.append({"changed": False, "skipped": True, **looped})
                continue
            result = yield from self.one(task, (index, position), scope)
            results.append({**result, **looped})
        changed = any(r.get("changed") for r in results)
        if task.register:
            looped = {"results": results, "changed": changed}
            self.values[task.register] = results[0] if task.loop is None else looped
        return changed

    def one(
        self, task: Task, order: tuple[int, int], scope: Mapping[str, Any]
    ) -> Generator[Request, Any, dict[str, Any]]:
        args = {k: self.template(v, scope) for k, v in task.args.items()}
        if task.module == "assert":
            if self.holds(tuple(_listed(task.args["that"])), scope):
                return {"changed": False}
            args = {"message": " ".join(str(args.get("fail_msg", "assertion failed")).split())}
        elif task.module == "command" and task.keywords.get("changed_when") is False:
            read = Read(task, tuple(str(a) for a in args.get("argv", ())), str(args.get("cmd", "")))
            answer: CommandResult = yield read
            if answer.rc and task.keywords.get("failed_when", True) is not False:
                step = Step(task, order, "assert", {"message": f"{read.shell} exited {answer.rc}"})
                yield step
            return answer.registered()
        elif task.module == "set_fact":
            self.values |= args
            return {"changed": False}
        elif task.module == "stat":
            path = shlex.quote(str(args["path"]))
            found: CommandResult = yield Read(task, cmd=f"test -e {path} && echo exists")
            return {"changed": False, "stat": {"exists": found.stdout.strip() == "exists"}}
        elif task.module == "getent":
            table: CommandResult = yield Read(task, cmd=SHADOW_COMMAND)
            rows = [line.split(":") for line in table.stdout.splitlines() if line]
            shadow = {row[0]: row[1:] for row in rows}
            facts = {**self.values.get("ansible_facts", {}), "getent_shadow": shadow}
            self.values |= {"ansible_facts": facts, "getent_shadow": shadow}
            return {"changed": False}
        elif task.module == "file" and "state" not in args:  # Ansible keeps the path's kind
            q = shlex.quote(str(args["path"]))
            kind: CommandResult = yield Read(task, cmd=f"test -d {q} && echo directory")
            args["state"] = "directory" if kind.stdout.strip() == "directory" else "file"
        elif task.module == "lineinfile":
            edited = yield from self.edit_line(task, order, args)
            if edited is None:
                return {"changed": False}
            args = edited
        elif task.module == "template":
            args["content"] = self.render(str(args["src"]), {**self.values, **scope})
        changed = yield Step(task, order, task.module, args)
        return {"changed": bool(changed), "skipped": False, "failed": False}

    def edit_line(
        self, task: Task, order: tuple[int, int], args: dict[str, Any]
    ) -> Generator[Request, Any, dict[str, Any] | None]:
        """``lineinfile`` as Ansible does it, on the file as earlier steps of this plan left it;
        the owner, group and mode the task does not name stay as they are."""
        path = str(args["path"])
        if path not in self.files:
            q = shlex.quote(path)
            now: CommandResult = yield Read(task, cmd=f"stat -c '%U %G %a' {q} && base64 -w0 {q}")
            lines = now.stdout.split("\n", 1)
            if now.rc or len(lines) != 2:  # the stat line, then the text
                yield Step(task, order, "assert", {"message": f"{path} does not exist"})
                return None
            owner, group, mode = lines[0].split()
            text = base64.b64decode(lines[1].strip()).decode("utf-8")
            self.files[path] = {"owner": owner, "group": group, "mode": mode.zfill(4), "text": text}
        current = self.files[path]
        for key in ("owner", "group", "mode"):
            current[key] = str(args.get(key, current[key]))
        current["text"] = lineinfile(
            current["text"], str(args["regexp"]), str(args["line"]), args.get("insertafter")
        )
        return {
            **args,
            "content": current["text"],
            **{k: current[k] for k in ("owner", "group", "mode")},
        }

    def walk(self) -> Generator[Request, Any, None]:
        user: CommandResult = yield Read(None, cmd=DEPLOY_USER_COMMAND)
        name = user.stdout.strip()
        self.values |= {"ansible_env": {"SUDO_USER": name}, "ansible_user_id": name}
        notified: set[str] = set()
        for index, task in enumerate(self.source.tasks):
            if (yield from self.run(task, index)):
                notified |= set(task.notify)
        first = len(self.source.tasks)
        for index, handler in enumerate(self.source.handlers, start=first):
            if handler.name in notified:
                yield from self.run(handler, index)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def plan(
    source: RoleSource, variables: Mapping[str, Any], render: Renderer
) -> Generator[Request, Any, None]:
    """The role's requests for a host with these (resolved) role variables; see the module."""
    return _Walker(source, variables, render).walk()


def drive(requests: Generator[Request, Any, None], answer: Callable[[Request], Any]) -> None:
    """Answer every request in turn (one call site, so pyinfra orders operations by task)."""
    reply: Any = None
    try:
        while True:
            reply = answer(requests.send(reply))
    except StopIteration:
        return


def plan_steps(
    source: RoleSource,
    variables: Mapping[str, Any],
    render: Renderer,
    reads: Callable[[str], CommandResult],
    changed: bool = True,
) -> list[Step]:
    """The steps for a host whose read-only commands answer ``reads(shell line)``, every step
    answering ``changed``: the plan without a host, for tests and docs."""
    steps: list[Step] = []

    def answer(request: Request) -> Any:
        if isinstance(request, Read):
            return reads(request.shell)
        steps.append(request)
        return changed

    drive(plan(source, variables, render), answer)
    return steps


def plan_role(
    role_dir: Path,
    host_vars: Mapping[str, Any],
    hostname: str,
    reads: Callable[[str], CommandResult],
    changed: bool = True,
) -> list[Step]:
    """:func:`plan_steps` for the role at ``role_dir`` on a host with this inventory data
    (``AnsibleVariables(trust).rendered(host)``, as the pyinfra adapter hands it over)."""
    from matops.deploy.pyinfra_roles import Role

    role = Role.load(role_dir, dict(host_vars), hostname)
    return plan_steps(load_role(role_dir), role.vars, role.render_with, reads, changed)


@dataclass(frozen=True)
class Item:
    """Something a step leaves on the host, and what the step says it must be."""

    kind: (
        str  # (no) package, file, directory, attributes, link, absent, line, service,
        # (no) account, locked, sysctl
    )
    key: str  # package name, path, unit name
    expect: tuple[tuple[str, str], ...] = ()  # (owner, root), (mode, 0644), (enabled, True), ...


SYSCTL_DIR = "/etc/sysctl.d/"
"""Where a template's ``key = value`` lines are kernel settings the role sets."""


def sysctl_items(dest: str, content: str) -> list[Item]:
    """The kernel settings a file in /etc/sysctl.d names, each with the value it sets.

    >>> sysctl_items("/etc/sysctl.d/60-x.conf", "# note\\nfs.suid_dumpable = 0\\n")
    [Item(kind='sysctl', key='fs.suid_dumpable', expect=(('value', '0'),))]
    >>> sysctl_items("/etc/hosts", "a = b")
    []
    """
    if not (dest.startswith(SYSCTL_DIR) and dest.endswith(".conf")):
        return []
    items = []
    for line in content.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith(("#", ";")):
            items.append(Item("sysctl", key.strip().lstrip("-"), (("value", value.strip()),)))
    return items


def managed_items(step: Step) -> list[Item]:
    """The items a step manages (none for commands, notes, failures, reloads and restarts).

    >>> from matops.deploy.tasks import Task
    >>> task = Task("x.yml:1", "n", "apt", {})
    >>> managed_items(Step(task, (0, 0), "apt", {"name": ["a", "b"]}))[1].key
    'b'
    """
    args = step.args

    def expect(*names: str) -> tuple[tuple[str, str], ...]:
        return tuple((n, str(args[n])) for n in names if n in args)

    if step.module == "apt":
        names = args["name"]
        kind = "no package" if args.get("state") == "absent" else "package"
        return [Item(kind, n) for n in ([names] if isinstance(names, str) else names)]
    if step.module == "template":
        file = Item("file", str(args["dest"]), expect("owner", "group", "mode"))
        return [file, *sysctl_items(str(args["dest"]), str(args.get("content", "")))]
    if step.module == "lineinfile":
        return [
            Item(
                "line",
                str(args["path"]),
                (("line", str(args["line"])), *expect("owner", "group", "mode")),
            )
        ]
    if step.module == "user":
        name = str(args["name"])
        if args.get("state") == "absent":
            return [Item("no account", name)]
        if args.get("password_lock"):
            return [Item("locked", name)]
        return [Item("account", name, expect("shell", "home"))]
    if step.module == "file" and args.get("state") == "link":
        return [Item("link", str(args["dest"]), (("target", str(args["src"])),))]
    if step.module == "file" and step.task.args.get("state") is None:
        return [Item("attributes", str(args["path"]), expect("owner", "group", "mode"))]
    if step.module == "file" and args.get("state") == "absent":
        return [Item("absent", str(args["path"]))]
    if step.module == "file":
        return [Item("directory", str(args["path"]), expect("owner", "group", "mode"))]
    steady = args.get("state") in (None, "started", "stopped")
    if step.module == "systemd_service" and steady and "name" in args:
        return [Item("service", str(args["name"]), expect("enabled", "state"))]
    return []
