"""Collectors for the hardening facts (login.defs, modprobe rules), under the collector contract.

Kept beside :mod:`matops.facts.linux.collect`, which lists them in ``COLLECTORS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matops.facts.linux import parse_hardening as ph
from matops.facts.linux.model import FileIntegrity
from matops.facts.linux.parse import parse_systemctl_show
from matops.facts.linux.parse_accounts import parse_epoch

if TYPE_CHECKING:
    from matops.facts.linux.collect import Collected
    from matops.facts.linux.shell import Shell


def _collected(value: object, source: str, raw: str, excerpt: str | None = None) -> Collected:
    from matops.facts.linux.collect import Collected  # collect imports this module

    return Collected(value, source, raw, excerpt)


def login_defs(sh: Shell) -> Collected:
    """/etc/login.defs belongs to the essential ``login`` package: missing is an error."""
    text = sh.read("/etc/login.defs") or ""
    return _collected(ph.parse_login_defs(text), "/etc/login.defs", text)


def modprobe_rules(sh: Shell) -> Collected:
    """The whole configuration modprobe uses (``-c``, i.e. ``--showconfig``); only install and
    blacklist lines are kept as evidence."""
    text = sh.run("modprobe -c").stdout
    rules = ph.parse_modprobe_rules(text)
    kept = "\n".join(ln for ln in text.splitlines() if ln.startswith(("install ", "blacklist ")))
    return _collected(rules, "modprobe -c", text, excerpt=kept)


KERNEL_SYSCTLS = (
    "kernel.kptr_restrict", "kernel.dmesg_restrict", "kernel.unprivileged_bpf_disabled",
    "net.core.bpf_jit_harden", "kernel.perf_event_paranoid", "dev.tty.ldisc_autoload",
    "kernel.yama.ptrace_scope", "kernel.randomize_va_space", "fs.protected_hardlinks",
    "fs.protected_symlinks",
)  # fmt: skip
"""The kernel's hardening switches the checks judge (read-only: ``sysctl KEY…`` reads)."""


def kernel_sysctls(sh: Shell) -> Collected:
    """sysctl exits 1 naming each key the kernel lacks (no Yama, no BPF): an answer (None)."""
    ran = sh.run("sysctl " + " ".join(KERNEL_SYSCTLS), absent_ok=True)
    values = ph.parse_sysctls(ran.stdout, KERNEL_SYSCTLS, ran.stderr)
    return _collected(values, "sysctl " + " ".join(KERNEL_SYSCTLS), f"{ran.stdout}{ran.stderr}")


RESTRICTED_PATHS = (
    "/etc/crontab", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly",
    "/etc/cron.monthly", "/etc/ssh/sshd_config",
)  # fmt: skip
"""Files and folders that only root should read: what runs as root, and sshd's settings."""


def restricted_paths(sh: Shell) -> Collected:
    """stat exits 1 naming each path that does not exist (cron not installed): an answer."""
    ran = sh.run("stat -c %s " + " ".join(RESTRICTED_PATHS), "%a %U %G %n", absent_ok=True)
    modes = ph.parse_stat(ran.stdout, RESTRICTED_PATHS, ran.stderr)
    return _collected(modes, "stat " + " ".join(RESTRICTED_PATHS), f"{ran.stdout}{ran.stderr}")


def sudo_defaults(sh: Shell) -> Collected:
    """sudo's own converter reads /etc/sudoers and every file it includes, as sudo does."""
    text = sh.run("cvtsudoers -f json /etc/sudoers").stdout
    return _collected(ph.parse_sudo_defaults(text), "cvtsudoers -f json /etc/sudoers", text)


HOMES = ("/home", "-mindepth", "1", "-maxdepth", "1", "-type", "d", "-printf", "%m %p\\n")
DOTFILES = ("/home", "-mindepth", "2", "-maxdepth", "2", "-type", "f", "-name", ".*", "-perm",
            "/022")  # fmt: skip


def home_directories(sh: Shell) -> Collected:
    """No /home at all is an answer: no home folder there to judge."""
    homes = "\n".join(sh.find(*HOMES, paths=False))
    dotfiles = sh.find(*DOTFILES)
    value = ph.parse_homes(homes, dotfiles)
    return _collected(value, "find /home (modes; dotfiles writable by others)", homes)


AIDE_TIMER = "dailyaidecheck.timer"
AIDE_DB = ("/var/lib/aide", "-maxdepth", "1", "-type", "f", "-name", "aide.db", "-printf", "%T@\\n")
DEBSUMS_DEFAULT = "/etc/default/debsums"


def file_integrity(sh: Shell) -> Collected:
    """AIDE's daily timer (systemd prints ``LoadState=not-found`` without aide-common: an
    answer), when its database was written (no /var/lib/aide or no aide.db: never
    initialised) and debsums' schedule (no file: debsums is not installed)."""
    from matops.facts.linux.collect import SHOW_UNITS  # collect imports this module

    shown = sh.run(f"{SHOW_UNITS} {AIDE_TIMER}").stdout
    stamps = "\n".join(sh.find(*AIDE_DB, paths=False))
    debsums = sh.read(DEBSUMS_DEFAULT, missing_ok=True)
    timer = parse_systemctl_show(shown, (AIDE_TIMER,))[AIDE_TIMER]
    value = FileIntegrity(
        aide_timer=timer,
        aide_database=parse_epoch(stamps),
        debsums_cron=ph.parse_debsums_default(debsums),
    )
    raw = f"{shown}\n{stamps}\n{debsums or ''}"
    return _collected(value, f"systemctl show {AIDE_TIMER}; find aide.db; {DEBSUMS_DEFAULT}", raw)
