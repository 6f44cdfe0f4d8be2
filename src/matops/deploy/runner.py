"""Run the roles with Ansible (``ansible-playbook``) or pyinfra (its CLI), on the same hosts.

Both engines run as subprocesses with the same inventory folder, the same selected hosts, the same
roles in the same order and the same connection profile (:mod:`matops.connect.profile`: an
ssh_config file, host keys always verified, the vault and, in the lab only, the lab's made-up
secrets); pyinfra's inventory process gets the profile as JSON in ``MATOPS_PROFILE``. Their
output streams to a callback line by line (progress) and is read into one
:class:`~matops.deploy.results.HostResult` per host.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO

import yaml

from matops.ansible_env import ansible_environment
from matops.connect.profile import ConnectionProfile, LinuxAccess, build_profile
from matops.deploy.results import (
    AnsibleOutput,
    HostResult,
    pyinfra_connect_errors,
    pyinfra_results,
)
from matops.deploy.site import site_roles
from matops.facts.unreachable import pyinfra_reason

REPO = Path(__file__).resolve().parents[3]
ROLES_DIR = REPO / "roles"
PLAYBOOKS_DIR = REPO / "playbooks"

Printer = Callable[[str], None]


class Engine(StrEnum):
    """Which tool applies the roles."""

    ANSIBLE = "ansible"
    PYINFRA = "pyinfra"


class DeployError(Exception):
    """The deploy could not start (unknown role, no hosts, missing tool)."""


@dataclass(frozen=True)
class DeployRequest:
    """What to deploy where, and how."""

    trust_dir: Path
    hosts: list[str]
    roles: list[str]
    engine: Engine = Engine.ANSIBLE
    check: bool = False
    ssh_config: Path | None = None
    """Only without ``profile``: the ssh_config of a trust profile built for this request."""
    roles_dir: Path = ROLES_DIR
    extra_env: dict[str, str] = field(default_factory=dict)
    profile: ConnectionProfile | None = None
    """How the hosts are reached and where secrets come from (built by the command layer)."""

    @property
    def connection(self) -> ConnectionProfile:
        """The request's profile (a trust profile with ``ssh_config`` when none was given)."""
        return self.profile or build_profile(self.trust_dir, ssh_config=self.ssh_config)


@dataclass(frozen=True)
class DeployOutcome:
    """Per-host results and the engine's exit status."""

    results: dict[str, HostResult]
    returncode: int

    @property
    def failed(self) -> bool:
        """Whether any host failed."""
        return any(r.is_failed for r in self.results.values())


def available_roles(roles_dir: Path = ROLES_DIR) -> list[str]:
    """Roles that exist (have Ansible tasks), in site order, then the rest."""
    present = {p.parent.parent.name for p in roles_dir.glob("*/tasks/main.yml")}
    order = site_roles()
    return [r for r in order if r in present] + sorted(present - set(order))


def check_roles(roles: list[str], roles_dir: Path = ROLES_DIR) -> list[str]:
    """``roles`` in site order; DeployError naming the valid roles for an unknown one."""
    valid = available_roles(roles_dir)
    unknown = [r for r in roles if r not in valid]
    if unknown:
        raise DeployError(f"unknown role(s) {', '.join(unknown)}; roles: {', '.join(valid)}")
    return [r for r in valid if r in roles]


def ssh_settings(ssh_config: Path, host: str) -> dict[str, str]:
    """What ``ssh -G`` makes of a host under this ssh_config (user, known hosts file, ...)."""
    argv = ["ssh", "-G", "-F", str(ssh_config), host]
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=30).stdout
    pairs = (line.split(" ", 1) for line in out.splitlines() if " " in line)
    return {key: value for key, value in pairs}


def playbook_for(roles: list[str], directory: Path) -> Path:
    """A playbook applying ``roles`` in order to the selected Linux hosts (as site.yml does)."""
    play = {
        "name": f"matops deploy: {', '.join(roles)}",
        "hosts": "linux",
        "become": True,
        "gather_facts": True,
        "gather_subset": ["min"],
        "roles": [{"role": r} for r in roles],
    }
    path = directory / "deploy.yml"
    path.write_text(yaml.safe_dump([play], sort_keys=False), encoding="utf-8")
    return path


def ansible_command(request: DeployRequest, playbook: Path) -> tuple[list[str], dict[str, str]]:
    """``ansible-playbook`` argv and environment for the request."""
    profile = request.connection
    argv = [_tool("ansible-playbook"), "-i", str(request.trust_dir), str(playbook)]
    argv += ["--limit", ",".join(request.hosts)]
    if request.check:
        argv += ["--check", "--diff"]
    if profile.secrets.lab_secrets_file is not None:
        argv += ["--extra-vars", f"@{profile.secrets.lab_secrets_file}"]
    env = {
        **ansible_environment(),
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "ANSIBLE_ROLES_PATH": str(request.roles_dir),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_STDOUT_CALLBACK": "default",
        "PYTHONUNBUFFERED": "1",
    }
    if profile.linux.ssh_config:
        env["ANSIBLE_SSH_ARGS"] = f"-F {profile.linux.ssh_config}"
    if profile.secrets.vault_password_file:
        env["ANSIBLE_VAULT_PASSWORD_FILE"] = str(profile.secrets.vault_password_file)
    return argv, env


