"""The Linux checks of matops' catalogue as plain pytest-testinfra tests, one test per assertion.

This is the alternative ``benchmarks/scan.py`` measures a live scan against: the way a team
would write these checks without a fact layer, each test asking the host for what it needs.
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
from pathlib import Path
from typing import Any

import pytest

TRUST_SYSLOG = "198.18.20.10"
WEAK = re.compile(r"(cbc|arcfour|hmac-md5|hmac-sha1|umac-64|diffie-hellman-group1|group14-sha1)")
ADMINS = {"breakglass", "hokafor", "tbrennan"}
ALLOWED_PROCESSES = {"sshd", "chronyd", "rsyslogd", "systemd-resolve"}
COUNTS: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def _count(host: Any) -> Iterator[None]:
    """Count the commands each test sends to its host."""
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


def test_ssh_root_login_disabled(host: Any) -> None:
    assert sshd(host, "permitrootlogin") == "no"


def test_ssh_password_authentication_disabled(host: Any) -> None:
    assert sshd(host, "passwordauthentication") == "no"


def test_ssh_keyboard_interactive_disabled(host: Any) -> None:
    assert sshd(host, "kbdinteractiveauthentication") == "no"


@pytest.mark.parametrize("key", ["ciphers", "macs", "kexalgorithms"])
def test_ssh_strong_algorithms(host: Any, key: str) -> None:
    assert not WEAK.search(sshd(host, key))


def test_ssh_idle_channel_timeout(host: Any) -> None:
    found = re.search(r"(?:^| )session:\*=(\d+)s?(?: |$)", sshd(host, "channeltimeout"))
    assert found and 0 < int(found[1]) <= 900


def test_ssh_idle_shell_timeout(host: Any) -> None:
    text = host.run("sh -c 'cat /etc/profile /etc/profile.d/*.sh'").stdout
    found = re.search(r"^TMOUT=(\d+)$", text, re.M)
    assert found and 0 < int(found[1]) <= 900 and re.search(r"^readonly TMOUT$", text, re.M)


def test_ssh_max_auth_tries(host: Any) -> None:
    assert int(sshd(host, "maxauthtries") or 6) <= 4


def test_ssh_banner_configured(host: Any) -> None:
    assert sshd(host, "banner") not in ("", "none")


def test_issue_net_has_text(host: Any) -> None:
    assert "authorised" in host.file("/etc/issue.net").content_string.lower()


def test_firewall_service_running(host: Any) -> None:
    assert host.service("nftables").is_running


def test_firewall_service_enabled(host: Any) -> None:
    assert host.service("nftables").is_enabled


def test_firewall_default_deny_inbound(host: Any) -> None:
    ruleset = host.run("nft list ruleset").stdout
    assert re.search(r"hook input priority \S+; policy drop", ruleset)


def test_ssh_only_from_management(host: Any) -> None:
    ruleset = host.run("nft list ruleset").stdout
    assert re.search(r"ip saddr \S+ tcp dport 22 accept", ruleset)


def test_no_pending_security_updates(host: Any) -> None:
    assert "-security" not in host.run("apt list --upgradable").stdout


def test_unattended_upgrades_installed(host: Any) -> None:
    assert host.package("unattended-upgrades").is_installed


def test_unattended_upgrades_periodic(host: Any) -> None:
    dump = host.run("apt-config dump APT::Periodic").stdout
    assert 'Unattended-Upgrade "1"' in dump


def test_os_release_supported(host: Any) -> None:
    assert host.system_info.distribution == "debian" and host.system_info.release >= "12"


def test_time_synchronised(host: Any) -> None:
    if in_container(host):
        pytest.skip("not possible in a container")
    assert "NTPSynchronized=yes" in host.run("timedatectl show").stdout


def test_syslog_forwarded(host: Any) -> None:
    conf = host.run("sh -c 'cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf'").stdout
    assert TRUST_SYSLOG in conf


def test_auditd_running(host: Any) -> None:
    if in_container(host):
        pytest.skip("not possible in a container")
    assert host.service("auditd").is_running


def test_auditd_enabled(host: Any) -> None:
    if in_container(host):
        pytest.skip("not possible in a container")
    assert host.service("auditd").is_enabled


def test_faillock_in_pam(host: Any) -> None:
    assert "pam_faillock.so" in host.file("/etc/pam.d/common-auth").content_string


def test_faillock_deny(host: Any) -> None:
    found = re.search(
        r"^\s*deny\s*=\s*(\d+)", host.file("/etc/security/faillock.conf").content_string, re.M
    )
    assert found and int(found[1]) <= 10


def test_pwquality_in_pam(host: Any) -> None:
    assert "pam_pwquality.so" in host.file("/etc/pam.d/common-password").content_string


def test_password_minimum_length(host: Any) -> None:
    text = host.file("/etc/security/pwquality.conf").content_string
    found = re.search(r"^\s*minlen\s*=\s*(\d+)", text, re.M)
    assert found and int(found[1]) >= 12


def test_sudo_nopasswd_limited(host: Any) -> None:
    text = host.run("sh -c 'cat /etc/sudoers /etc/sudoers.d/*'").stdout
    assert not re.search(r"^(?!%sudo|matops\s)\S+.*NOPASSWD:\s*ALL", text, re.M)


def test_no_empty_passwords(host: Any) -> None:
    shadow = host.file("/etc/shadow").content_string
    assert not [line for line in shadow.splitlines() if line.split(":")[1:2] == [""]]


def test_no_extra_uid0(host: Any) -> None:
    users = [line.split(":")[0] for line in host.run("getent passwd").stdout.splitlines()
             if line.split(":")[2] == "0"]  # fmt: skip
    assert users == ["root"]


def test_local_admins_match_inventory(host: Any) -> None:
    assert set(host.group("sudo").members) == ADMINS


def test_usb_storage_blocked(host: Any) -> None:
    assert "/bin/false" in host.run("modprobe -n -v usb-storage").stdout


def test_usb_storage_not_loaded(host: Any) -> None:
    assert "usb_storage" not in host.run("lsmod").stdout


def test_no_world_writable_files(host: Any) -> None:
    found = host.run("find /etc /usr /boot /bin /sbin /lib /opt -xdev -type f -perm -0002")
    assert found.stdout.strip() == ""


def test_listening_services_allowed(host: Any) -> None:
    names = set(re.findall(r'users:\(\("([^"]+)"', host.run("ss -H -l -n -t -u -p").stdout))
    assert names <= ALLOWED_PROCESSES


def test_core_limit_zero(host: Any) -> None:
    limits = host.run("sh -c 'cat /etc/security/limits.conf /etc/security/limits.d/*.conf'").stdout
    assert re.search(r"^\*\s+hard\s+core\s+0", limits, re.M)


def test_suid_dumpable_zero(host: Any) -> None:
    if in_container(host):
        pytest.skip("not possible in a container")
    assert host.sysctl("fs.suid_dumpable") == 0


def test_systemd_coredump_storage_none(host: Any) -> None:
    conf = host.file("/etc/systemd/coredump.conf")
    assert not conf.exists or "Storage=none" in conf.content_string


def test_filtering_ca_installed(host: Any) -> None:
    if "-ws" not in host.backend.hostname:
        pytest.skip("endpoints only")
    assert host.run("find /usr/local/share/ca-certificates -name '*.crt'").stdout.strip()


def test_malware_protection_active(host: Any) -> None:
    if "-ws" not in host.backend.hostname:
        pytest.skip("endpoints only")
    assert host.service("clamav-daemon").is_running
