"""Read-only Linux fact collectors over a testinfra ``host`` (``host.run``, ``host.file``).

Each collector runs fixed, read-only commands and hands the output to a pure parser in
:mod:`matops.facts.linux.parse` or :mod:`matops.facts.linux.parse_accounts`. Nothing here
changes the target. The lab integration tests exercise these against real hosts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from matops.facts.linux import parse as p
from matops.facts.linux import parse_accounts as pa
from matops.facts.linux.model import MalwareAgent, NftRuleset, UnattendedUpgrades, Virtualisation

Host = Any
"""A testinfra host (``testinfra.get_host(...)``); typed loosely as testinfra ships no types."""

UNITS = (
    "nftables", "auditd", "rsyslog", "systemd-timesyncd", "chrony", "clamav-daemon",
    "clamav-freshclam",
)  # fmt: skip
SYSTEM_PATHS = "/etc /usr /boot /bin /sbin /lib /opt"
SHOW_UNITS = "systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState"


class Collected(NamedTuple):
    """A collector's result: the typed value, where it came from, the raw output, an excerpt.

    ``excerpt`` replaces the raw text in evidence when the raw output holds secrets.
    """

    value: Any
    source: str
    raw: str
    excerpt: str | None = None


def out(host: Host, command: str, *args: str) -> str:
    """stdout of a read-only command (arguments quoted by testinfra); failures give ''."""
    return str(host.run(command, *args).stdout)


def read(host: Host, path: str) -> str:
    """A file's text, or '' when it does not exist."""
    file = host.file(path)
    return str(file.content_string) if file.exists else ""


def sshd_effective(host: Host) -> Collected:
    text = out(host, "sshd -T")
    return Collected(p.parse_sshd_t(text), "sshd -T", text)


def nft_ruleset(host: Host) -> Collected:
    text = out(host, "nft -j list ruleset")
    data = json.loads(text) if text.strip() else {}
    return Collected(NftRuleset(nftables=data.get("nftables", [])), "nft -j list ruleset", text)


def apt_security_updates(host: Host) -> Collected:
    text = out(host, "apt list --upgradable")
    return Collected(p.parse_apt_upgradable(text), "apt list --upgradable", text)


def unattended_upgrades(host: Host) -> Collected:
    status = out(host, "dpkg-query -W -f='${Status}' unattended-upgrades")
    periodic = out(host, "apt-config dump APT::Periodic")
    value = UnattendedUpgrades(
        installed="install ok installed" in status, periodic=p.parse_apt_periodic(periodic)
    )
    return Collected(
        value, "dpkg-query unattended-upgrades; apt-config dump", f"{status}\n{periodic}"
    )


def os_release(host: Host) -> Collected:
    text = read(host, "/etc/os-release")
    return Collected(p.parse_key_values(text), "/etc/os-release", text)


def timedatectl(host: Host) -> Collected:
    text = out(host, "timedatectl show")
    return Collected(p.parse_key_values(text), "timedatectl show", text)


def rsyslog_forwarding(host: Host) -> Collected:
    text = out(host, "sh -c 'cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf 2>/dev/null'")
    return Collected(p.parse_rsyslog(text), "/etc/rsyslog.conf /etc/rsyslog.d/*.conf", text)


def systemd_units(host: Host) -> Collected:
    names = [f"{unit}.service" for unit in UNITS]
    text = out(host, f"{SHOW_UNITS} {' '.join(names)}")
    return Collected(p.parse_systemctl_show(text), "systemctl show " + " ".join(names), text)


def _pam(host: Host, pam_files: tuple[str, ...], conf: str, module: str) -> Collected:
    pam_text = "\n".join(read(host, path) for path in pam_files)
    conf_text = read(host, conf)
    value = p.parse_pam_module(pam_text, conf_text, module)
    return Collected(value, " ".join((*pam_files, conf)), f"{pam_text}\n{conf_text}")


def faillock(host: Host) -> Collected:
    files = ("/etc/pam.d/common-auth", "/etc/pam.d/common-account")
    return _pam(host, files, "/etc/security/faillock.conf", "pam_faillock.so")


def pwquality(host: Host) -> Collected:
    files = ("/etc/pam.d/common-password",)
    return _pam(host, files, "/etc/security/pwquality.conf", "pam_pwquality.so")


def sudoers(host: Host) -> Collected:
    paths = ["/etc/sudoers", *sorted(out(host, "ls -1 /etc/sudoers.d").split())]
    paths = [path if path.startswith("/") else f"/etc/sudoers.d/{path}" for path in paths]
    texts = {path: read(host, path) for path in paths if not path.endswith(("~", "README"))}
    rules = [rule for path, text in texts.items() for rule in pa.parse_sudoers(text, path)]
    raw = "\n".join(f"# {path}\n{text}" for path, text in texts.items())
    return Collected(rules, "/etc/sudoers /etc/sudoers.d/*", raw)


