"""The host checks of matops' catalogue as plain pytest-testinfra tests, one test per assertion.

This is the alternative ``benchmarks/scan.py`` measures a live scan against: the way a team
would write these checks without a fact layer, each test asking the host for what it needs.
Every host check (``checks/host/``) has at least one test here, and each test's docstring
starts with the ID of the check it stands for (``<check_id>: what it asserts``);
``tests/unit/test_testinfra_equivalent.py`` fails when a host check has none.
Run (as the benchmark does)::

    pytest benchmarks/testinfra_equivalent.py --hosts=ssh://riv-mon01 \\
        --ssh-config=/var/lib/matops/lab/ssh_config --sudo -p no:cacheprovider

Failures are expected on an un-hardened host; only time and command counts matter here. When
``MATOPS_BENCH_COUNT`` names a file, the number of commands each host ran is appended to it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

TRUST_SYSLOG = "198.18.20.10"
WEAK = {  # as ssh_strong_algorithms judges each algorithm sshd offers
    "ciphers": re.compile(r"cbc|3des|arcfour|blowfish|cast128"),
    "macs": re.compile(r"md5|^hmac-sha1|umac-64|ripemd"),
    "kexalgorithms": re.compile(r"sha1$|group1-|group14-sha1|gss-"),
}
ADMINS = {"breakglass", "hokafor", "tbrennan"}
ALLOWED_PROCESSES = {"sshd", "chronyd", "rsyslogd", "systemd-resolve"}
SYSLOG_SERVERS = {TRUST_SYSLOG}  # the trust's syslog services
MAX_LIST_AGE_DAYS = 2  # the trust's apt_mirror.max_list_age_days
APT_LISTS = "/var/lib/apt/lists"
REFUSING = ("/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true")
RESTRICTED = ["/etc/crontab", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily",
              "/etc/cron.weekly", "/etc/cron.monthly", "/etc/ssh/sshd_config"]  # fmt: skip
KERNEL_SYSCTLS = {
    "kernel.kptr_restrict": ("1", "2"),
    "kernel.dmesg_restrict": ("1",),
    "kernel.unprivileged_bpf_disabled": ("1", "2"),
    "net.core.bpf_jit_harden": ("2",),
    "kernel.perf_event_paranoid": ("2", "3"),
    "dev.tty.ldisc_autoload": ("0",),
    "kernel.yama.ptrace_scope": ("1", "2", "3"),
    "kernel.randomize_va_space": ("2",),
    "fs.protected_hardlinks": ("1",),
    "fs.protected_symlinks": ("1",),
}
COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _count(host: Any) -> Iterator[None]:
    """Count the commands sent to each host (module-scoped and autouse, so it is in place
    before any other per-host fixture asks the host something)."""
    backend = host.backend
    if not getattr(backend, "_counted", False):
        original = backend.run

        def run(command: str, *args: str, **kwargs: Any) -> Any:
            COUNTS[backend.hostname] += 1
            return original(command, *args, **kwargs)

        backend.run = run
        backend._counted = True
    yield


@pytest.fixture(scope="session", autouse=True)
def _write_counts() -> Iterator[None]:
    """At the end of the run, append ``<host> <commands>`` lines to $MATOPS_BENCH_COUNT."""
    yield
    path = os.environ.get("MATOPS_BENCH_COUNT")
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            for name, count in COUNTS.items():
                handle.write(f"{name} {count}\n")


def sshd(host: Any, key: str) -> str:
    for line in host.run("sshd -T").stdout.splitlines():
        if line.startswith(key + " "):
            return str(line.split(" ", 1)[1])
    return ""


def in_container(host: Any) -> bool:
    return str(host.run("systemd-detect-virt --container").stdout.strip()) not in ("", "none")


@pytest.fixture(scope="module")
def container(host: Any) -> bool:
    """Whether the host is a container, asked once per host for the parametrized tests."""
    return in_container(host)


def login_defs(host: Any) -> dict[str, str]:
    """/etc/login.defs as KEY -> value (the last setting wins)."""
    text = host.file("/etc/login.defs").content_string
    return {k: v.strip('"') for k, v in re.findall(r"^\s*([A-Z][A-Z0-9_]*)\s+(\S+)", text, re.M)}


def apt_suites(host: Any) -> list[tuple[str, str]]:
    """(suite, base URI) of every enabled ``deb`` source, as apt reads its sources."""
    fields = "$(TARGET_OF) $(RELEASE) $(BASE_URI)"
    found = host.run("apt-get indextargets --no-release-info --format %s", fields).stdout
    rows = [line.split() for line in found.splitlines()]
    return sorted({(row[1], row[2]) for row in rows if len(row) == 3 and row[0] == "deb"})


def release_files(base_uri: str) -> set[str]:
    """The names apt gives a suite's Release file in /var/lib/apt/lists."""
    name = base_uri.split("://", 1)[-1].split("@", 1)[-1].replace("/", "_")
    return {f"{name}InRelease", f"{name}Release"}


