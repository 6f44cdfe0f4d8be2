"""The shapes of a registry entry: a platform, how matops reads its configs, and what the
network baseline (render, diff, push) needs to know about it.

The network platforms matops can render, diff and push: an explicit registry.

Each entry ties a netmiko ``device_type`` (the inventory's ``platform``) to its template folder,
its hier_config driver, the command that saves the running config, and the facts the diff needs
about how the device shows its configuration:

- ``unmanaged``: top-level running-config lines the baseline does not own (boot markers, the
  out-of-band management port, the licence). They are never negated.
- ``physical_interface``: ports exist whether or not the inventory names them, so a port the
  inventory does not list is left alone rather than negated (``no interface Gi1/0/5`` is invalid).
- ``write_only``: lines the device accepts but never shows (IOS ``snmp-server user``). They cannot
  be compared; they are sent with every change.
- ``masked``: secrets the device stores transformed (AOS-CX turns ``plaintext`` into a random
  ``ciphertext``). Lines are compared with the secret masked, so a stored key counts as present.
- ``idempotent``: commands where the last value wins (``spanning-tree mode``, a port's access
  VLAN), as regexes per level of the section path; capture groups form the key (one
  ``username`` per name). A change is then one command instead of ``no`` old + new.
- ``not_idempotent``: prefixes of hier_config's own idempotent rules that are wrong for the
  device and are dropped (hier_config treats every AOS-CX ``logging`` line as one setting, but a
  switch keeps one line per syslog server, so a new server would never replace an old one).
- ``defaults``: lines that state a default, which a device may or may not print (IOS ``cdp run``,
  ``no lldp run``); they are left out of the comparison, so either way counts as equal.
- ``negations``: ``(prefix, search, replace)``: how to negate a line starting with ``prefix``
  (``no username bob`` rather than the whole line with its hash).
- ``parts``: slices of the baseline that can be rendered, compared and pushed on their own
  (``ports``: the VLANs and what each port carries), each with its own template.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hier_config import Platform as HierPlatform

TargetKind = Literal["linux", "switch", "access_point", "firewall"]


class UnknownPlatformError(KeyError):
    """A platform matops cannot render or push; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownPartError(KeyError):
    """A part (``--part``) the platform does not have; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


TEMPLATES = Path(__file__).resolve().parents[1] / "network" / "templates"
"""The baseline templates, one folder per platform (``<template_dir>/baseline.j2``)."""

PORTS_SUMMARY = "VLANs and what each port carries (description, mode, VLANs, shut or not)"


@dataclass(frozen=True)
class ConfigPart:
    """A slice of the baseline: its template and the lines it owns.

    Only top-level sections matching ``sections`` take part in the comparison, and under them
    only lines matching ``lines``; everything else on the device is left as it is.
    """

    name: str
    template: str
    sections: tuple[re.Pattern[str], ...]
    lines: tuple[re.Pattern[str], ...]
    summary: str


@dataclass(frozen=True)
class NetworkPlatform:
    """What matops needs to know about one network platform."""

    name: str
    template_dir: Path
    hier_platform: HierPlatform
    netmiko_device_type: str
    save_command: str
    unmanaged: tuple[re.Pattern[str], ...]
    physical_interface: re.Pattern[str]
    lockout_checks: str
    """``"module:attribute"`` of the checks that refuse a change cutting off management access
    (``matops.network.safety``)."""
    admin_hash: Mark | None = None
    """The form the admins' password hash must have (None: any single hash string)."""
    needs_enable: bool = False
    """The configuration is shown only in privileged EXEC (IOS ``enable``), not at login."""
    indent: str = " "
    write_only: tuple[re.Pattern[str], ...] = ()
    defaults: tuple[re.Pattern[str], ...] = ()
    masked: tuple[re.Pattern[str], ...] = ()
    idempotent: tuple[tuple[str, ...], ...] = ()
    not_idempotent: tuple[str, ...] = ()
    negations: tuple[tuple[str, str, str], ...] = ()
    parts: tuple[ConfigPart, ...] = ()

    @property
    def template(self) -> Path:
        """The baseline template of this platform."""
        return self.template_dir / "baseline.j2"

    def part(self, name: str) -> ConfigPart:
        """The part called ``name``; :class:`UnknownPartError` lists this platform's parts.

        >>> from matops.platforms import network_platform
        >>> network_platform("cisco_ios").part("ports").template
        'ports.j2'
        """
        for part in self.parts:
            if part.name == name:
                return part
        valid = ", ".join(p.name for p in self.parts) or "none"
        raise UnknownPartError(f"platform {self.name} has no part {name!r}; parts: {valid}")


