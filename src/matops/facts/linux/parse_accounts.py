"""Pure parsers for accounts, sockets and system settings (the testable half of collectors)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from matops.facts.linux.model import (
    CaCertificate,
    Coredump,
    ListeningSocket,
    PasswdEntry,
    PasswordState,
    ShadowEntry,
    SudoRule,
    UsbStorage,
)
from matops.facts.linux.parse import UnparseableError


def _lines(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _joined(text: str) -> list[str]:
    """Lines with backslash continuations joined (sudoers)."""
    return _lines(re.sub(r"\\\n", " ", text))


_SUDO_SPEC = re.compile(
    r"^(?P<principal>\S+)\s+(?P<hosts>[^=\s]+)\s*=\s*(?:\((?P<runas>[^)]*)\))?\s*(?P<rest>.*)$"
)


def parse_sudoers(text: str, source: str) -> list[SudoRule]:
    """User specifications of a sudoers file (Defaults, aliases and includes are skipped).

    A line that is none of these is refused rather than skipped.

    >>> [r.principal for r in parse_sudoers("Defaults env_reset\\n%sudo ALL=(ALL:ALL) ALL", "x")]
    ['%sudo']
    """
    rules = []
    for line in _joined(text):
        if line.startswith(
            (
                "Defaults",
                "@include",
                "#include",
                "User_Alias",
                "Runas_Alias",
                "Host_Alias",
                "Cmnd_Alias",
            )
        ):
            continue
        match = _SUDO_SPEC.match(line)
        if match is None:  # never skipped: an unread rule could be the one that grants root
            raise UnparseableError(f"{source}: a line that is not sudoers syntax: {line[:60]!r}")
        rest = match["rest"]
        tags = re.findall(r"\b([A-Z_]+):", rest)
        commands = re.sub(r"\b[A-Z_]+:\s*", "", rest)
        rules.append(
            SudoRule(
                principal=match["principal"],
                hosts=match["hosts"],
                runas=(match["runas"] or "root").strip(),
                nopasswd="NOPASSWD" in tags,
                commands=[c.strip() for c in commands.split(",") if c.strip()],
                source=source,
            )
        )
    return rules


def parse_passwd(text: str) -> list[PasswdEntry]:
    """``getent passwd`` lines; every line must be a passwd entry, and root must be there.

    >>> [e.uid for e in parse_passwd("root:x:0:0:root:/root:/bin/bash\\n")]
    [0]
    """
    entries = []
    for line in _lines(text):
        fields = line.split(":")
        if len(fields) != 7 or not fields[2].isdigit() or not fields[3].isdigit():
            raise UnparseableError(f"getent passwd: not a passwd entry: {fields[0][:40]!r}…")
        name, uid, gid, home, shell = fields[0], int(fields[2]), int(fields[3]), *fields[5:]
        entries.append(PasswdEntry(name=name, uid=uid, gid=gid, home=home, shell=shell))
    if not any(e.name == "root" for e in entries):
        raise UnparseableError("getent passwd: no root entry (empty or cut short?)")
    return entries


def password_state(field: str) -> PasswordState:
    """The state of a shadow password field, never the hash itself.

    >>> password_state(""), password_state("!$6$x"), password_state("*"), password_state("$y$j9T")
    ('empty', 'locked', 'locked', 'hashed')
    """
    if field == "":
        return "empty"
    if field.startswith(("!", "*")):
        return "locked"
    return "hashed"


def parse_shadow(text: str) -> list[ShadowEntry]:
    """``/etc/shadow`` → (name, password state). The hash is dropped here and never stored.

    Every line must have shadow's nine fields (a line cut short is refused, never read as an
    account), and root must be there. Error messages name the account, never the hash.
    """
    entries = []
    for line in _lines(text):
        fields = line.split(":")
        if len(fields) != 9:
            raise UnparseableError(f"/etc/shadow: the entry for {fields[0][:32]!r} is not 9 fields")
        entries.append(ShadowEntry(name=fields[0], password=password_state(fields[1])))
    if not any(e.name == "root" for e in entries):
        raise UnparseableError("/etc/shadow: no root entry (empty or cut short?)")
    return entries


def parse_groups(text: str, asked: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """``getent group sudo wheel admin`` → group → members (only groups that exist).

    >>> parse_groups("sudo:x:27:ana,ben\\n", ("sudo", "wheel"))
    {'sudo': ['ana', 'ben']}
    """
    groups = {}
    for line in _lines(text):
        fields = line.split(":")
        if len(fields) != 4 or not fields[2].isdigit() or (asked and fields[0] not in asked):
            raise UnparseableError(
                f"getent group: not an entry of {'/'.join(asked)}: {line[:60]!r}"
            )
        groups[fields[0]] = [m for m in fields[3].split(",") if m]
    return groups


_MODPROBE_CONF = ("alias ", "options ", "blacklist ", "install ", "remove ", "softdep ", "weakdep ")


def _expect(text: str, starts: tuple[str, ...], what: str) -> None:
    bad = next((line for line in _lines(text) if not line.startswith(starts)), None)
    if bad is not None:
        raise UnparseableError(f"{what}: unexpected line {bad[:80]!r}")


def parse_usb_storage(modprobe: str, showconfig: str, lsmod: str | None) -> UsbStorage:
    """``modprobe -n -v usb-storage``, ``modprobe --showconfig`` and ``lsmod`` → UsbStorage.

    The install command comes from ``modprobe -n -v``; where that finds no module at all (a
    container has no /lib/modules for the running kernel), from the configuration itself.
    ``lsmod`` is None for a kernel without loadable module support (nothing is loaded).

    >>> parse_usb_storage("", "install usb_storage /bin/false", "Module Size").install_command
    '/bin/false'
    """
    _expect(modprobe, ("insmod ", "install ", "builtin ", "rmmod "), "modprobe -n -v")
    _expect(showconfig, _MODPROBE_CONF, "modprobe --showconfig")
    modules = _lines(lsmod) if lsmod is not None else ["Module Size Used by"]
    if not modules or not modules[0].startswith("Module"):
        raise UnparseableError("lsmod: no 'Module Size Used by' header (junk or empty?)")
    bad = next(
        (ln for ln in modules[1:] if len(ln.split()) < 3 or not ln.split()[1].isdigit()), None
    )
    if bad is not None:
        raise UnparseableError(f"lsmod: not a module line: {bad[:60]!r}")
    install = next(
        (line.split(None, 1)[1] for line in _lines(modprobe) if line.startswith("install ")), None
    )
    if install is None:
        install = next(
            (
                line.split(None, 2)[2]
                for line in _lines(showconfig)
                if line.split()[:2] == ["install", "usb_storage"] and len(line.split()) > 2
            ),
            None,
        )
    blacklisted = any(line.split() == ["blacklist", "usb_storage"] for line in _lines(showconfig))
    loaded = any(line.split()[0] == "usb_storage" for line in modules[1:])
    return UsbStorage(install_command=install, blacklisted=blacklisted, loaded=loaded)


_SS_PROCESS = re.compile(r'users:\(\("(?P<name>[^"]+)"')


def parse_ss(text: str) -> list[ListeningSocket]:
    """``ss -H -l -n -t -u -p`` → listening sockets.

    >>> parse_ss('tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=1,fd=3))')[0].process
    'sshd'
    """
    sockets = []
    for line in _lines(text):
        fields = line.split()
        address, _, port = fields[4].rpartition(":") if len(fields) >= 5 else ("", "", "")
        if len(fields) < 6 or fields[0] not in ("tcp", "udp") or not port.isdigit():
            raise UnparseableError(f"ss: not a socket line: {line[:80]!r}")
        address = address.split("%", 1)[0].strip("[]")
        process = _SS_PROCESS.search(line)
        sockets.append(
            ListeningSocket(
                protocol=fields[0],
                address=address,
                port=int(port),
                process=process["name"] if process else None,
            )
        )
    if not sockets:  # the host was reached over SSH, so something listens
        raise UnparseableError("ss: no listening socket at all (not even SSH): empty or cut short")
    return sockets


def parse_coredump(limits: str, suid_dumpable: str, coredump_conf: str | None) -> Coredump:
    """limits.conf text, ``sysctl -n fs.suid_dumpable`` and coredump.conf (None: not installed)."""
    hard = None
    for line in _lines(limits):
        fields = line.split()
        if (
            len(fields) >= 4
            and fields[0] == "*"
            and fields[1] in ("hard", "-")
            and fields[2] == "core"
        ):
            hard = fields[3]
    storage = None
    if coredump_conf is not None:
        storage = "external"
        for line in _lines(coredump_conf):
            key, _, value = line.partition("=")
            if key.strip() == "Storage":
                storage = value.strip()
    value = suid_dumpable.strip()
    if not value.isdigit():
        raise UnparseableError(f"sysctl -n fs.suid_dumpable: not a number: {value[:40]!r}")
    return Coredump(hard_core_limit=hard, suid_dumpable=int(value), systemd_storage=storage)


def parse_x509(path: str, text: str) -> CaCertificate:
    """``openssl x509 -noout -subject -fingerprint -sha256`` output for one file."""
    subject = fingerprint = ""
    for line in _lines(text):
        if line.startswith("subject="):
            subject = line.removeprefix("subject=").strip()
        elif "Fingerprint=" in line:
            fingerprint = line.split("=", 1)[1].replace(":", "").lower()
    if not subject or not re.fullmatch(r"[0-9a-f]{64}", fingerprint):
        raise UnparseableError(f"openssl x509 of {path}: no subject or SHA-256 fingerprint")
    return CaCertificate(path=path, subject=subject, sha256=fingerprint)


def parse_epoch(text: str) -> datetime | None:
    """Seconds since the epoch, one a line (``stat -c %Y``, ``find -printf %T@``) → the latest.

    None when there are none (no such files). Anything else is refused.

    >>> parse_epoch("1763805600.25\\n1763800000\\n").year
    2025
    """
    try:
        values = [float(v) for v in text.split()]
    except ValueError as exc:
        raise UnparseableError(f"not a time in seconds: {text.strip()[:40]!r}") from exc
    return datetime.fromtimestamp(int(max(values)), UTC) if values else None
