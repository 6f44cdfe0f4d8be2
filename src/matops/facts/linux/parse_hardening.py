"""Pure parsers for the hardening facts: ``/etc/login.defs`` and ``modprobe --showconfig``."""

from __future__ import annotations

import json
import re

from matops.facts.linux.model import FileMode, HomeDirectories, ModprobeRules
from matops.facts.linux.parse import UnparseableError

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_MODPROBE = ("alias", "options", "blacklist", "install", "remove", "softdep", "weakdep")


def _lines(text: str) -> list[str]:
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def parse_login_defs(text: str) -> dict[str, str]:
    """``/etc/login.defs`` → KEY → value (the last one wins, as in shadow's own reader).

    Lines that are not ``KEY value`` (upper-case keys) are not settings and are left out;
    a file with no setting at all is not a login.defs (junk, or cut to nothing).

    >>> parse_login_defs("# comment\\nUMASK\\t\\t027\\nENCRYPT_METHOD SHA512\\n")
    {'UMASK': '027', 'ENCRYPT_METHOD': 'SHA512'}
    """
    found: dict[str, str] = {}
    for line in _lines(text):
        key, _, value = line.partition(" ") if " " in line else line.partition("\t")
        key, value = key.strip(), value.strip()
        if _KEY.match(key):
            found[key] = value.strip('"')
    if not found:
        raise UnparseableError("/etc/login.defs: no KEY value setting at all (junk or empty?)")
    return found


def parse_modprobe_rules(showconfig: str) -> ModprobeRules:
    """``modprobe --showconfig`` → each module's ``install`` command and the blacklist.

    modprobe prints module names with underscores whatever the files said.

    >>> rules = parse_modprobe_rules("blacklist dccp\\ninstall dccp /bin/false\\nalias a b\\n")
    >>> rules.install, rules.blacklisted
    ({'dccp': '/bin/false'}, ['dccp'])
    """
    install: dict[str, str] = {}
    blacklisted: list[str] = []
    for line in _lines(showconfig):
        words = line.split()
        if words[0] not in _MODPROBE:
            raise UnparseableError(f"modprobe --showconfig: unexpected line {line[:80]!r}")
        if words[0] == "install" and len(words) > 2:
            install[words[1].replace("-", "_")] = " ".join(words[2:])
        elif words[0] == "blacklist" and len(words) > 1:
            blacklisted.append(words[1].replace("-", "_"))
    if not _lines(showconfig):
        raise UnparseableError("modprobe --showconfig: nothing printed (its built-in aliases?)")
    return ModprobeRules(install=install, blacklisted=sorted(set(blacklisted)))


_SYSCTL_LINE = re.compile(r"^(?P<key>[\w.-]+) = (?P<value>.*)$")


def parse_sysctls(text: str, keys: tuple[str, ...], stderr: str) -> dict[str, str | None]:
    """``sysctl KEY…`` output → key → value; None for a key this kernel does not have (sysctl
    said it cannot stat its /proc/sys file). Any other key left unanswered was cut short.

    >>> parse_sysctls("kernel.a = 1\\n", ("kernel.a", "kernel.b"),
    ...               "sysctl: cannot stat /proc/sys/kernel/b: No such file or directory")
    {'kernel.a': '1', 'kernel.b': None}
    """
    values: dict[str, str | None] = {}
    for line in _lines(text):
        match = _SYSCTL_LINE.match(line)
        if match is None or match["key"] not in keys:
            raise UnparseableError(f"sysctl: unexpected line {line[:80]!r}")
        values[match["key"]] = match["value"].strip()
    for key in keys:
        if key in values:
            continue
        if f"cannot stat /proc/sys/{key.replace('.', '/')}:" not in stderr:
            raise UnparseableError(f"sysctl: no value for {key} (cut short?)")
        values[key] = None
    return values


_STAT_LINE = re.compile(r"^(?P<mode>[0-7]{3,4}) (?P<user>\S+) (?P<group>\S+) (?P<path>/\S*)$")


def parse_stat(text: str, paths: tuple[str, ...], stderr: str) -> dict[str, FileMode | None]:
    """``stat -c '%a %U %G %n' PATH…`` → path → mode and owners; None for a path stat said does
    not exist. Any other path left unanswered was cut short.

    >>> parse_stat("600 root root /etc/crontab\\n", ("/etc/crontab", "/etc/cron.d"),
    ...            "stat: cannot statx '/etc/cron.d': No such file or directory")["/etc/cron.d"]
    """
    found: dict[str, FileMode | None] = {}
    for line in _lines(text):
        match = _STAT_LINE.match(line)
        if match is None or match["path"] not in paths:
            raise UnparseableError(f"stat: unexpected line {line[:80]!r}")
        found[match["path"]] = FileMode(
            mode=match["mode"].rjust(4, "0"), user=match["user"], group=match["group"]
        )
    for path in paths:
        if path in found:
            continue
        if f"'{path}': No such file or directory" not in stderr:
            raise UnparseableError(f"stat: nothing for {path} (cut short?)")
        found[path] = None
    return found


def parse_sudo_defaults(text: str) -> dict[str, str]:
    """``cvtsudoers -f json /etc/sudoers`` (includes followed) → the global ``Defaults``.

    Per-user, host or command Defaults (with a ``Binding``) are left out; a later setting wins,
    as in sudo. Flags are ``true``/``false`` (negated), other values their text.

    >>> parse_sudo_defaults('{"Defaults": [{"Options": [{"use_pty": true}, {"logfile": "/l"}]},'
    ...     ' {"Binding": [{"username": "bob"}], "Options": [{"use_pty": false}]}]}')
    {'use_pty': 'true', 'logfile': '/l'}
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UnparseableError(f"cvtsudoers: not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise UnparseableError("cvtsudoers: not a JSON object")
    found: dict[str, str] = {}
    for entry in data.get("Defaults", []):
        if not isinstance(entry, dict) or "Options" not in entry:
            raise UnparseableError(f"cvtsudoers: a Defaults entry without Options: {entry!r:.60}")
        if "Binding" in entry:
            continue
        for option in entry["Options"]:
            for key, value in option.items():
                found[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return found


_HOME_LINE = re.compile(r"^(?P<mode>[0-7]{3,4}) (?P<path>/\S+)$")


def parse_homes(homes: str, dotfiles: list[str]) -> HomeDirectories:
    """``find /home … -printf '%m %p\\n'`` and the writable dotfiles found → the fact.

    >>> parse_homes("755 /home/hokafor\\n750 /home/matops\\n", []).modes
    {'/home/hokafor': '0755', '/home/matops': '0750'}
    """
    modes: dict[str, str] = {}
    for line in _lines(homes):
        match = _HOME_LINE.match(line)
        if match is None:
            raise UnparseableError(f"find /home: unexpected line {line[:80]!r}")
        modes[match["path"]] = match["mode"].rjust(4, "0")
    return HomeDirectories(modes=modes, writable_dotfiles=sorted(dotfiles))


def parse_debsums_default(text: str | None) -> str | None:
    """``CRON_CHECK`` of ``/etc/default/debsums`` (a shell fragment; the last one wins).

    >>> parse_debsums_default("# Set this to never...\\nCRON_CHECK=weekly\\n")
    'weekly'
    >>> parse_debsums_default(None) is None, parse_debsums_default("CRON_CHECK=never")
    (True, 'never')
    """
    found = None
    for line in _lines(text or ""):
        key, sep, value = line.partition("=")
        if sep and key.strip() == "CRON_CHECK":
            found = value.strip().strip("\"'")
    return found
