"""A role's Ansible tasks read through Ansible's own loader, for the pyinfra engine.

The Ansible role (``tasks/``, ``handlers/``) is the one source of a role. :func:`load_role` reads
it with Ansible's ``DataLoader`` (so every value keeps its file:line and Jinja2 strings stay
trusted templates), flattens ``import_tasks`` (their ``when`` and ``tags`` pass down) and refuses,
at load time and naming the task's file:line, any module or argument the engine does not map.
:mod:`matops.deploy.engine` then plans the tasks for one host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matops.ansible_env import prepare_in_process

prepare_in_process()

from ansible._internal._datatag._tags import Origin  # noqa: E402 - configured just above
from ansible.errors import AnsibleError  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402

#: Every module the engine maps, with the arguments it accepts (each mapped once, in engine.py).
MODULES: dict[str, frozenset[str]] = {
    "apt": frozenset({"name", "state", "purge"}),
    "assert": frozenset({"that", "fail_msg", "quiet"}),
    "command": frozenset({"argv", "cmd"}),
    "debug": frozenset({"msg"}),
    "file": frozenset({"path", "state", "owner", "group", "mode", "src", "dest", "force"}),
    "getent": frozenset({"database"}),
    "lineinfile": frozenset({"path", "regexp", "line", "insertafter", "owner", "group", "mode"}),
    "stat": frozenset({"path"}),
    "set_fact": frozenset(),  # any variable names
    "systemd_service": frozenset({"name", "enabled", "state", "daemon_reload", "daemon_reexec"}),
    "template": frozenset({"src", "dest", "owner", "group", "mode", "validate"}),
    "user": frozenset(
        {
            "name",
            "comment",
            "shell",
            "home",
            "create_home",
            "groups",
            "append",
            "state",
            "remove",
            "password_lock",
        }
    ),
}
#: Arguments whose values are limited to those the engine maps.
VALUES: dict[tuple[str, str], frozenset[str | bool]] = {
    ("apt", "state"): frozenset({"present", "absent"}),
    ("file", "state"): frozenset({"file", "directory", "absent", "link"}),
    ("getent", "database"): frozenset({"shadow"}),
    ("user", "state"): frozenset({"present", "absent"}),
    ("user", "remove"): frozenset({False}),
    ("systemd_service", "state"): frozenset({"started", "stopped", "reloaded", "restarted"}),
}
#: Task keywords the engine honours; any other keyword is refused.
KEYWORDS = frozenset(
    {
        "name",
        "when",
        "loop",
        "loop_control",
        "register",
        "notify",
        "tags",
        "changed_when",
        "failed_when",
        "check_mode",
        "vars",
        "no_log",
    }
)
_IMPORT = "import_tasks"
_PREFIX = "ansible.builtin."


class TaskError(Exception):
    """A task the engine cannot run; the message starts with its file:line."""


@dataclass(frozen=True)
class Task:
    """One task (or handler) as written, not yet templated."""

    where: str  # file:line of the task
    name: str
    module: str  # short name: apt, template, ...
    args: Mapping[str, Any]
    when: tuple[Any, ...] = ()
    loop: Any = None
    loop_var: str = "item"
    register: str | None = None
    notify: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keywords: Mapping[str, Any] = field(default_factory=dict)
    vars: Mapping[str, Any] = field(default_factory=dict)  # the task's own vars, per loop item


@dataclass(frozen=True)
class RoleSource:
    """A role's tasks (imports flattened) and its handlers, in file order."""

    name: str
    path: Path
    tasks: tuple[Task, ...]
    handlers: tuple[Task, ...]


def _where(value: Any, fallback: Path) -> str:
    origin = Origin.get_tag(value)
    if origin is None:
        return str(fallback)
    return f"{origin.path}:{origin.line_num}"


