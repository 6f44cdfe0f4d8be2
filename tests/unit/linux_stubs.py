"""A Linux host made of stub programs: real processes, run by testinfra's ``local://`` backend.

A temporary folder holds one small shell script per program the collectors call (``sshd``,
``cat``, ``find``…), plus links to the real ``timeout``, ``od`` and ``tr`` (a batch's nonce
needs the last two); PATH points at that folder only, so a program that is not there is missing
for real. Each script answers a command line from
``responses/<program>/<key>/`` (stdout, stderr, status, or ``sleep``) and logs the call. The
healthy answers below are what a hardened Debian 12 host prints; tests then break one command
at a time: a non-zero exit, a missing or non-executable program, junk, empty or cut output, a
command that never ends.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from matops.facts.linux.collect_hardening import (
    AIDE_DB,
    AIDE_TIMER,
    DEBSUMS_DEFAULT,
    DOTFILES,
    HOMES,
    KERNEL_SYSCTLS,
    RESTRICTED_PATHS,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "linux"
UNITS = ("nftables", "auditd", "rsyslog", "systemd-timesyncd", "chrony", "clamav-daemon",
         "clamav-freshclam")  # fmt: skip
SHOW = ("systemctl", "show", "-p", "Id,LoadState,ActiveState,SubState,UnitFileState")
SHADOW = "root:!:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nhokafor:!:19700:0:99999:7:::\n"

Argv = tuple[str, ...]


@dataclass(frozen=True)
class Response:
    """What a stub prints and how it exits."""

    stdout: str = ""
    status: int = 0
    stderr: str = ""
    sleep: bool = False


def _fixture(name: str) -> Response:
    return Response((FIXTURES / name).read_text())


def _units(*names: str) -> str:
    def block(unit: str) -> str:
        loaded = "loaded" if unit != "clamav-freshclam" else "not-found"
        return (f"Id={unit}.service\nLoadState={loaded}\nActiveState=active\n"
                f"SubState=running\nUnitFileState=enabled\n")  # fmt: skip

    return "\n".join(block(unit) for unit in names)


def _cat(path: str) -> Argv:
    return ("cat", "--", path)


def _find_conf(main: str, folder: str) -> Argv:
    return ("find", main, folder, "-maxdepth", "1", "-type", "f", "-name", "*.conf")


PAM_PASSWORD = "password requisite pam_pwquality.so retry=3\npassword [success=1] pam_unix.so\n"
WORLD_WRITABLE = ("find", "/etc", "/usr", "/boot", "/bin", "/sbin", "/lib", "/opt", "-xdev",
                  "-type", "f", "-perm", "-0002", "-print")  # fmt: skip
CA = "/usr/local/share/ca-certificates/filter.crt"
DICT = "/var/cache/cracklib/cracklib_dict"
CRACKLIB = ("find", f"{DICT}.pwd", f"{DICT}.pwd.gz", f"{DICT}.pwi", "-maxdepth", "0", "-type", "f")
NF = "No such file or directory"
SYSCTLS = ("sysctl", *KERNEL_SYSCTLS)
STAT = ("stat", "-c", "%a %U %G %n", *RESTRICTED_PATHS)
RESTRICTED = "".join(
    f"{'600' if path in ('/etc/crontab', '/etc/ssh/sshd_config') else '700'} root root {path}\n"
    for path in RESTRICTED_PATHS
)
CVTSUDOERS = ("cvtsudoers", "-f", "json", "/etc/sudoers")
SUDO_JSON = (
    '{"Defaults": [{"Options": [{"env_reset": true}]}, {"Options": [{"use_pty": true}]},\n'
    ' {"Options": [{"logfile": "/var/log/sudo.log"}]}],\n "User_Specs": []}\n'
)
HARDENED_SYSCTLS = "".join(
    f"{key} = {value}\n"
    for key, value in zip(
        KERNEL_SYSCTLS, ("2", "1", "1", "2", "3", "0", "1", "2", "1", "1"), strict=True
    )
)
LOGIN_DEFS = "UMASK\t\t027\nENCRYPT_METHOD YESCRYPT\nYESCRYPT_COST_FACTOR 5\nPASS_MAX_DAYS\t365\n"
PROTOCOL_RULES = "".join(
    f"blacklist {name}\ninstall {name} /bin/false\n" for name in ("dccp", "sctp", "rds", "tipc")
)
IDLE = "/etc/profile.d/matops-idle-timeout.sh"
PROFILE_D = ("find", "/etc/profile.d", "-maxdepth", "1", "-type", "f", "-name", "*.sh")
AIDE_SHOW = (*SHOW, AIDE_TIMER)
AIDE_FIND = ("find", *AIDE_DB)
DEBSUMS = ("cat", "--", DEBSUMS_DEFAULT)
CLAMAV = ("find", "/var/lib/clamav", "-maxdepth", "1", "-type", "f", "-name", "daily.c?d",
          "-printf", "%T@\\n")  # fmt: skip

APT_SOURCES = ("find", "/etc/apt/sources.list", "/etc/apt/sources.list.d", "-maxdepth", "1",
               "-type", "f")  # fmt: skip
APT_MIRROR_SOURCES = "/etc/apt/sources.list.d/matops-mirror.sources"
APT_LISTS = ("find", "/var/lib/apt/lists", "-maxdepth", "1", "-type", "f", "-name", "*Release")
LIST_MAIN = "/var/lib/apt/lists/mirror_debian_dists_bookworm_InRelease"
LIST_SECURITY = "/var/lib/apt/lists/mirror_debian-security_dists_bookworm-security_InRelease"
LIST_UPDATES = "/var/lib/apt/lists/mirror_debian_dists_bookworm-updates_InRelease"
APT_RELEASES = ("grep", "-H", "-E", "^(Suite|Codename|Date|Valid-Until):", LIST_SECURITY,
                LIST_UPDATES, LIST_MAIN)  # fmt: skip
PACKAGE_LISTS = ("find", "/var/lib/apt/lists", "-maxdepth", "1", "-type", "f", "-name",
                 "*_Packages*")  # fmt: skip
SECURITY_LIST = (
    "/var/lib/apt/lists/mirror_debian-security_dists_bookworm-security_main_binary-amd64_Packages"
)
MAIN_LIST = "/var/lib/apt/lists/mirror_debian_dists_bookworm_main_binary-amd64_Packages"
DPKG_FORMAT = "${db:Status-Abbrev}\\t${Package}\\t${Architecture}\\t${Version}\\n"
DPKG_INSTALLED = ("dpkg-query", "-W", f"-f={DPKG_FORMAT}")
SECURITY_FIELDS = ("grep", "-E", "^(Package|Version|Architecture):", SECURITY_LIST)
APT_STAMP = ("find", "/var/lib/apt/periodic/update-success-stamp", "-maxdepth", "0", "-printf",
             "%T@\\n")  # fmt: skip

HEALTHY: dict[Argv, Response] = {
    ("sshd", "-T"): _fixture("sshd_T.txt"),
    _cat("/etc/profile"): Response("PATH=/usr/local/bin:/usr/bin:/bin\nexport PATH\n"),
    PROFILE_D: Response(IDLE + "\n"),
    _cat(IDLE): Response("TMOUT=600\nreadonly TMOUT\nexport TMOUT\n"),
    ("nft", "-j", "list", "ruleset"): _fixture("nft.json"),
    PACKAGE_LISTS: Response(f"{MAIN_LIST}\n{SECURITY_LIST}\n"),
    DPKG_INSTALLED: _fixture("dpkg-installed.txt"),
    SECURITY_FIELDS: _fixture("security-packages.txt"),
    ("dpkg-query", "-W", "-f=${Status}", "unattended-upgrades"): Response("install ok installed"),
    APT_SOURCES: Response(f"/etc/apt/sources.list\n{APT_MIRROR_SOURCES}\n"),
    _cat("/etc/apt/sources.list"): Response("# Managed by matops (role updates)\n"),
    _cat(APT_MIRROR_SOURCES): _fixture("matops-mirror.sources"),
    APT_LISTS: Response(f"{LIST_MAIN}\n{LIST_SECURITY}\n{LIST_UPDATES}\n"),
    APT_RELEASES: _fixture("apt-release-fields.txt"),
    APT_STAMP: Response("1796004840.0\n"),
    ("apt-config", "dump", "APT::Periodic"): _fixture("apt-periodic.txt"),
    _cat("/etc/os-release"): _fixture("os-release.txt"),
    ("timedatectl", "show"): _fixture("timedatectl.txt"),
    _find_conf("/etc/rsyslog.conf", "/etc/rsyslog.d"): Response("/etc/rsyslog.conf\n"),
    _cat("/etc/rsyslog.conf"): _fixture("rsyslog.conf.txt"),
    (*SHOW, *(f"{unit}.service" for unit in UNITS)): Response(_units(*UNITS)),
    _cat("/etc/pam.d/common-auth"): _fixture("common-auth.txt"),
    _cat("/etc/security/faillock.conf"): _fixture("faillock.conf.txt"),
    _cat("/etc/pam.d/common-password"): Response(PAM_PASSWORD),
    _cat("/etc/security/pwquality.conf"): Response("minlen = 14\n"),
    CRACKLIB: Response(
        f"{DICT}.pwd\n{DICT}.pwi\n", status=1, stderr=f"find: '{DICT}.pwd.gz': {NF}\n"
    ),
    _cat("/etc/sudoers"): Response("Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n"),
    ("find", "/etc/sudoers.d", "-maxdepth", "1", "-type", "f"): Response(
        "/etc/sudoers.d/README\n/etc/sudoers.d/matops-admins\n"
    ),
    _cat("/etc/sudoers.d/matops-admins"): Response("%sudo ALL=(ALL:ALL) ALL\n"),
    ("getent", "passwd"): _fixture("passwd.txt"),
    _cat("/etc/shadow"): Response(SHADOW),
    ("getent", "group", "sudo", "wheel", "admin"): Response(
        "sudo:x:27:hokafor,tbrennan\nadmin:x:115:\n", status=2
    ),
    ("modprobe", "-n", "-v", "usb-storage"): _fixture("modprobe-usb.txt"),
    ("modprobe", "--showconfig"): Response(
        "blacklist usb_storage\ninstall usb_storage /bin/false\n"
    ),
    ("lsmod",): Response("Module                  Size  Used by\nusbhid 65536 0\n"),
    WORLD_WRITABLE: Response(""),
    ("ss", "-H", "-l", "-n", "-t", "-u", "-p"): _fixture("ss.txt"),
    _cat("/etc/issue.net"): Response("Authorised use only.\n"),
    _find_conf("/etc/security/limits.conf", "/etc/security/limits.d"): Response(
        "/etc/security/limits.conf\n"
    ),
    _cat("/etc/security/limits.conf"): _fixture("limits.txt"),
    ("sysctl", "-n", "fs.suid_dumpable"): Response("0\n"),
    ("find", "/lib/systemd/systemd-coredump", "-maxdepth", "0"): Response(
        "/lib/systemd/systemd-coredump\n"
    ),
    _cat("/etc/systemd/coredump.conf"): Response("[Coredump]\nStorage=none\n"),
    ("find", "/usr/local/share/ca-certificates", "-type", "f", "-name", "*.crt"): Response(
        CA + "\n"
    ),
    ("openssl", "x509", "-noout", "-subject", "-fingerprint", "-sha256", "-in", CA): _fixture(
        "x509.txt"
    ),
    (*SHOW, "clamav-daemon.service"): Response(_units("clamav-daemon")),
    CLAMAV: Response("1764500000.5\n"),
    ("systemd-detect-virt", "--container"): Response("none\n", status=1),
    ("systemd-detect-virt", "--vm"): Response("kvm\n"),
    _cat("/etc/login.defs"): Response(LOGIN_DEFS),
    SYSCTLS: Response(HARDENED_SYSCTLS),
    STAT: Response(RESTRICTED),
    CVTSUDOERS: Response(SUDO_JSON),
    ("find", *HOMES): Response("750 /home/hokafor\n700 /home/breakglass\n"),
    ("find", *DOTFILES): Response(""),
    ("modprobe", "-c"): Response(
        "alias net-pf-10 ipv6\n" + PROTOCOL_RULES + "options loop max_loop=8\n"
    ),
    AIDE_SHOW: Response(
        f"Id={AIDE_TIMER}\nLoadState=loaded\nActiveState=active\nSubState=waiting\n"
        "UnitFileState=enabled\n"
    ),
    AIDE_FIND: Response("1764900000.5\n"),
    DEBSUMS: Response("# Defaults for debsums cron jobs\nCRON_CHECK=weekly\n"),
}
"""Every command line the Linux collectors run, with a healthy host's answer."""