def linux_access(profile: ConnectionProfile, host: str) -> LinuxAccess:
    """The profile's Linux access, with known_hosts, key and user that it leaves to the
    ssh_config filled in from what ``ssh -G`` makes of ``host`` (pyinfra needs them named)."""
    access = profile.linux
    if access.ssh_config is None or access.known_hosts is not None:
        return access
    settings = ssh_settings(access.ssh_config, host)
    known = settings.get("userknownhostsfile", "").split(" ")[0]
    key = settings.get("identityfile", "").split(" ")[0]
    return access.model_copy(
        update={
            "known_hosts": Path(known).expanduser() if known else None,
            "key": Path(key).expanduser() if key else access.key,
            "user": access.user or settings.get("user"),
        }
    )


def deploy_file(role_dir: Path) -> str:
    """The deploy file pyinfra runs for a role whose tasks the pyinfra engine applies.

    >>> print(deploy_file(Path("/r/firewall")).splitlines()[-1])
    apply_role('/r/firewall')
    """
    return (
        f'"""matops: the {role_dir.name} role\'s tasks, applied by the pyinfra engine."""\n'
        "from matops.deploy.pyinfra_engine import apply_role\n\n"
        f"apply_role({str(role_dir)!r})\n"
    )


def deploy_files(roles: list[str], roles_dir: Path, directory: Path) -> list[Path]:
    """One pyinfra deploy file per role, in order, each running the role's tasks through the
    pyinfra engine."""
    files = []
    for role in roles:
        path = directory / f"{role}.py"
        path.write_text(deploy_file(roles_dir / role), encoding="utf-8")
        files.append(path)
    return files


def pyinfra_command(request: DeployRequest, directory: Path) -> tuple[list[str], dict[str, str]]:
    """``pyinfra`` argv and environment: the roles' deploy files against the adapter."""
    argv = [_tool("pyinfra"), "--sudo", "--json"]
    argv += ["--dry", "--diff"] if request.check else ["-y"]
    argv.append("matops.inventory.pyinfra_adapter.inventory")
    argv += [str(f) for f in deploy_files(request.roles, request.roles_dir, directory)]
    profile = request.connection
    profile = profile.model_copy(update={"linux": linux_access(profile, request.hosts[0])})
    env = {
        **ansible_environment(),
        "MATOPS_INVENTORY": str(request.trust_dir),
        "MATOPS_LIMIT": ",".join(request.hosts),
        "MATOPS_PROFILE": profile.to_json(),
        "PYTHONUNBUFFERED": "1",
    }
    return argv, env


def _tool(name: str) -> str:
    """The tool from this Python's environment (the venv), else from PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def _stream(
    argv: list[str], env: dict[str, str], printer: Printer, progress: str
) -> tuple[int, list[str], str]:
    """Run, printing the ``progress`` stream ("stdout"/"stderr") live; return code, lines, other."""
    with subprocess.Popen(
        argv,
        env={**os.environ, **env},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if progress == "stderr" else subprocess.STDOUT,
        text=True,
    ) as proc:
        live = proc.stderr if progress == "stderr" else proc.stdout
        assert live is not None
        # the other stream is drained at the same time: a tool that fills it (pyinfra's JSON for
        # many hosts is more than a pipe holds) would otherwise wait for ever on the write
        other: list[str] = []
        drain = threading.Thread(target=_drain, args=(proc.stdout, other), daemon=True)
        if progress == "stderr":
            drain.start()
        lines = []
        for line in live:
            lines.append(line.rstrip("\n"))
            printer(line.rstrip("\n"))
        code = proc.wait()
        if progress == "stderr":
            drain.join()
        return code, lines, "".join(other)


def _drain(stream: IO[str] | None, into: list[str]) -> None:
    """Read ``stream`` to its end into ``into``."""
    if stream is not None:
        into.append(stream.read())


def run(request: DeployRequest, printer: Printer = print) -> DeployOutcome:
    """Apply (or with ``check`` preview) the request; results per host."""
    if not request.hosts:
        raise DeployError("no hosts selected")
    roles = check_roles(request.roles, request.roles_dir)
    request = DeployRequest(**{**request.__dict__, "roles": roles})
    env = {**request.extra_env}
    if request.engine is Engine.ANSIBLE:
        with tempfile.TemporaryDirectory(prefix="matops-deploy-") as tmp:
            argv, engine_env = ansible_command(request, playbook_for(roles, Path(tmp)))
            code, lines, _ = _stream(argv, {**engine_env, **env}, printer, "stdout")
        output = AnsibleOutput()
        for line in lines:
            output.feed(line)
        return DeployOutcome(output.results(request.hosts), code)
    with tempfile.TemporaryDirectory(prefix="matops-deploy-") as tmp:
        argv, engine_env = pyinfra_command(request, Path(tmp))
        code, log, stdout = _stream(argv, {**engine_env, **env}, printer, "stderr")
    try:
        document = json.loads(stdout) if stdout.strip() else {}
    except json.JSONDecodeError:
        document = {}
    results = pyinfra_results(document, request.hosts)
    known_hosts = json.loads(engine_env["MATOPS_PROFILE"])["linux"].get("known_hosts")
    connect_errors = pyinfra_connect_errors(log)
    for host, result in results.items():
        if host in connect_errors:  # with no host left, pyinfra writes no results at all
            result.unreachable, result.failed = True, 0
            result.errors = [pyinfra_reason(connect_errors[host], known_hosts)]
        elif not document:
            result.failed = max(result.failed, 1)
            result.errors.append(f"pyinfra exited {code} without results")
    return DeployOutcome(results, code)
