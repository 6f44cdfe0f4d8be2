"""What the pyinfra engine uses for a role: its variables, its templates, and file installs.

:meth:`Role.load` gives a role's defaults merged with a host's inventory data exactly as Ansible
merges them (:mod:`matops.deploy.variables`) and renders the role's own ``templates/``.
:func:`installed_file` mirrors Ansible's ``template`` module: compare the checksum, upload to a
temporary file beside the destination, run the ``validate`` command on it (``%s`` is the file),
and only then move it into place. A file that fails validation never replaces the old one.

pyinfra is imported lazily so that this module (and its pure parts) load without a pyinfra state.
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from jinja2 import Environment

from matops.deploy.variables import role_variables, template_environment

#: How the deploy account is found on a host: ``$SUDO_USER`` under sudo, else the login name.
DEPLOY_USER_COMMAND = 'printf "%s\\n" "${SUDO_USER:-$(id -un)}"'

#: Operations that run as root get this (pyinfra's global argument); the CLI passes --sudo too.
SUDO: dict[str, Any] = {"_sudo": True}


@dataclass
class Role:
    """One role's variables for the current host, and its templates."""

    name: str
    path: Path
    vars: dict[str, Any]
    env: Environment = field(repr=False)

    @classmethod
    def load(cls, role_dir: Path, host_data: dict[str, Any], hostname: str) -> Role:
        """The role at ``role_dir`` for a host with this inventory data."""
        env = template_environment(role_dir / "templates")
        return cls(role_dir.name, role_dir, role_variables(role_dir, host_data, hostname, env), env)

    def __getitem__(self, key: str) -> Any:
        return self.vars[key]

    def render(self, template: str, **extra: Any) -> str:
        """Render ``templates/<template>`` with the role's variables (plus ``extra``)."""
        return self.env.get_template(template).render(**self.vars, **extra)

    def render_with(self, template: str, values: Mapping[str, Any]) -> str:
        """Render ``templates/<template>`` with exactly ``values`` (the engine's task scope)."""
        return self.env.get_template(template).render(**values)


def sha1_text(content: str) -> str:
    """The SHA-1 of text as written to a file (UTF-8), as ``sha1sum`` prints it."""
    return hashlib.sha1(content.encode("utf-8"), usedforsecurity=False).hexdigest()


def install_commands(dest: str, validate: str | None, mode: str, owner: str) -> tuple[str, str]:
    """Shell commands that check, then move a staged file into place (pure, for tests).

    Returns ``(staged_path, command)``; ``validate`` holds ``%s`` for the staged file.

    >>> staged, command = install_commands("/etc/x.conf", "nft -c -f %s", "0644", "root:root")
    >>> staged
    '/etc/x.conf.matops-new'
    >>> command.split(" && ")[-1]
    'mv -f /etc/x.conf.matops-new /etc/x.conf'
    """
    staged = f"{dest}.matops-new"
    q = shlex.quote(staged)
    steps = [f"chown {shlex.quote(owner)} {q}", f"chmod {shlex.quote(mode)} {q}"]
    if validate:
        check = validate.replace("%s", q)
        steps.append(f"{{ {check} || {{ rm -f {q}; exit 1; }}; }}")
    steps.append(f"mv -f {q} {shlex.quote(dest)}")
    return staged, " && ".join(steps)


def _same_mode(remote_mode: Any, mode: str) -> bool:
    """pyinfra's File fact gives the mode as decimal digits of the octal value (644)."""
    return str(remote_mode) == mode.lstrip("0")


def _show_diff(dest: str, content: str, exists: bool) -> None:
    """Log a unified diff of the file's change (pyinfra ``--diff``), as ``files.put`` does."""
    from pyinfra import logger
    from pyinfra.context import host
    from pyinfra.facts.files import FileContents
    from pyinfra.operations.util.files import generate_color_diff

    old = [f"{line}\n" for line in (host.get_fact(FileContents, path=dest) or [])]
    host.log(f"Will {'modify' if exists else 'create'} {dest}", logger.info)
    for line in generate_color_diff(old, content.splitlines(keepends=True)):
        logger.info("  %s", line)


def _installed_file(
    dest: str,
    content: str,
    mode: str = "0644",
    user: str = "root",
    group: str = "root",
    validate: str | None = None,
) -> Any:
    """``dest`` holds ``content`` with this mode and owner; ``validate`` checks it first.

    ``validate`` is a command with ``%s`` for the staged file (``/usr/sbin/sshd -t -f %s``).
    """
    from pyinfra.api.command import FileUploadCommand, StringCommand
    from pyinfra.context import host, state
    from pyinfra.facts.files import File, Sha1File

    remote: Any = host.get_fact(File, path=dest)
    same_content = bool(remote) and host.get_fact(Sha1File, path=dest) == sha1_text(content)
    same_meta = bool(remote) and (remote["user"], remote["group"]) == (user, group)
    if same_content and same_meta and _same_mode(remote["mode"], mode):
        host.noop(f"{dest} is up to date")
        return
    owner = f"{user}:{group}"
    if same_content:
        yield StringCommand(f"chown {shlex.quote(owner)} {shlex.quote(dest)}")
        yield StringCommand(f"chmod {shlex.quote(mode)} {shlex.quote(dest)}")
        return
    if state.config.DIFF:
        _show_diff(dest, content, bool(remote))
    staged, command = install_commands(dest, validate, mode, owner)
    temp = host.get_temp_filename(staged)
    yield FileUploadCommand(StringIO(content), staged, remote_temp_filename=temp)
    yield StringCommand(command)


def _operation() -> Any:
    from pyinfra.api.operation import operation

    return operation()(_installed_file)


#: The pyinfra operation (call with keyword arguments and pyinfra's ``name=``, ``_sudo=``, ...).
installed_file: Any = _operation()


def fail_command(message: str) -> str:
    """A shell command that prints ``message`` on stderr and fails.

    >>> print(fail_command("it would lock you out"))
    printf '%s\\n' 'it would lock you out' >&2; exit 1
    """
    return f"printf '%s\\n' {shlex.quote(message)} >&2; exit 1"