NOT_FOUND = "No such file or directory"


def key(args: tuple[str, ...]) -> str:
    """The response folder name for a command line's arguments (as the stub computes it)."""
    return "_" + re.sub(r"[^A-Za-z0-9._=-]", "_", " ".join(args))


class StubHost:
    """The folder of stub programs, its responses and its call log."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / "bin"
        self.responses = root / "responses"
        self.log = root / "calls.log"
        self.bin.mkdir(parents=True)
        timeout = shutil.which("timeout")
        assert timeout is not None, "coreutils timeout is needed"
        (self.bin / "timeout").symlink_to(timeout)
        for helper in ("od", "tr"):  # what a batch makes its nonce with
            found = shutil.which(helper)
            assert found is not None, f"coreutils {helper} is needed"
            (self.bin / helper).symlink_to(found)
        for argv, response in HEALTHY.items():
            self.respond(argv, response)

    def _script(self) -> str:
        tr = shutil.which("tr") or "/usr/bin/tr"
        return f"""#!/bin/sh
prog=${{0##*/}}
key=_$(printf '%s' "$*" | {tr} -c 'A-Za-z0-9._=-' '_')
printf '%s\\n' "$prog $*" >> {self.log}
r="{self.responses}/$prog/$key"
if [ ! -d "$r" ]; then echo "stub: no response for: $prog $*" >&2; exit 99; fi
if [ -f "$r/sleep" ]; then exec /bin/sleep 30; fi
/bin/cat "$r/stdout"
/bin/cat "$r/stderr" >&2
exit $(/bin/cat "$r/status")
"""

    def respond(self, argv: Argv, response: Response) -> None:
        """Make ``argv`` answer with ``response`` (installing the program's stub if needed)."""
        program = self.bin / argv[0]
        if not program.exists():
            program.write_text(self._script())
            program.chmod(0o755)
        folder = self.responses / argv[0] / key(argv[1:])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "stdout").write_text(response.stdout)
        (folder / "stderr").write_text(response.stderr)
        (folder / "status").write_text(str(response.status))
        (folder / "sleep").unlink(missing_ok=True)
        if response.sleep:
            (folder / "sleep").write_text("30")

    def calls(self) -> list[str]:
        """Every command line run so far, in order."""
        return [ln.strip() for ln in self.log.read_text().splitlines()] if self.log.exists() else []