def install_rule(host: Any, module: str) -> str:
    """What modprobe runs instead of loading ``module`` (its last install rule); '' if none."""
    rules = re.findall(r"^install (\S+) (\S+)", host.run("modprobe -c").stdout, re.M)
    return next((cmd for name, cmd in reversed(rules) if name.replace("-", "_") == module), "")


def sudo_defaults(host: Any) -> dict[str, str]:
    """sudoers' global Defaults in the order sudo reads them (a later one wins): a flag is
    "true" or "false" (negated), any other option its value."""
    text = host.run("sh -c 'cat /etc/sudoers /etc/sudoers.d/*'").stdout
    found = {}
    for options in re.findall(r"^\s*Defaults\s+([^#\n]+)", text, re.M):
        for negated, key, value in re.findall(r'(!?)\s*(\w+)\s*(?:[+-]?=\s*("[^"]*"|[^,\s]+))?',
                                              options):  # fmt: skip
            found[key] = "false" if negated else value.strip('"') if value else "true"
    return found


def test_ssh_root_login_disabled(host: Any) -> None:
    """ssh_root_login_disabled: sshd refuses root logins."""
    assert sshd(host, "permitrootlogin") == "no"


def test_ssh_password_authentication_disabled(host: Any) -> None:
    """ssh_password_authentication_disabled: no password logins."""
    assert sshd(host, "passwordauthentication") == "no"


def test_ssh_keyboard_interactive_disabled(host: Any) -> None:
    """ssh_password_authentication_disabled: no keyboard-interactive logins."""
    assert sshd(host, "kbdinteractiveauthentication") == "no"


@pytest.mark.parametrize("key", ["ciphers", "macs", "kexalgorithms"])
def test_ssh_strong_algorithms(host: Any, key: str) -> None:
    """ssh_strong_algorithms: no weak cipher, MAC or key exchange."""
    offered = sshd(host, key).split(",")
    assert offered != [""] and not [name for name in offered if WEAK[key].search(name)]


def test_ssh_idle_channel_timeout(host: Any) -> None:
    """ssh_idle_timeout: sshd closes idle sessions within 15 minutes."""
    found = re.search(r"(?:^| )session:\*=(\d+)s?(?: |$)", sshd(host, "channeltimeout"))
    assert found and 0 < int(found[1]) <= 900


def test_ssh_idle_shell_timeout(host: Any) -> None:
    """ssh_idle_timeout: login shells time out within 15 minutes (read-only)."""
    text = host.run("sh -c 'cat /etc/profile /etc/profile.d/*.sh'").stdout
    found = re.search(r"^TMOUT=(\d+)$", text, re.M)
    assert found and 0 < int(found[1]) <= 900 and re.search(r"^readonly TMOUT$", text, re.M)


def test_ssh_max_auth_tries(host: Any) -> None:
    """ssh_max_auth_tries: at most 4 attempts per connection."""
    assert int(sshd(host, "maxauthtries") or 6) <= 4


def test_ssh_banner_configured(host: Any) -> None:
    """ssh_login_banner: sshd shows a banner."""
    assert sshd(host, "banner") not in ("", "none")


def test_issue_net_has_text(host: Any) -> None:
    """ssh_login_banner: /etc/issue.net carries the warning."""
    assert "authorised" in host.file("/etc/issue.net").content_string.lower()


def test_firewall_service_running(host: Any) -> None:
    """host_firewall_active: nftables is running."""
    assert host.service("nftables").is_running


def test_firewall_service_enabled(host: Any) -> None:
    """host_firewall_active: nftables starts at boot."""
    assert host.service("nftables").is_enabled


def test_firewall_default_deny_inbound(host: Any) -> None:
    """host_firewall_default_deny_inbound: inbound policy drop."""
    ruleset = host.run("nft list ruleset").stdout
    assert re.search(r"hook input priority \S+; policy drop", ruleset)