def resolve(ref: str) -> Any:
    """``"package.module:name"`` → that object (imported when first needed).

    >>> resolve("matops.facts.network.parse:parse_config").__name__
    'parse_config'
    """
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def _resolve(ref: str) -> Callable[[str], Any]:
    found: Callable[[str], Any] = resolve(ref)
    return found


_HEAD_LINES = 12


@dataclass(frozen=True)
class ShowCommands:
    """The read-only commands whose outputs matops reads from a device, per fact."""

    running_config: str
    startup_config: str
    software_version: str

    def by_fact(self) -> dict[str, str]:
        """Fact name → command.

        >>> ShowCommands("show run", "show start", "show ver").by_fact()["startup_config"]
        'show start'
        """
        return {
            "running_config": self.running_config,
            "startup_config": self.startup_config,
            "software_version": self.software_version,
        }


@dataclass(frozen=True)
class Mark:
    """A line pattern that tells something about a config text (``facts/network/validate.py``)."""

    pattern: re.Pattern[str]
    says: str
    """What its absence means (a completeness mark) or what the text is (a signature)."""
    in_head: bool = False
    """Only the first non-blank lines count (a header), not the whole text."""

    def found(self, text: str) -> bool:
        """Whether ``text`` (or its head) has a line matching the pattern.

        >>> Mark(re.compile(r"^end$", re.M), "cut off").found("hostname a\\nend\\n")
        True
        """
        if self.in_head:
            lines = [line.rstrip("\r") for line in text.splitlines() if line.strip()]
            text = "\n".join(lines[:_HEAD_LINES])
        return self.pattern.search(text) is not None


@dataclass(frozen=True)
class ConfigReader:
    """How matops reads a platform's configs (saved or live) to judge them.

    ``parser`` and ``version_parser`` name functions as ``"module:function"``; they are imported
    on first use, so the registry stays at the bottom of the package graph.
    """

    hier_platform: HierPlatform
    """hier_config's driver for the tolerant loader's tree (``facts/network/tree.py``)."""
    parser: str
    """Running/startup config text → ``NetworkConfig``."""
    version_parser: str
    """``show version`` text → ``SoftwareVersion``."""
    top_level: tuple[str, ...]
    """Commands read at the top level even when a device prints them with a stray indent."""
    short_name: str
    """How messages name the platform ("not Cisco IOS")."""
    complete: Mark
    """What a whole config has; its absence means cut off (or the wrong platform)."""
    signature: Mark
    """What marks a config as this platform's, to name it when read as another platform."""
    shows: ShowCommands
    """The commands that print the running and startup configs and the software version."""
    banner_ends_on_own_line: bool = False
    """A banner ends at a line holding only its delimiter (AOS-CX), not at the next delimiter."""
    indent_after_separator_is_top: bool = False
    """An indented line right after a top-level ``!`` belongs to the top level (IOS)."""
    neighbours_command: str | None = None
    """The read-only command listing the LLDP neighbours (parsed by
    :mod:`matops.facts.network.neighbours` for the handbook's drawings; no check reads it)."""

    def parse(self, text: str) -> Any:
        """The parsed ``NetworkConfig`` of ``text``."""
        return _resolve(self.parser)(text)

    def parse_version(self, text: str) -> Any:
        """The parsed ``SoftwareVersion`` of ``show version`` output."""
        return _resolve(self.version_parser)(text)


@dataclass(frozen=True)
class Platform:
    """One registry entry, keyed by netmiko device_type (network kit) or OS id (Linux)."""

    name: str
    title: str
    kinds: frozenset[str]
    reader: ConfigReader | None = None
    """How saved and live configs are read and judged (None: matops cannot judge its configs)."""
    network: NetworkPlatform | None = None
    """How the baseline is rendered, diffed and pushed (None: no baseline for this platform)."""


def res(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Compiled regexes (for the registry entries)."""
    return tuple(re.compile(p) for p in patterns)


def top(*patterns: str) -> tuple[tuple[str, ...], ...]:
    """Idempotent-command rules at the top level."""
    return tuple((p,) for p in patterns)


def under(section: str, *patterns: str) -> tuple[tuple[str, ...], ...]:
    """Idempotent-command rules inside sections matching ``section``."""
    return tuple((section, p) for p in patterns)


def ports_part(physical: re.Pattern[str], *lines: str) -> ConfigPart:
    """The ``ports`` part: VLAN sections and physical ports, owning ``lines`` under them."""
    return ConfigPart(
        name="ports",
        template="ports.j2",
        sections=(re.compile(r"^vlan \d+$"), physical),
        lines=res(*lines),
        summary=PORTS_SUMMARY,
    )