def passwd(host: Host) -> Collected:
    text = out(host, "getent passwd")
    return Collected(pa.parse_passwd(text), "getent passwd", text)


def shadow(host: Host) -> Collected:
    text = read(host, "/etc/shadow")
    entries = pa.parse_shadow(text)
    safe = "\n".join(f"{e.name}: {e.password}" for e in entries)
    return Collected(entries, "/etc/shadow (password states only)", text, excerpt=safe)


def privileged_groups(host: Host) -> Collected:
    text = out(host, "getent group sudo wheel admin")
    return Collected(pa.parse_groups(text), "getent group sudo wheel admin", text)


def usb_storage(host: Host) -> Collected:
    modprobe = out(host, "modprobe -n -v usb-storage")
    config = "\n".join(
        line for line in out(host, "modprobe --showconfig").splitlines() if "usb_storage" in line
    )
    lsmod = out(host, "lsmod")
    value = pa.parse_usb_storage(modprobe, config, lsmod)
    return Collected(
        value, "modprobe -n -v usb-storage; modprobe --showconfig; lsmod", f"{modprobe}\n{config}"
    )


def world_writable_files(host: Host) -> Collected:
    command = f"find {SYSTEM_PATHS} -xdev -type f -perm -0002 -print"
    text = out(host, command)
    return Collected(sorted(text.split()), command, text)


def listening_sockets(host: Host) -> Collected:
    text = out(host, "ss -H -l -n -t -u -p")
    return Collected(pa.parse_ss(text), "ss -H -l -n -t -u -p", text)


def issue_net(host: Host) -> Collected:
    text = read(host, "/etc/issue.net")
    return Collected(text, "/etc/issue.net", text)


def coredump(host: Host) -> Collected:
    limits = out(
        host, "sh -c 'cat /etc/security/limits.conf /etc/security/limits.d/*.conf 2>/dev/null'"
    )
    suid = out(host, "sysctl -n fs.suid_dumpable")
    installed = host.file("/lib/systemd/systemd-coredump").exists
    conf = read(host, "/etc/systemd/coredump.conf") if installed else None
    value = pa.parse_coredump(limits, suid, conf)
    return Collected(
        value,
        "limits.conf; sysctl fs.suid_dumpable; coredump.conf",
        f"{limits}\n{suid}\n{conf or ''}",
    )


def ca_certificates(host: Host) -> Collected:
    paths = sorted(out(host, "find /usr/local/share/ca-certificates -type f -name '*.crt'").split())
    certs = [
        pa.parse_x509(
            path, out(host, "openssl x509 -noout -subject -fingerprint -sha256 -in %s", path)
        )
        for path in paths
    ]
    raw = "\n".join(f"{c.path} {c.subject} {c.sha256}" for c in certs)
    return Collected(certs, "/usr/local/share/ca-certificates/*.crt", raw)


def malware_agent(host: Host) -> Collected:
    units = p.parse_systemctl_show(out(host, f"{SHOW_UNITS} clamav-daemon.service"))
    daemon = units.get("clamav-daemon")
    stamps = out(host, "sh -c 'stat -c %Y /var/lib/clamav/daily.c?d 2>/dev/null'")
    installed = daemon is not None and daemon.load == "loaded"
    value = MalwareAgent(
        product="ClamAV" if installed else None,
        service_active=installed and daemon is not None and daemon.active == "active",
        definitions_updated=pa.parse_epoch(stamps) if installed else None,
    )
    return Collected(value, "systemctl show clamav-daemon; stat /var/lib/clamav/daily.c?d", stamps)


def virtualisation(host: Host) -> Collected:
    command = "sh -c 'systemd-detect-virt --container; systemd-detect-virt --vm'"
    text = out(host, command)
    lines = [*text.split(), "none", "none"]
    value = Virtualisation(container=lines[0], vm=lines[1])
    return Collected(value, "systemd-detect-virt --container; systemd-detect-virt --vm", text)


COLLECTORS: dict[str, Callable[[Host], Collected]] = {
    "sshd_effective": sshd_effective,
    "nft_ruleset": nft_ruleset,
    "apt_security_updates": apt_security_updates,
    "unattended_upgrades": unattended_upgrades,
    "os_release": os_release,
    "timedatectl": timedatectl,
    "rsyslog_forwarding": rsyslog_forwarding,
    "systemd_units": systemd_units,
    "faillock": faillock,
    "pwquality": pwquality,
    "sudoers": sudoers,
    "passwd": passwd,
    "shadow": shadow,
    "privileged_groups": privileged_groups,
    "usb_storage": usb_storage,
    "world_writable_files": world_writable_files,
    "listening_sockets": listening_sockets,
    "issue_net": issue_net,
    "coredump": coredump,
    "ca_certificates": ca_certificates,
    "malware_agent": malware_agent,
    "virtualisation": virtualisation,
}
"""Linux fact name → collector. Explicit: the fact catalogue test checks they agree."""