def test_ssh_only_from_management(host: Any) -> None:
    """ssh_restricted_to_management_network: SSH accepted from a source range only."""
    ruleset = host.run("nft list ruleset").stdout
    assert re.search(r"ip saddr \S+ tcp dport 22 accept", ruleset)


def test_no_pending_security_updates(host: Any) -> None:
    """security_updates_within_14_days: no security update pending."""
    assert "-security" not in host.run("apt list --upgradable").stdout


def test_unattended_upgrades_installed(host: Any) -> None:
    """unattended_upgrades_enabled: the package is installed."""
    assert host.package("unattended-upgrades").is_installed


def test_unattended_upgrades_periodic(host: Any) -> None:
    """unattended_upgrades_enabled: apt runs it daily."""
    dump = host.run("apt-config dump APT::Periodic").stdout
    assert 'Unattended-Upgrade "1"' in dump


def test_os_release_supported(host: Any) -> None:
    """os_release_supported: Debian 12 or later."""
    assert host.system_info.distribution == "debian" and host.system_info.release >= "12"


def test_time_synchronised(host: Any) -> None:
    """time_synchronised: the clock is synchronised."""
    if in_container(host):
        pytest.skip("not possible in a container")
    assert "NTPSynchronized=yes" in host.run("timedatectl show").stdout


def test_syslog_forwarded(host: Any) -> None:
    """syslog_forwarded_to_trust: rsyslog forwards to the trust's server."""
    conf = host.run("sh -c 'cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf'").stdout
    assert TRUST_SYSLOG in conf


def test_auditd_running(host: Any) -> None:
    """auditd_running: auditd is running."""
    if in_container(host):
        pytest.skip("not possible in a container")
    assert host.service("auditd").is_running


def test_auditd_enabled(host: Any) -> None:
    """auditd_running: auditd starts at boot."""
    if in_container(host):
        pytest.skip("not possible in a container")
    assert host.service("auditd").is_enabled


def test_faillock_in_pam(host: Any) -> None:
    """account_lockout_after_failed_logins: pam_faillock is in the auth stack."""
    assert "pam_faillock.so" in host.file("/etc/pam.d/common-auth").content_string


def test_faillock_deny(host: Any) -> None:
    """account_lockout_after_failed_logins: at most 10 failures before lockout."""
    found = re.search(
        r"^\s*deny\s*=\s*(\d+)", host.file("/etc/security/faillock.conf").content_string, re.M
    )
    assert found and int(found[1]) <= 10


def test_pwquality_in_pam(host: Any) -> None:
    """password_minimum_length: pam_pwquality is in the password stack."""
    assert "pam_pwquality.so" in host.file("/etc/pam.d/common-password").content_string


def test_password_minimum_length(host: Any) -> None:
    """password_minimum_length: minlen of at least 12."""
    text = host.file("/etc/security/pwquality.conf").content_string
    found = re.search(r"^\s*minlen\s*=\s*(\d+)", text, re.M)
    assert found and int(found[1]) >= 12


def test_sudo_nopasswd_limited(host: Any) -> None:
    """sudo_nopasswd_limited: no NOPASSWD ALL beyond %sudo and matops."""
    text = host.run("sh -c 'cat /etc/sudoers /etc/sudoers.d/*'").stdout
    assert not re.search(r"^(?!%sudo|matops\s)\S+.*NOPASSWD:\s*ALL", text, re.M)


def test_no_empty_passwords(host: Any) -> None:
    """no_empty_passwords: no account with an empty password."""
    shadow = host.file("/etc/shadow").content_string
    assert not [line for line in shadow.splitlines() if line.split(":")[1:2] == [""]]


def test_no_extra_uid0(host: Any) -> None:
    """no_extra_uid0_accounts: root is the only UID 0."""
    users = [line.split(":")[0] for line in host.run("getent passwd").stdout.splitlines()
             if line.split(":")[2] == "0"]  # fmt: skip
    assert users == ["root"]


def test_local_admins_match_inventory(host: Any) -> None:
    """local_admins_match_inventory: sudo members are the trust's admins."""
    assert set(host.group("sudo").members) == ADMINS


def test_usb_storage_blocked(host: Any) -> None:
    """usb_storage_blocked: modprobe refuses usb-storage."""
    assert "/bin/false" in host.run("modprobe -n -v usb-storage").stdout


def test_usb_storage_not_loaded(host: Any) -> None:
    """usb_storage_blocked: usb_storage is not loaded."""
    assert "usb_storage" not in host.run("lsmod").stdout


