"""SSH sessions to switches with netmiko: strict host keys, credentials, config pushes.

Host keys are always checked against one known_hosts file (the one the run's connection
profile names: the lab's, or the trust's), never the user's and never trust-on-first-use.
Credentials come from where the profile says: for a trust, the ``MATOPS_NET_*`` variables the
command saw, else Ansible variables (``network_username`` / ``network_password``, vault); in the
lab, from the lab's state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from netmiko import ConnectHandler
from netmiko.exceptions import ConfigInvalidException

from matops.connect.profile import ConnectionProfile, SwitchCredentials
from matops.facts.unreachable import describe_exception
from matops.inventory.model import Target
from matops.network.diff import config_lines, with_exits
from matops.network.redact import redact_line
from matops.platforms import NetworkPlatform, config_reader, network_platform

ERROR_PATTERN = r"^\s*(% ?(Invalid|Incomplete|Ambiguous)|Invalid input|No such command).*$"
"""How IOS (``% Invalid input detected``), AOS-CX (``Invalid input: word``) and fake-switches
(``No such command : word``) refuse a line."""

_NETMIKO_ERROR = re.compile(r"at command: (?P<line>.*), matched error: (?P<error>.*)$", re.S)


class ConnectError(Exception):
    """No session could be opened (settings, host key, credentials, network)."""


class ConfigRejectedError(Exception):
    """The device refused a configuration line."""

    def __init__(self, device: str, line: str, error: str) -> None:
        shown = redact_line(line.strip())
        super().__init__(f"{device}: the switch refused {shown!r}: {error.strip()}")
        self.device = device
        self.line = line.strip()
        self.error = error.strip()


@dataclass(frozen=True)
class ConnectionSettings:
    """How to reach one switch. Secrets are left out of ``repr``."""

    device: str
    platform: str
    host: str
    port: int
    username: str
    known_hosts: Path
    password: str = field(repr=False)
    enable_secret: str | None = field(default=None, repr=False)
    timeout: float = 20.0


class Session(Protocol):
    """What a push needs from a device session (netmiko's, or a test double)."""

    device: str

    def running_config(self) -> str:
        """The running configuration as the device shows it."""

    def send_config(self, commands: Sequence[str]) -> None:
        """Apply commands; :class:`ConfigRejectedError` at the first refused line."""

    def save(self) -> None:
        """Save the running configuration as the startup configuration."""

    def close(self) -> None:
        """End the session."""


def credentials(hostvars: Mapping[str, Any], env: Mapping[str, str]) -> tuple[str, str]:
    """Username and password: the environment first, then Ansible's (vault) variables.

    >>> credentials({"network_username": "a", "network_password": "p"}, {})
    ('a', 'p')
    """
    username = env.get("MATOPS_NET_USERNAME") or hostvars.get("network_username")
    password = env.get("MATOPS_NET_PASSWORD") or hostvars.get("network_password")
    if not username or not password:
        raise ConnectError(
            "no switch credentials: set MATOPS_NET_USERNAME and MATOPS_NET_PASSWORD, or the "
            "Ansible variables network_username and network_password (vault)"
        )
    return str(username), str(password)


def trust_settings(
    trust_dir: Path,
    target: Target,
    hostvars: Mapping[str, Any],
    env: Mapping[str, str],
    known_hosts: Path | None = None,
) -> ConnectionSettings:
    """Settings for a real switch: host keys from ``known_hosts`` (default
    ``MATOPS_NET_KNOWN_HOSTS`` in ``env``, else ``<trust>/known_hosts``)."""
    known_hosts = known_hosts or Path(
        env.get("MATOPS_NET_KNOWN_HOSTS") or trust_dir / "known_hosts"
    )
    username, password = credentials(hostvars, env)
    secret = env.get("MATOPS_NET_ENABLE_SECRET") or hostvars.get("network_enable_secret")
    port = target.vars.ansible_port or 22
    return ConnectionSettings(
        target.name, target.platform, str(target.address), port, username, known_hosts,
        password, str(secret) if secret else None,
    )  # fmt: skip


def lab_settings(state_dir: Path, target: Target) -> ConnectionSettings:
    """Settings for a lab switch: ``<state>/known_hosts`` and ``<state>/switches/<name>/password``.

    >>> lab_settings(Path("/lab"), target).known_hosts  # doctest: +SKIP
    PosixPath('/lab/known_hosts')
    """
    password_file = state_dir / "switches" / target.name / "password"
    try:
        password = password_file.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise ConnectError(f"{target.name}: cannot read the lab password {password_file}") from exc
    known_hosts = state_dir / "known_hosts"
    return ConnectionSettings(
        target.name, target.platform, str(target.address), 22, "admin", known_hosts, password,
    )  # fmt: skip


def connection_settings(
    profile: ConnectionProfile, trust_dir: Path, target: Target, hostvars: Mapping[str, Any]
) -> ConnectionSettings:
    """How to reach ``target`` as the run's connection profile says (lab or trust credentials).

    >>> connection_settings(build_profile(root, lab_dir=lab), root, target, {})  # doctest: +SKIP
    ConnectionSettings(device='oak-sw01', ..., username='admin', ...)
    """
    if profile.switches.credentials is SwitchCredentials.LAB and profile.lab_dir is not None:
        return lab_settings(profile.lab_dir, target)
    return trust_settings(
        trust_dir, target, hostvars, profile.secrets.environment, profile.switches.known_hosts
    )


def _segments(commands: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Split commands into runs sent together: ``plain``, ``banner`` and ``hostname`` runs.

    >>> [kind for kind, _ in _segments(["vlan 10", "banner motd ^\\nhi\\n^", "hostname b", "x"])]
    ['plain', 'banner', 'hostname', 'plain']
    """
    segments: list[tuple[str, list[str]]] = []
    for command in commands:
        kind = "banner" if command.startswith("banner ") else "plain"
        kind = "hostname" if command.startswith("hostname ") else kind
        if segments and kind == "plain" and segments[-1][0] == "plain":
            segments[-1][1].append(command)
        else:
            segments.append((kind, config_lines([command])))
    return segments


class NetmikoSession:
    """A :class:`Session` over netmiko."""

    def __init__(self, settings: ConnectionSettings, platform: NetworkPlatform) -> None:
        self.device = settings.device
        self.platform = platform
        self._conn = _open(settings, platform)

    def running_config(self) -> str:
        """The running config, by the platform's own command."""
        command = config_reader(self.platform.name).shows.running_config
        output = self._conn.send_command(command, read_timeout=60)
        return str(output)

    def send_config(self, commands: Sequence[str]) -> None:
        """Send commands with section exits; banners and hostnames in runs of their own."""
        for kind, lines in _segments(with_exits(commands, self.platform.indent)):
            if kind == "plain":
                self._send_checked(lines)
            elif kind == "banner":
                self._send_block(lines, f"{re.escape(self._conn.base_prompt)}\\(config[^)]*\\)#")
            else:
                new_name = lines[0].split()[1]
                self._send_block([*lines, "end"], f"(^|\\n){re.escape(new_name)}#", leave=False)
                self._conn.set_base_prompt()

    def _send_block(self, lines: list[str], until: str, *, leave: bool = True) -> None:
        """Type ``lines`` at once (no per-line echo check) and read until ``until`` after them.

        Banner text is not echoed line by line the way commands are, and a new hostname changes
        the prompt, so netmiko's per-command verification cannot be used for either.
        """
        conn = self._conn
        conn.config_mode()
        conn.write_channel("".join(conn.normalize_cmd(line) for line in lines))
        pattern = re.escape(lines[-1].strip()) + r"[\s\S]*?" + until
        output = str(conn.read_until_pattern(pattern=pattern, read_timeout=30))
        error = re.search(ERROR_PATTERN, output, flags=re.M)
        if error:
            self._recover()
            raise ConfigRejectedError(self.device, lines[0], error[0])
        if leave:
            conn.exit_config_mode()

    def _send_checked(self, lines: list[str]) -> None:
        try:
            self._conn.send_config_set(
                lines, cmd_verify=True, error_pattern=ERROR_PATTERN, read_timeout=30
            )
        except ConfigInvalidException as exc:
            found = _NETMIKO_ERROR.search(str(exc))
            line, error = (found["line"], found["error"]) if found else ("?", str(exc))
            self._recover()
            raise ConfigRejectedError(self.device, line, error) from exc

    def _recover(self) -> None:
        """Leave configuration mode after a refused line, so the session stays usable."""
        self._conn.write_channel(self._conn.RETURN)
        self._conn.exit_config_mode()

    def save(self) -> None:
        """Save with the platform's save command."""
        self._conn.send_command(self.platform.save_command, read_timeout=60)

    def close(self) -> None:
        """Disconnect."""
        self._conn.disconnect()


def _open(settings: ConnectionSettings, platform: NetworkPlatform) -> Any:
    if not settings.known_hosts.is_file():
        raise ConnectError(f"{settings.device}: no known_hosts file at {settings.known_hosts}")
    try:
        conn = ConnectHandler(
            device_type=platform.netmiko_device_type, host=settings.host, port=settings.port,
            username=settings.username, password=settings.password,
            secret=settings.enable_secret or settings.password, ssh_strict=True,
            system_host_keys=False, alt_host_keys=True, alt_key_file=str(settings.known_hosts),
            conn_timeout=settings.timeout, auth_timeout=settings.timeout,
            allow_agent=False, use_keys=False,
        )  # fmt: skip
        if platform.needs_enable and not conn.check_enable_mode():
            conn.enable()
    except Exception as exc:  # netmiko and paramiko raise many kinds; all mean "no session"
        reason = describe_exception(
            exc, settings.timeout, host=settings.host, known_hosts=str(settings.known_hosts),
            port=settings.port,
        )  # fmt: skip
        raise ConnectError(
            f"{settings.device}: cannot connect to {settings.host}: {reason}"
        ) from exc
    return conn


def connect(settings: ConnectionSettings) -> Session:
    """Open a session to a switch, verifying its host key strictly.

    >>> session = connect(lab_settings(Path("/var/lib/matops/lab"), target))  # doctest: +SKIP
    >>> "hostname" in session.running_config()  # doctest: +SKIP
    True
    """
    return NetmikoSession(settings, network_platform(settings.platform))
