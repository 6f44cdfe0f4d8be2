"""The variables a role's templates see, identical for Ansible and the pyinfra twin.

Ansible gives a role's templates its ``defaults/main.yml``, overridden by the host's inventory
variables, overridden by the role's ``vars/main.yml``; strings holding ``{{ ... }}`` are templated
lazily against everything else. :func:`role_variables` does the same for pyinfra, and
:func:`template_environment` renders with the settings of Ansible's ``template`` module
(``trim_blocks``, trailing newline kept, undefined variables are errors), so that both engines
write byte-identical files.

Templates may use only plain variables and standard Jinja2 filters: ``ansible_managed`` and
Ansible's own filters do not exist on the pyinfra side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, Undefined

#: Lazy references are resolved at most this many levels deep (a default naming a default ...).
MAX_DEPTH = 8

_SINGLE_EXPRESSION = re.compile(r"^\{\{\s*(?P<expr>(?:(?!\}\}).)+?)\s*\}\}$", re.DOTALL)


class RoleVariableError(Exception):
    """A role variable could not be resolved (undefined name, bad expression)."""


def template_environment(templates: Path | None = None) -> Environment:
    """A Jinja2 environment configured like Ansible's ``template`` module.

    >>> template_environment().from_string("{% if true %}\\nb\\n{% endif %}\\nc\\n").render()
    'b\\nc\\n'
    """
    loader = FileSystemLoader(str(templates)) if templates else None
    return Environment(  # noqa: S701 - configuration files, not HTML
        loader=loader,
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )


def load_yaml_vars(path: Path) -> dict[str, Any]:
    """A role's ``defaults/main.yml`` or ``vars/main.yml`` as a dict ({} when missing)."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RoleVariableError(f"{path}: expected a mapping of variables")
    return data


def resolve(value: Any, namespace: Mapping[str, Any], env: Environment, depth: int = 0) -> Any:
    """Template ``value`` against ``namespace`` as Ansible would, recursively.

    A string that is one ``{{ expression }}`` keeps the expression's type (a list stays a list);
    other strings with ``{{``/``{%`` are rendered as text.

    >>> resolve("{{ a }}", {"a": [1, 2]}, template_environment())
    [1, 2]
    >>> resolve("x-{{ a | length }}", {"a": [1, 2]}, template_environment())
    'x-2'
    """
    if depth > MAX_DEPTH:
        raise RoleVariableError(f"references nested more than {MAX_DEPTH} deep: {value!r}")
    if isinstance(value, Mapping):
        return {k: resolve(v, namespace, env, depth) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, namespace, env, depth) for v in value]
    if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
        return value
    try:
        match = _SINGLE_EXPRESSION.match(value)
        source = f"{{% set matops_result = ({match['expr']}) %}}" if match else value
        template = env.from_string(source)
        # shared=True: names are looked up in ``namespace`` on use, so lazy values stay lazy
        context = template.new_context(vars=namespace, shared=True)  # type: ignore[arg-type]
        text = "".join(template.root_render_func(context))
        result = context.vars["matops_result"] if match else text
        if isinstance(result, Undefined):
            str(result)  # StrictUndefined raises, naming the variable
    except TemplateError as exc:
        raise RoleVariableError(f"{value!r}: {exc}") from exc
    return resolve(result, namespace, env, depth + 1)


class LazyVariables(Mapping[str, Any]):
    """Variables whose role-level values are templated on first use, like Ansible's."""

    def __init__(self, raw: Mapping[str, Any], lazy: set[str], env: Environment) -> None:
        self._raw = dict(raw)
        self._lazy = lazy
        self._env = env
        self._done: dict[str, Any] = {}
        self._busy: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        if key in self._done:
            return self._done[key]
        value = self._raw[key]
        if key in self._lazy:
            if key in self._busy:
                raise RoleVariableError(f"{key} refers to itself")
            self._busy.add(key)
            try:
                value = resolve(value, self, self._env)
            except RoleVariableError as exc:
                raise RoleVariableError(f"{key}: {exc}") from exc
            finally:
                self._busy.discard(key)
        self._done[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Any:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def role_variables(
    role_dir: Path, host_vars: Mapping[str, Any], hostname: str, env: Environment | None = None
) -> dict[str, Any]:
    """Every variable a role's tasks and templates see on one host, fully resolved.

    Precedence (low to high): ``defaults/main.yml``, the host's inventory variables,
    ``vars/main.yml``; ``inventory_hostname`` is the host's inventory name.
    """
    environment = env or template_environment()
    defaults = load_yaml_vars(role_dir / "defaults" / "main.yml")
    role_vars = load_yaml_vars(role_dir / "vars" / "main.yml")
    raw = {**defaults, **host_vars, **role_vars, "inventory_hostname": hostname}
    lazy = {k for k in defaults if k not in host_vars} | set(role_vars)
    variables = LazyVariables(raw, lazy, environment)
    return {key: variables[key] for key in raw}
