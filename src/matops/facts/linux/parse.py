"""Pure parsers for Linux command output and files (the testable half of each collector)."""

from __future__ import annotations

import re
import shlex

from matops.facts.linux.model import (
    PamModule,
    SyslogTarget,
    UnitState,
)


class UnparseableError(ValueError):
    """The output does not look like what the command prints (garbage, cut short, empty).

    Raised instead of returning a value: a parser never fills in what it did not see.
    """


def require_keys(values: dict[str, str], keys: tuple[str, ...], what: str) -> dict[str, str]:
    """``values`` when it has every key; :class:`UnparseableError` naming the missing ones.

    >>> require_keys({"ID": "debian"}, ("ID", "VERSION_ID"), "/etc/os-release")
    Traceback (most recent call last):
    ...
    matops.facts.linux.parse.UnparseableError: /etc/os-release: no VERSION_ID (junk or cut short?)
    """
    missing = [key for key in keys if key not in values]
    if missing:
        raise UnparseableError(f"{what}: no {', '.join(missing)} (junk or cut short?)")
    return values


def _lines(text: str) -> list[str]:
    """Non-empty lines without comments."""
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


SSHD_KEYS = (
    "port", "permitrootlogin", "passwordauthentication", "kbdinteractiveauthentication",
    "maxauthtries", "clientaliveinterval", "clientalivecountmax", "banner", "ciphers", "macs",
    "kexalgorithms",
)  # fmt: skip
"""Keywords every OpenSSH ``sshd -T`` prints and the checks read; without one, the output was
not (all of) sshd's, and no judge may fall back on a default for it."""


def parse_sshd_t(text: str) -> dict[str, str]:
    """``sshd -T`` → lower-case keyword → value (repeated keywords joined with newlines).

    >>> keys = [f"{key} x" for key in SSHD_KEYS[1:]]
    >>> parse_sshd_t("\\n".join(["port 22", "port 2222", *keys]))["port"]
    '22\\n2222'
    """
    result: dict[str, str] = {}
    for line in _lines(text):
        key, _, value = line.partition(" ")
        key = key.lower()
        result[key] = f"{result[key]}\n{value.strip()}" if key in result else value.strip()
    return require_keys(result, SSHD_KEYS, "sshd -T")


def parse_key_values(text: str) -> dict[str, str]:
    """``KEY=value`` lines (``/etc/os-release``, ``timedatectl show``); quotes removed."""
    result: dict[str, str] = {}
    for line in _lines(text):
        key, sep, value = line.partition("=")
        if sep:
            try:
                parts = shlex.split(value)
            except ValueError:
                parts = [value]
            result[key.strip()] = " ".join(parts)
    return result


_APT_CONFIG = re.compile(r'^APT::Periodic::(?P<key>[\w-]+)\s+"(?P<value>[^"]*)";')


def parse_apt_periodic(text: str) -> dict[str, str]:
    """``apt-config dump APT::Periodic`` → setting → value ('' output: nothing configured).

    >>> parse_apt_periodic('APT::Periodic "";\\nAPT::Periodic::Unattended-Upgrade "1";')
    {'Unattended-Upgrade': '1'}
    """
    found = {}
    for line in _lines(text):
        if not (line.startswith("APT::Periodic") and line.endswith(";")):
            raise UnparseableError(f"apt-config dump: unexpected line {line[:80]!r}")
        if (match := _APT_CONFIG.match(line)) is not None:
            found[match["key"]] = match["value"]
    return found


_LEGACY_FORWARD = re.compile(
    r"^\S+\s+(?P<tcp>@@?)(?:\((?:[^)]*)\))?\[?(?P<host>[^\]:;\s]+)\]?(?::(?P<port>\d+))?"
)
_OMFWD_PARAM = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


def parse_rsyslog(text: str) -> list[SyslogTarget]:
    """rsyslog config text → remote destinations (``@host``, ``@@host:port``, ``omfwd``)."""
    targets = []
    for line in _lines(text):
        if "omfwd" in line:
            params = dict(_OMFWD_PARAM.findall(line))
            if "target" in params:
                protocol = "tcp" if params.get("protocol", "udp").lower() == "tcp" else "udp"
                port = int(params.get("port", "514") or 514)
                targets.append(SyslogTarget(address=params["target"], port=port, protocol=protocol))
        elif (match := _LEGACY_FORWARD.match(line)) is not None:
            protocol = "tcp" if match["tcp"] == "@@" else "udp"
            port = int(match["port"] or 514)
            targets.append(SyslogTarget(address=match["host"], port=port, protocol=protocol))
    return targets


def parse_systemctl_show(text: str, asked: tuple[str, ...] = ()) -> dict[str, UnitState]:
    """``systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState u1 u2 …``.

    Every block must carry Id, LoadState and ActiveState (systemd prints them even for a unit
    that does not exist: ``LoadState=not-found``), and every unit in ``asked`` must be there.
    """
    units: dict[str, UnitState] = {}
    for block in re.split(r"\n\s*\n", text.strip()) if text.strip() else []:
        values = require_keys(
            parse_key_values(block), ("Id", "LoadState", "ActiveState"), "systemctl show"
        )
        units[values["Id"].removesuffix(".service")] = UnitState(
            load=values["LoadState"],
            active=values["ActiveState"],
            sub=values.get("SubState", ""),
            enabled=values.get("UnitFileState", ""),
        )
    missing = [unit for unit in asked if unit not in units]
    if missing:
        raise UnparseableError(f"systemctl show: nothing for {', '.join(missing)} (cut short?)")
    return units


def parse_pam_module(pam_text: str, conf_text: str, module: str) -> PamModule:
    """Is ``module`` (e.g. ``pam_faillock.so``) used in the PAM text, and its settings.

    Settings come from the module's config file (``key = value``, bare ``key`` → ``yes``),
    overridden by ``key=value`` arguments on the PAM lines.
    """
    settings: dict[str, str] = {}
    for line in _lines(conf_text):
        key, sep, value = line.partition("=")
        settings[key.strip()] = value.strip() if sep else "yes"
    in_stack = False
    for line in _lines(pam_text):
        if module in line.split():
            in_stack = True
            args = line.split()[line.split().index(module) + 1 :]
            settings.update(a.split("=", 1) for a in args if "=" in a)  # type: ignore[misc]
    return PamModule(in_pam_stack=in_stack, settings=settings)