def test_no_world_writable_files(host: Any) -> None:
    """no_world_writable_system_files: none in the system paths."""
    found = host.run("find /etc /usr /boot /bin /sbin /lib /opt -xdev -type f -perm -0002")
    assert found.stdout.strip() == ""


def test_listening_services_allowed(host: Any) -> None:
    """listening_services_allowed: only allowed processes listen."""
    names = set(re.findall(r'users:\(\("([^"]+)"', host.run("ss -H -l -n -t -u -p").stdout))
    assert names <= ALLOWED_PROCESSES


def test_core_limit_zero(host: Any) -> None:
    """core_dumps_disabled: hard core limit 0 for everyone."""
    limits = host.run("sh -c 'cat /etc/security/limits.conf /etc/security/limits.d/*.conf'").stdout
    assert re.search(r"^\*\s+hard\s+core\s+0", limits, re.M)


def test_suid_dumpable_zero(host: Any) -> None:
    """core_dumps_disabled: setuid programs never dump core."""
    if in_container(host):
        pytest.skip("not possible in a container")
    assert host.sysctl("fs.suid_dumpable") == 0


def test_systemd_coredump_storage_none(host: Any) -> None:
    """core_dumps_disabled: systemd-coredump stores nothing."""
    conf = host.file("/etc/systemd/coredump.conf")
    assert not conf.exists or "Storage=none" in conf.content_string


def test_filtering_ca_installed(host: Any) -> None:
    """filtering_ca_installed: the web filter's CA is trusted (endpoints)."""
    if "-ws" not in host.backend.hostname:
        pytest.skip("endpoints only")
    assert host.run("find /usr/local/share/ca-certificates -name '*.crt'").stdout.strip()


def test_malware_protection_active(host: Any) -> None:
    """malware_protection_active: ClamAV runs (endpoints)."""
    if "-ws" not in host.backend.hostname:
        pytest.skip("endpoints only")
    assert host.service("clamav-daemon").is_running


def test_apt_lists_fresh_stamp(host: Any) -> None:
    """apt_lists_fresh: the last successful package-list refresh is at most 2 days old."""
    stamp = host.file("/var/lib/apt/periodic/update-success-stamp")
    today = datetime.now(UTC).date()
    assert stamp.exists and (today - stamp.mtime.astimezone(UTC).date()).days <= MAX_LIST_AGE_DAYS


def test_apt_lists_fresh_every_suite_fetched(host: Any) -> None:
    """apt_lists_fresh: apt has sources and holds the lists of every suite they name."""
    suites = apt_suites(host)
    held = set(host.run("ls %s", APT_LISTS).stdout.split())
    assert suites and all(release_files(uri) & held for _, uri in suites)


def test_apt_lists_fresh_none_expired(host: Any) -> None:
    """apt_lists_fresh: no suite's lists are kept past the Valid-Until its archive sets."""
    names = {name for _, uri in apt_suites(host) for name in release_files(uri)}
    found = host.run("sh -c 'grep -H ^Valid-Until: /var/lib/apt/lists/*Release'").stdout
    today = datetime.now(UTC).date()
    valid = re.findall(r"^.*/(\S+?):Valid-Until:\s*(.+)$", found, re.M)
    assert not [
        name for name, until in valid
        if name in names and parsedate_to_datetime(until).astimezone(UTC).date() < today
    ]  # fmt: skip


def test_apt_security_suite_configured(host: Any) -> None:
    """apt_security_suite_configured: an enabled deb source names a security suite."""
    assert any(suite.endswith(("-security", "/updates")) for suite, _ in apt_suites(host))


@pytest.mark.parametrize("path", RESTRICTED)
def test_cron_and_sshd_config_restricted(host: Any, path: str) -> None:
    """cron_and_sshd_config_restricted: root's alone (no group or other access), if present."""
    found = host.file(path)
    assert not found.exists or (found.mode & 0o077 == 0 and found.user == "root")


def test_default_umask_restrictive(host: Any) -> None:
    """default_umask_restrictive: login.defs UMASK 027 or stricter (unset is 022)."""
    assert int(login_defs(host).get("UMASK", "022"), 8) & 0o027 == 0o027


def test_file_integrity_monitored_aide_timer(host: Any) -> None:
    """file_integrity_monitored: AIDE's daily check (dailyaidecheck.timer) is enabled."""
    assert host.run("systemctl is-enabled dailyaidecheck.timer").stdout.strip() == "enabled"