def _listed(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _module(entry: Mapping[str, Any], where: str) -> tuple[str, Any]:
    found = [str(key) for key in entry if key not in KEYWORDS]
    modules = [k for k in found if "." in k or k in MODULES or k == _IMPORT]
    if len(modules) == 1 and len(found) > 1:
        others = ", ".join(k for k in found if k not in modules)
        raise TaskError(f"{where}: task keyword(s) {others} not supported by the pyinfra engine")
    if len(found) != 1:
        raise TaskError(f"{where}: expected one module, found {', '.join(found) or 'none'}")
    key = str(found[0])
    short = key.removeprefix(_PREFIX)
    if short not in MODULES and short != _IMPORT:
        valid = ", ".join(sorted(MODULES))
        raise TaskError(f"{where}: module {key} is not supported by the pyinfra engine ({valid})")
    return short, entry[key]


def _args(module: str, raw: Any, where: str) -> dict[str, Any]:
    if isinstance(raw, str):
        if module != "command":
            raise TaskError(f"{where}: {module} needs its arguments as a mapping")
        raw = {"cmd": raw}
    if not isinstance(raw, Mapping):
        raise TaskError(f"{where}: {module} needs its arguments as a mapping")
    known = MODULES[module]
    unknown = sorted(str(k) for k in raw if k not in known and (known or k == "cacheable"))
    if unknown:
        raise TaskError(f"{where}: {module} argument(s) {', '.join(unknown)} not supported")
    for (name, argument), values in VALUES.items():
        if name == module and argument in raw and raw[argument] not in values:
            allowed = ", ".join(sorted(str(v) for v in values))
            raise TaskError(
                f"{where}: {module} {argument}: {raw[argument]} not supported ({allowed})"
            )
    return dict(raw)


def _task(entry: Any, path: Path, inherited: tuple[tuple[Any, ...], tuple[str, ...]]) -> Task:
    where = _where(entry, path)
    if not isinstance(entry, Mapping):
        raise TaskError(f"{where}: a task must be a mapping")
    module, raw = _module(entry, where)
    control = entry.get("loop_control") or {}
    if set(control) - {"loop_var", "label"}:
        raise TaskError(f"{where}: loop_control supports loop_var and label only")
    keywords = {k: entry[k] for k in ("changed_when", "failed_when", "check_mode") if k in entry}
    _check_keywords(module, keywords, where)
    return Task(
        where=where,
        name=str(entry.get("name") or module),
        module=module,
        args=_args(module, raw, where),
        when=inherited[0] + _listed(entry.get("when")),
        loop=entry.get("loop"),
        loop_var=str(control.get("loop_var", "item")),
        register=entry.get("register"),
        notify=tuple(str(n) for n in _listed(entry.get("notify"))),
        tags=inherited[1] + tuple(str(t) for t in _listed(entry.get("tags"))),
        keywords=keywords,
        vars=dict(entry.get("vars") or {}),
    )


def _check_keywords(module: str, keywords: Mapping[str, Any], where: str) -> None:
    """Only the forms the engine maps: read-only commands (``changed_when: false``) and commands
    that change (``changed_when: true`` or an expression: a run is a change to the pyinfra engine,
    which cannot see a command's output before it runs)."""
    changed = keywords.get("changed_when")
    if changed is not None and module != "command":
        raise TaskError(f"{where}: changed_when only on a command")
    if keywords.get("failed_when", False) is not False:
        raise TaskError(f"{where}: failed_when supports false only")
    if keywords.get("check_mode", False) is not False or (
        "check_mode" in keywords and changed is not False
    ):
        raise TaskError(f"{where}: check_mode: false only on a read-only command")
    if changed is False and "check_mode" not in keywords:
        raise TaskError(f"{where}: a read-only command needs check_mode: false")
    if module == "command" and changed is None:
        raise TaskError(f"{where}: a command needs changed_when (false: read-only, true: a change)")


def _load_file(
    loader: DataLoader, path: Path, inherited: tuple[tuple[Any, ...], tuple[str, ...]]
) -> list[Task]:
    try:
        entries = loader.load_from_file(str(path), trusted_as_template=True) or []
    except AnsibleError as exc:
        raise TaskError(f"{path}: {exc.message}") from None
    tasks: list[Task] = []
    for entry in entries:
        where = _where(entry, path)
        if isinstance(entry, Mapping) and _module(entry, where)[0] == _IMPORT:
            target = entry.get(f"{_PREFIX}{_IMPORT}") or entry.get(_IMPORT)
            when = inherited[0] + _listed(entry.get("when"))
            tags = inherited[1] + tuple(str(t) for t in _listed(entry.get("tags")))
            tasks += _load_file(loader, path.parent / str(target), (when, tags))
        else:
            tasks.append(_task(entry, path, inherited))
    return tasks


def load_role(role_dir: Path) -> RoleSource:
    """The role's tasks and handlers; TaskError (with file:line) for anything not mapped.

    >>> role = load_role(Path(__file__).resolve().parents[3] / "roles" / "firewall")
    >>> [t.module for t in role.tasks], [h.name for h in role.handlers]
    (['apt', 'template', 'systemd_service'], ['Reload nftables'])
    """
    loader = DataLoader()
    tasks = _load_file(loader, role_dir / "tasks" / "main.yml", ((), ()))
    handlers_file = role_dir / "handlers" / "main.yml"
    handlers = _load_file(loader, handlers_file, ((), ())) if handlers_file.is_file() else []
    names = {h.name for h in handlers}
    for task in tasks:
        missing = [n for n in task.notify if n not in names]
        if missing:
            raise TaskError(f"{task.where}: no handler named {', '.join(missing)}")
    return RoleSource(role_dir.name, role_dir, tuple(tasks), tuple(handlers))
