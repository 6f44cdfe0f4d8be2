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
    """User specifications of a sudoers file (Defaults, aliases and includes are skipped)."""
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
        if match is None:
            continue
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
    """``getent passwd`` lines."""
    entries = []
    for line in _lines(text):
        fields = line.split(":")
        if len(fields) >= 7 and fields[2].isdigit() and fields[3].isdigit():
            entries.append(
                PasswdEntry(
                    name=fields[0],
                    uid=int(fields[2]),
                    gid=int(fields[3]),
                    home=fields[5],
                    shell=fields[6],
                )
            )
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
    """``/etc/shadow`` → (name, password state). The hash is dropped here and never stored."""
    entries = []
    for line in _lines(text):
        fields = line.split(":")
        if len(fields) >= 2:
            entries.append(ShadowEntry(name=fields[0], password=password_state(fields[1])))
    return entries


def parse_groups(text: str) -> dict[str, list[str]]:
    """``getent group sudo wheel admin`` → group → members."""
    groups = {}
    for line in _lines(text):
        fields = line.split(":")
        if len(fields) >= 4:
            groups[fields[0]] = [m for m in fields[3].split(",") if m]
    return groups


def parse_usb_storage(modprobe: str, showconfig: str, lsmod: str) -> UsbStorage:
    """``modprobe -n -v usb-storage``, ``modprobe --showconfig`` and ``lsmod`` → UsbStorage.

    The install command comes from ``modprobe -n -v``; where that finds no module at all (a
    container has no /lib/modules for the running kernel), from the configuration itself.

    >>> parse_usb_storage("", "install usb_storage /bin/false", "").install_command
    '/bin/false'
    """
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
    loaded = any(line.split()[0] == "usb_storage" for line in _lines(lsmod) if line.split())
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
        if len(fields) < 5 or fields[0] not in ("tcp", "udp"):
            continue
        address, _, port = fields[4].rpartition(":")
        address = address.split("%", 1)[0].strip("[]")
        if not port.isdigit():
            continue
        process = _SS_PROCESS.search(line)
        sockets.append(
            ListeningSocket(
                protocol=fields[0],
                address=address,
                port=int(port),
                process=process["name"] if process else None,
            )
        )
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
    return Coredump(
        hard_core_limit=hard,
        suid_dumpable=int(value) if value.isdigit() else None,
        systemd_storage=storage,
    )


def parse_x509(path: str, text: str) -> CaCertificate:
    """``openssl x509 -noout -subject -fingerprint -sha256`` output for one file."""
    subject = fingerprint = ""
    for line in _lines(text):
        if line.startswith("subject="):
            subject = line.removeprefix("subject=").strip()
        elif "Fingerprint=" in line:
            fingerprint = line.split("=", 1)[1].replace(":", "").lower()
    return CaCertificate(path=path, subject=subject, sha256=fingerprint)


def parse_epoch(text: str) -> datetime | None:
    """``stat -c %Y`` output → UTC datetime (None when empty)."""
    values = [int(v) for v in text.split() if v.isdigit()]
    return datetime.fromtimestamp(max(values), UTC) if values else None
