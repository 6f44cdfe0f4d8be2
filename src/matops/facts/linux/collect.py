"""Read-only Linux fact collectors over a testinfra host, under the collector contract.

Each collector runs fixed, read-only commands through :class:`~matops.facts.linux.shell.Shell`
and hands the output to a pure parser in :mod:`matops.facts.linux.parse` or
:mod:`matops.facts.linux.parse_accounts`. A collector either returns what it observed or raises:
:class:`~matops.facts.model.FactError` when a command did not answer (with the command, exit
status and first line of stderr), :class:`~matops.facts.linux.parse.UnparseableError` when the
output is not what the command prints. Which non-zero exits are answers is decided per command
below, beside the command. Nothing here changes the target.

A collector asks every question that does not depend on an earlier answer before it judges any
answer: the provider gathers facts in batches (:mod:`matops.facts.linux.batch`), and a question
asked only after a judgement costs the host another round trip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from matops.facts.linux import collect_hardening as ch
from matops.facts.linux import parse as p
from matops.facts.linux import parse_accounts as pa
from matops.facts.linux import parse_apt as papt
from matops.facts.linux import parse_sessions as ps
from matops.facts.linux.model import (
    AptState,
    MalwareAgent,
    NftRuleset,
    UnattendedUpgrades,
    Virtualisation,
)
from matops.facts.linux.parse import UnparseableError
from matops.facts.linux.shell import EMPTY, Host, Ran, Shell

__all__ = ["COLLECTORS", "Collected", "Host", "Shell"]

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


def sshd_effective(sh: Shell) -> Collected:
    text = sh.run("sshd -T").stdout
    return Collected(p.parse_sshd_t(text), "sshd -T", text)


def shell_timeout(sh: Shell) -> Collected:
    """/etc/profile, then /etc/profile.d/*.sh in name order, as a login shell reads them.
    Either may be missing: that is an answer (nothing there sets TMOUT)."""
    profile = sh.read("/etc/profile", missing_ok=True)
    found = sh.find("/etc/profile.d", "-maxdepth", "1", "-type", "f", "-name", "*.sh")
    files = [("/etc/profile", profile)] if profile is not None else []
    files += [(path, sh.read(path) or "") for path in sorted(found)]
    raw = "\n".join(f"# {path}\n{text}" for path, text in files)
    return Collected(ps.parse_tmout(files), "/etc/profile /etc/profile.d/*.sh", raw)


def nft_ruleset(sh: Shell) -> Collected:
    """``nft -j``: a JSON object whose ``nftables`` array starts with nft's ``metainfo``."""
    text = sh.run("nft -j list ruleset").stdout
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UnparseableError(f"nft -j list ruleset: not JSON ({exc})") from exc
    items = data.get("nftables") if isinstance(data, dict) else None
    if not isinstance(items, list) or not any("metainfo" in item for item in items):
        raise UnparseableError("nft -j list ruleset: no 'nftables' array with nft's metainfo")
    return Collected(NftRuleset(nftables=items), "nft -j list ruleset", text)


APT_SOURCES = ("/etc/apt/sources.list", "/etc/apt/sources.list.d")
APT_LISTS = "/var/lib/apt/lists"
APT_STAMP = "/var/lib/apt/periodic/update-success-stamp"
APT_HELPER = "/usr/lib/apt/apt-helper"
DPKG_INSTALLED = "${db:Status-Abbrev}\\t${Package}\\t${Architecture}\\t${Version}\\n"


def apt_security_updates(sh: Shell) -> Collected:
    """Security updates pending, from apt's own state without building its cache: dpkg's
    record of what is installed against the security suites' package lists apt keeps (a list
    kept compressed is read through apt's own ``apt-helper cat-file``). apt keeps no list for
    an empty index, so a security suite with no list offers nothing, as apt itself reads it;
    a suite never fetched is the ``apt_state`` fact's to report."""
    found = sh.find(APT_LISTS, "-maxdepth", "1", "-type", "f", "-name", "*_Packages*")
    lists = sorted((path, archive) for path in found if (archive := papt.security_archive(path)))
    installed = sh.run("dpkg-query -W -f=%s", DPKG_INSTALLED).stdout
    texts, offered = [], []
    for path, archive in lists:
        if path.endswith("_Packages"):
            text = sh.run("grep -E %s %s", papt.PACKAGE_FIELDS, path).stdout
        else:
            text = sh.run(f"{APT_HELPER} cat-file %s", path).stdout
        texts.append(f"# {path}\n{text}")
        offered.append((archive, papt.parse_package_list(text, path)))
    pending = papt.pending_security(papt.parse_installed(installed), offered)
    shown = [f"# {path}" for path, _ in lists] or ["# no security package list"]
    shown += [f"{u.package} {u.version} ({u.archive})" for u in pending]
    source = f"dpkg-query -W; {APT_LISTS}/*-security*_Packages"
    return Collected(pending, source, installed + "".join(texts), excerpt="\n".join(shown))


def unattended_upgrades(sh: Shell) -> Collected:
    """dpkg-query exits 1 for a package it has never heard of: an answer (not installed)."""
    query = sh.run(
        "dpkg-query -W -f=%s unattended-upgrades",
        "${Status}",
        ok_if={1: "no packages found"},
        whole_lines=False,  # the format has no newline
    )
    periodic = sh.run("apt-config dump APT::Periodic").stdout  # '' when nothing is set
    status = query.stdout.strip() if query.status == 0 else "not-installed"
    if query.status == 0 and not re.fullmatch(r"\S+ \S+ \S+", status):
        raise UnparseableError(f"dpkg-query: not a package status: {status[:60]!r}")
    value = UnattendedUpgrades(
        installed=status == "install ok installed", periodic=p.parse_apt_periodic(periodic)
    )
    return Collected(
        value, "dpkg-query unattended-upgrades; apt-config dump", f"{status}\n{periodic}"
    )


def apt_state(sh: Shell) -> Collected:
    """APT's sources (``sources.list``, ``*.list``, ``*.sources``), the Release files it
    fetched and its success stamp. No sources, no lists and no stamp are answers (nothing
    configured, nothing fetched, never refreshed)."""
    found = sh.find(*APT_SOURCES, "-maxdepth", "1", "-type", "f")
    paths = sorted(f for f in found if f == APT_SOURCES[0] or f.endswith((".list", ".sources")))
    texts = [(path, sh.read(path) or "") for path in paths]
    lists = sorted(sh.find(APT_LISTS, "-maxdepth", "1", "-type", "f", "-name", "*Release"))
    fields = ""
    if lists:  # grep exits 1 when no file has such a line: the parser then refuses every file
        grep = "grep -H -E %s" + " %s" * len(lists)
        fields = sh.run(grep, papt.RELEASE_FIELDS, *lists, ok_if={1: EMPTY}).stdout
    printf = ("-maxdepth", "0", "-printf", "%T@\\n")
    stamp = "\n".join(sh.find(APT_STAMP, *printf, paths=False))
    value = AptState(
        sources=papt.parse_sources(texts),
        releases=papt.parse_release_fields(fields, lists),
        last_update_success=papt.parse_stamp(stamp),
    )
    raw = "".join(f"# {path}\n{text}\n" for path, text in texts)
    raw += f"# {APT_LISTS}/*Release\n{fields}\n# {APT_STAMP}\n{stamp}\n"
    return Collected(value, f"{' '.join(APT_SOURCES)}; {APT_LISTS}/*Release; {APT_STAMP}", raw)


def os_release(sh: Shell) -> Collected:
    text = sh.read("/etc/os-release") or ""
    values = p.require_keys(p.parse_key_values(text), ("ID", "VERSION_ID"), "/etc/os-release")
    return Collected(values, "/etc/os-release", text)


def timedatectl(sh: Shell) -> Collected:
    text = sh.run("timedatectl show").stdout
    values = p.require_keys(
        p.parse_key_values(text), ("NTP", "NTPSynchronized", "Timezone"), "timedatectl show"
    )
    return Collected(values, "timedatectl show", text)


def _config_files(sh: Shell, main: str, folder: str) -> tuple[list[str], str]:
    """A main config file and ``folder/*.conf`` (either may be missing): paths and text."""
    found = sh.find(main, folder, "-maxdepth", "1", "-type", "f", "-name", "*.conf")
    paths = [main] if main in found else []
    paths += sorted(path for path in found if path != main)
    return paths, sh.read_all(paths)


def rsyslog_forwarding(sh: Shell) -> Collected:
    """No rsyslog configuration at all is an answer: nothing is forwarded."""
    _, text = _config_files(sh, "/etc/rsyslog.conf", "/etc/rsyslog.d")
    return Collected(p.parse_rsyslog(text), "/etc/rsyslog.conf /etc/rsyslog.d/*.conf", text)


def systemd_units(sh: Shell) -> Collected:
    names = [f"{unit}.service" for unit in UNITS]
    text = sh.run(f"{SHOW_UNITS} {' '.join(names)}").stdout
    units = p.parse_systemctl_show(text, UNITS)
    return Collected(units, "systemctl show " + " ".join(names), text)


def _pam(sh: Shell, pam_files: tuple[str, ...], conf: str, module: str) -> Collected:
    """A PAM file or module config that does not exist is an answer: the module is not used."""
    pam_text = "\n".join(sh.read(path, missing_ok=True) or "" for path in pam_files)
    conf_text = sh.read(conf, missing_ok=True) or ""
    value = p.parse_pam_module(pam_text, conf_text, module)
    return Collected(value, " ".join((*pam_files, conf)), f"{pam_text}\n{conf_text}")


def faillock(sh: Shell) -> Collected:
    """pam_faillock locks in the auth stack (preauth/authfail); the account stack only resets."""
    files = ("/etc/pam.d/common-auth",)
    return _pam(sh, files, "/etc/security/faillock.conf", "pam_faillock.so")


CRACKLIB_DICT = "/var/cache/cracklib/cracklib_dict"
"""Where Debian's cracklib looks when pwquality names no ``dictpath`` (update-cracklib's output)."""


def pwquality(sh: Shell) -> Collected:
    """With ``dictcheck`` on (pwquality's default), the dictionary's files are looked for: when
    they are missing, pam_pwquality cannot load it and refuses every new password."""
    files = ("/etc/pam.d/common-password",)
    found = _pam(sh, files, "/etc/security/pwquality.conf", "pam_pwquality.so")
    if found.value.settings.get("dictcheck", "1").strip() == "0":
        return found
    path = found.value.settings.get("dictpath") or CRACKLIB_DICT
    wanted = [f"{path}.pwd", f"{path}.pwd.gz", f"{path}.pwi"]
    present = sh.find(*wanted, "-maxdepth", "0", "-type", "f")
    unexpected = [line for line in present if line not in wanted]
    if unexpected:
        raise UnparseableError(f"find: not one of the dictionary files: {unexpected[0][:60]!r}")
    whole = f"{path}.pwi" in present and bool({f"{path}.pwd", f"{path}.pwd.gz"} & set(present))
    value = found.value.model_copy(update={"dictionary": path, "dictionary_found": whole})
    listed = "\n".join(present)
    return Collected(
        value, f"{found.source}; find {path}.pwd/.pwi", f"{found.raw}\n# dictionary\n{listed}"
    )


def sudoers(sh: Shell) -> Collected:
    """/etc/sudoers may be absent (sudo not installed: no rules); present, it is never empty."""
    main = sh.read("/etc/sudoers", missing_ok=True)
    found = sh.find("/etc/sudoers.d", "-maxdepth", "1", "-type", "f")
    if main is not None and not main.strip():
        raise UnparseableError("/etc/sudoers is empty (a real one has at least its defaults)")
    paths = sorted(path for path in found if not path.endswith(("~", "README")) and "." not in
                   path.rsplit("/", 1)[-1])  # fmt: skip
    texts = {"/etc/sudoers": main} if main is not None else {}
    texts.update({path: sh.read(path) or "" for path in paths})
    rules = [rule for path, text in texts.items() for rule in pa.parse_sudoers(text, path)]
    raw = "\n".join(f"# {path}\n{text}" for path, text in texts.items())
    return Collected(rules, "/etc/sudoers /etc/sudoers.d/*", raw)


def passwd(sh: Shell) -> Collected:
    text = sh.run("getent passwd").stdout
    return Collected(pa.parse_passwd(text), "getent passwd", text)


def shadow(sh: Shell) -> Collected:
    text = sh.read("/etc/shadow") or ""
    entries = pa.parse_shadow(text)
    safe = "\n".join(f"{e.name}: {e.password}" for e in entries)
    return Collected(entries, "/etc/shadow (password states only)", text, excerpt=safe)


PRIVILEGED_GROUPS = ("sudo", "wheel", "admin")


def privileged_groups(sh: Shell) -> Collected:
    """getent exits 2 when one of the groups does not exist (Debian has no wheel): an answer."""
    ran = sh.run("getent group " + " ".join(PRIVILEGED_GROUPS), ok_if={2: EMPTY})
    groups = pa.parse_groups(ran.stdout, PRIVILEGED_GROUPS)
    if ran.status == 0 and len(groups) != len(PRIVILEGED_GROUPS):
        raise UnparseableError("getent group: exit 0 but not every group printed (cut short?)")
    return Collected(groups, "getent group " + " ".join(PRIVILEGED_GROUPS), ran.stdout)


def usb_storage(sh: Shell) -> Collected:
    """``modprobe -n -v`` exits 1 when no usb-storage module exists (a container's kernel has
    no /lib/modules here): an answer, and the install rule is then read from the config."""
    dry = sh.run("modprobe -n -v usb-storage", ok_if={1: r"Module usb.storage not found"})
    modprobe = dry.stdout if dry.status == 0 else ""
    showconfig = sh.run("modprobe --showconfig").stdout
    config = "\n".join(line for line in showconfig.splitlines() if "usb_storage" in line)
    # A kernel built without loadable modules has no /proc/modules: lsmod exits 1 saying so,
    # and no module can be loaded (the lab's containers on a microVM kernel are like this).
    listed = sh.run("lsmod", ok_if={1: r"/proc/modules: No such file or directory"})
    lsmod = listed.stdout if listed.status == 0 else None
    value = pa.parse_usb_storage(modprobe, showconfig, lsmod)
    return Collected(
        value,
        "modprobe -n -v usb-storage; modprobe --showconfig; lsmod",
        f"{modprobe}\n{config}\n{lsmod if lsmod is not None else listed.stderr}",
    )


def world_writable_files(sh: Shell) -> Collected:
    args = (*SYSTEM_PATHS.split(), "-xdev", "-type", "f", "-perm", "-0002", "-print")
    paths = sh.find(*args)
    return Collected(sorted(paths), "find " + " ".join(args), "\n".join(paths))


def listening_sockets(sh: Shell) -> Collected:
    text = sh.run("ss -H -l -n -t -u -p").stdout
    return Collected(pa.parse_ss(text), "ss -H -l -n -t -u -p", text)


def issue_net(sh: Shell) -> Collected:
    """/etc/issue.net absent is an answer: no pre-login banner file."""
    text = sh.read("/etc/issue.net", missing_ok=True) or ""
    return Collected(text, "/etc/issue.net", text)


def coredump(sh: Shell) -> Collected:
    _, limits = _config_files(sh, "/etc/security/limits.conf", "/etc/security/limits.d")
    suid = sh.run("sysctl -n fs.suid_dumpable").stdout
    installed = bool(sh.find("/lib/systemd/systemd-coredump", "-maxdepth", "0"))
    conf = (sh.read("/etc/systemd/coredump.conf", missing_ok=True) or "") if installed else None
    value = pa.parse_coredump(limits, suid, conf)
    return Collected(
        value,
        "limits.conf; sysctl fs.suid_dumpable; coredump.conf",
        f"{limits}\n{suid}\n{conf or ''}",
    )


def ca_certificates(sh: Shell) -> Collected:
    """No /usr/local/share/ca-certificates folder is an answer: no locally added CA."""
    folder = "/usr/local/share/ca-certificates"
    paths = sorted(sh.find(folder, "-type", "f", "-name", "*.crt"))
    openssl = "openssl x509 -noout -subject -fingerprint -sha256 -in %s"
    certs = [pa.parse_x509(path, sh.run(openssl, path).stdout) for path in paths]
    raw = "\n".join(f"{c.path} {c.subject} {c.sha256}" for c in certs)
    return Collected(certs, f"{folder}/*.crt", raw)


def malware_agent(sh: Shell) -> Collected:
    text = sh.run(f"{SHOW_UNITS} clamav-daemon.service").stdout
    daemon = p.parse_systemctl_show(text, ("clamav-daemon",))["clamav-daemon"]
    installed = daemon.load == "loaded"
    stamps = ""
    if installed:  # no definitions file yet is an answer: never updated
        args = ("-maxdepth", "1", "-type", "f", "-name", "daily.c?d", "-printf", "%T@\\n")
        stamps = "\n".join(sh.find("/var/lib/clamav", *args, paths=False))
    value = MalwareAgent(
        product="ClamAV" if installed else None,
        service_active=installed and daemon.active == "active",
        definitions_updated=pa.parse_epoch(stamps) if installed else None,
    )
    return Collected(value, "systemctl show clamav-daemon; find /var/lib/clamav/daily.c?d", stamps)


VIRTUALISATIONS = frozenset(
    ("none", "kvm", "amazon", "qemu", "bochs", "xen", "uml", "vmware", "oracle", "microsoft",
     "zvm", "parallels", "bhyve", "qnx", "acrn", "powervm", "apple", "sre", "google", "openvz",
     "lxc", "lxc-libvirt", "systemd-nspawn", "docker", "podman", "rkt", "wsl", "proot", "pouch")
)  # fmt: skip
"""What systemd-detect-virt prints (systemd 252-256). Anything else is refused, not guessed."""


def _detect_virt(ran: Ran, kind: str) -> str:
    """systemd-detect-virt exits 1 when it prints ``none``: an answer."""
    found = ran.stdout.strip()
    if found not in VIRTUALISATIONS or (ran.status == 1) != (found == "none"):
        raise UnparseableError(f"systemd-detect-virt --{kind}: unexpected {found[:40]!r}")
    return found


def virtualisation(sh: Shell) -> Collected:
    """Both questions are asked before either answer is judged (one round trip, batched)."""
    ran = {k: sh.run(f"systemd-detect-virt --{k}", ok_if={1: EMPTY}) for k in ("container", "vm")}
    value = Virtualisation(**{k: _detect_virt(r, k) for k, r in ran.items()})
    text = f"{value.container}\n{value.vm}"
    return Collected(value, "systemd-detect-virt --container; systemd-detect-virt --vm", text)


COLLECTORS: dict[str, Callable[[Shell], Collected]] = {
    "sshd_effective": sshd_effective,
    "shell_timeout": shell_timeout,
    "nft_ruleset": nft_ruleset,
    "apt_security_updates": apt_security_updates,
    "unattended_upgrades": unattended_upgrades,
    "apt_state": apt_state,
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
    "login_defs": ch.login_defs,
    "modprobe_rules": ch.modprobe_rules,
    "kernel_sysctls": ch.kernel_sysctls,
    "restricted_paths": ch.restricted_paths,
    "sudo_defaults": ch.sudo_defaults,
    "home_directories": ch.home_directories,
    "file_integrity": ch.file_integrity,
}
"""Linux fact name → collector. Explicit: the fact catalogue test checks they agree."""