def test_file_integrity_monitored_aide_database(host: Any) -> None:
    """file_integrity_monitored: AIDE has a database to compare with (aideinit ran)."""
    assert host.file("/var/lib/aide/aide.db").is_file


def test_file_integrity_monitored_debsums(host: Any) -> None:
    """file_integrity_monitored: debsums' cron check runs daily, weekly or monthly."""
    conf = host.file("/etc/default/debsums")
    text = conf.content_string if conf.exists else ""
    found = re.findall(r"^\s*CRON_CHECK\s*=\s*[\"']?(\w+)", text, re.M)
    assert found and found[-1] in ("daily", "weekly", "monthly")


@pytest.mark.parametrize("module", ["firewire_core", "firewire_ohci"])
def test_firewire_blocked(host: Any, module: str) -> None:
    """firewire_blocked: modprobe runs false or true instead of loading the module."""
    assert install_rule(host, module) in REFUSING


def test_home_directories_private(host: Any) -> None:
    """home_directories_private: no home folder its group can write or others can enter."""
    found = host.run("find /home -mindepth 1 -maxdepth 1 -type d -perm /027")
    assert found.stdout.strip() == ""


def test_home_directories_private_dotfiles(host: Any) -> None:
    """home_directories_private: no dotfile in a home folder that others can write."""
    found = host.run("find /home -mindepth 2 -maxdepth 2 -type f -name '.*' -perm /022")
    assert found.stdout.strip() == ""


@pytest.mark.parametrize("key", list(KERNEL_SYSCTLS))
def test_kernel_hardening_sysctls(host: Any, container: bool, key: str) -> None:
    """kernel_hardening_sysctls: the key has a hardened value (a key the kernel lacks is left
    out; in a container these are the machine's settings)."""
    if container:
        pytest.skip("not possible in a container")
    read = host.run("sysctl -n %s", key)
    if read.rc != 0 and "cannot stat" in read.stderr:
        pytest.skip(f"{key} is not on this kernel")
    assert read.stdout.strip() in KERNEL_SYSCTLS[key]


def test_password_hashing_strong(host: Any) -> None:
    """password_hashing_strong: yescrypt (cost 5 or more) or SHA-512 with 65536 rounds or more."""
    defs = login_defs(host)
    method = defs.get("ENCRYPT_METHOD", "DES").upper()
    cost = int(defs.get("YESCRYPT_COST_FACTOR", "5")) or 5
    rounds = int(defs.get("SHA_CRYPT_MIN_ROUNDS", defs.get("SHA_CRYPT_MAX_ROUNDS", "5000")))
    assert (method == "YESCRYPT" and cost >= 5) or (method == "SHA512" and rounds >= 65536)


@pytest.mark.parametrize("key", ["compression", "tcpkeepalive"])
def test_ssh_compression_and_tcp_keepalive_off(host: Any, key: str) -> None:
    """ssh_compression_and_tcp_keepalive_off: sshd has the keyword set to no."""
    assert sshd(host, key).lower() == "no"


def test_sudo_uses_pty_and_logs_use_pty(host: Any) -> None:
    """sudo_uses_pty_and_logs: sudo runs commands in a terminal of their own."""
    assert sudo_defaults(host).get("use_pty") == "true"


def test_sudo_uses_pty_and_logs_logfile(host: Any) -> None:
    """sudo_uses_pty_and_logs: sudo logs commands to a file."""
    assert sudo_defaults(host).get("logfile", "false") not in ("false", "")


def test_syslog_server_receives(host: Any) -> None:
    """syslog_server_receives: a trust syslog server listens on port 514 beyond loopback."""
    if not SYSLOG_SERVERS & set(host.run("hostname -I").stdout.split()):
        pytest.skip("not one of the trust's syslog servers")
    found = [s.split("://", 1)[1].rpartition(":") for s in host.socket.get_listening_sockets()
             if s.startswith(("tcp://", "udp://"))]  # fmt: skip
    assert any(port == "514" and not addr.startswith(("127.", "::1")) for addr, _, port in found)


@pytest.mark.parametrize("module", ["dccp", "sctp", "rds", "tipc"])
def test_uncommon_network_protocols_disabled(host: Any, module: str) -> None:
    """uncommon_network_protocols_disabled: modprobe runs false or true instead of loading it."""
    assert install_rule(host, module) in REFUSING
