"""Network facts from live switches over SSH (netmiko), read-only.

One SSH session per device per scan: on the first fact asked of a switch, the provider logs in,
runs the read-only ``show`` commands below, logs out and keeps their outputs; every network fact
of that switch is then parsed from those outputs with the same parsers the offline provider uses,
so a live scan and an offline scan of the same saved outputs give the same verdicts.

Never configuration mode, never a save: the session object used here has no method that could
change the device. Host keys are verified strictly against one known_hosts file, as for pushes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netmiko import ConnectHandler

from matops.facts.model import (
    Fact,
    FactError,
    FactUnavailableError,
    Subject,
    TargetUnreachableError,
    make_evidence,
)
from matops.facts.network.neighbours import SwitchNeighbours, neighbours_of, not_read
from matops.facts.network.offline import RemediationSource, fact_value, network_facts, validated
from matops.facts.unreachable import describe_exception
from matops.inventory.model import Target
from matops.network.connect import ConnectionSettings
from matops.network.redact import redact
from matops.platforms import config_reader, network_platform

OFFLINE_SUFFIX = {
    "running_config": ".cfg",
    "startup_config": ".startup.cfg",
    "software_version": ".version.txt",
}
"""How :class:`~matops.facts.network.offline.OfflineNetworkProvider` names the saved outputs."""


Settings = Callable[[Target], ConnectionSettings]
"""Target → how to reach it (:func:`matops.network.connect.connection_settings` or the lab's)."""


@dataclass(frozen=True)
class Outputs:
    """The raw outputs of one switch's read-only commands."""

    device: str
    school: str
    texts: Mapping[str, str]
    neighbours: SwitchNeighbours | None = None
    """The LLDP neighbours, read after the config outputs (None: the platform has no command)."""


def read_neighbours(
    conn: Any, settings: ConnectionSettings, school: str
) -> SwitchNeighbours | None:
    """Run the platform's neighbour command in the open session and parse it; any failure is
    "not read" with its reason. Called after the config outputs are read, so it cannot change
    them."""
    command = config_reader(settings.platform).neighbours_command
    if command is None:
        return None
    args = (settings.device, school, settings.platform, command)
    try:
        text = str(conn.send_command(command, read_timeout=30))
    except Exception as exc:  # a hung or refused command: the config outputs are already read
        return not_read(*args, f"the command failed: {describe_exception(exc, 30.0)}")
    return neighbours_of(*args, text)


def read_outputs(settings: ConnectionSettings, school: str, timeout: float) -> Outputs:
    """Log in, run the platform's show commands (its registry entry's ``reader.shows``), log
    out. Raises :class:`TargetUnreachableError`.

    >>> settings = lab_settings(Path("/var/lib/matops/lab"), target)  # doctest: +SKIP
    >>> read_outputs(settings, "oakfield-primary", 10.0).texts["software_version"]  # doctest: +SKIP
    'Cisco IOS XE Software, Version 17.09.04a ...'
    """
    if not settings.known_hosts.is_file():
        raise TargetUnreachableError(f"{settings.device}: no known_hosts at {settings.known_hosts}")
    platform = network_platform(settings.platform)
    try:
        conn: Any = ConnectHandler(
            device_type=platform.netmiko_device_type, host=settings.host, port=settings.port,
            username=settings.username, password=settings.password,
            secret=settings.enable_secret or settings.password, ssh_strict=True,
            system_host_keys=False, alt_host_keys=True, alt_key_file=str(settings.known_hosts),
            conn_timeout=timeout, auth_timeout=timeout, banner_timeout=timeout,
            allow_agent=False, use_keys=False,
        )  # fmt: skip
    except Exception as exc:  # netmiko and paramiko raise many kinds; all mean "no session"
        known = str(settings.known_hosts)
        reason = describe_exception(
            exc, timeout, host=settings.host, known_hosts=known, port=settings.port
        )
        raise TargetUnreachableError(
            f"cannot reach {settings.device} ({settings.host}): {reason}"
        ) from exc
    try:
        # IOS shows the configuration only in privileged EXEC (enable); not configuration mode.
        if platform.needs_enable and not conn.check_enable_mode():
            conn.enable()
        texts = {
            fact: str(conn.send_command(command, read_timeout=60))
            for fact, command in config_reader(settings.platform).shows.by_fact().items()
        }
        neighbours = read_neighbours(conn, settings, school)
    except Exception as exc:
        reason = describe_exception(exc, timeout)
        raise FactError(f"{settings.device}: reading the switch failed: {reason}") from exc
    finally:
        conn.disconnect()
    return Outputs(settings.device, school, texts, neighbours)


class LiveNetworkProvider:
    """Collects network facts from live switches; one session per switch, outputs kept."""

    def __init__(
        self,
        settings: Settings,
        remediation: RemediationSource | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._settings = settings
        self._remediation = remediation
        self._timeout = timeout
        self._outputs: dict[str, Outputs | FactError] = {}
        self._targets: dict[str, Target] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.sessions = 0
        """How many SSH sessions were opened (one per switch per scan)."""

    def provides(self, subject: Subject) -> frozenset[str]:
        """Config facts for network targets whose platform has a parser."""
        return network_facts(subject, OFFLINE_SUFFIX, bool(self._remediation))

    def outputs(self, target: Target) -> Outputs:
        """The switch's raw outputs, read on first use (errors are remembered too)."""
        with self._guard:
            lock = self._locks.setdefault(target.name, threading.Lock())
        with lock:
            if target.name not in self._outputs:
                self._targets[target.name] = target
                self._outputs[target.name] = self._read(target)
        found = self._outputs[target.name]
        if isinstance(found, FactError):
            raise found
        return found

    def _read(self, target: Target) -> Outputs | FactError:
        try:
            settings = self._settings(target)
        except Exception as exc:  # no credentials, no password file…
            return TargetUnreachableError(f"{target.name}: no way to connect: {exc}")
        self.sessions += 1
        try:
            return read_outputs(settings, target.school, self._timeout)
        except FactError as exc:
            return exc

    def neighbours(self) -> list[SwitchNeighbours]:
        """Every switch's LLDP neighbours as read so far; a switch whose session failed is
        "not read" with the session's error."""
        with self._guard:
            found = dict(self._outputs)
        result = []
        for device, outputs in sorted(found.items()):
            if isinstance(outputs, Outputs):
                if outputs.neighbours is not None:
                    result.append(outputs.neighbours)
                continue
            target = self._targets.get(device)
            command = config_reader(target.platform).neighbours_command if target else None
            if target is not None and command is not None:
                args = (device, target.school, target.platform, command)
                result.append(not_read(*args, str(outputs)))
        return result

    def collect(self, name: str, subject: Subject) -> Fact:
        """Parse one fact from the switch's outputs."""
        target = subject.target
        if target is None or name not in self.provides(subject):
            raise FactUnavailableError(f"{name} is not a live network fact for {subject.name}")
        fact = "running_config" if name == "config_remediation" else name
        command = config_reader(target.platform).shows.by_fact()[fact]
        source = f"{target.name}: {command}"
        text = validated(fact, target.platform, self.outputs(target).texts[fact], source)
        try:
            value = fact_value(name, target, text, self._remediation)
        except ValueError as exc:
            raise FactError(f"cannot parse {command!r} of {target.name}: {exc}") from exc
        if name == "config_remediation":
            source = f"{target.name}: template vs {command}"
            return Fact(name=name, value=value, evidence=make_evidence(source, "\n".join(value)))
        return Fact(name=name, value=value, evidence=make_evidence(source, text))

    def save_offline(self, configs: Path, *, unredacted: bool = False) -> list[Path]:
        """Write every output read so far in the offline provider's layout under ``configs``.

        Redacted by default, as backups are. ``unredacted`` (files created with mode 0600) keeps
        secrets and default SNMP community names, so that an offline scan of the files judges
        exactly as this live scan did.

        >>> provider.save_offline(tmp / "configs", unredacted=True)  # doctest: +SKIP
        [PosixPath('.../configs/oakfield-primary/oak-sw01.cfg'), ...]
        """
        with self._guard:
            found = [o for o in self._outputs.values() if isinstance(o, Outputs)]
        written = []
        for outputs in found:
            folder = configs / outputs.school
            folder.mkdir(parents=True, exist_ok=True)
            for fact, text in outputs.texts.items():
                path = folder / f"{outputs.device}{OFFLINE_SUFFIX[fact]}"
                shown = text if unredacted else redact(text)
                fd = os.open(
                    path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if unredacted else 0o644
                )
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(shown)
                written.append(path)
        return written
