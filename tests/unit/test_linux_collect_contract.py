"""The collector contract, enforced: every Linux collector, each command broken each way, judged
by the real checks through the real runner, gives ``error`` with the reason, never ``pass``.

Commands run for real (stub programs on PATH, see ``linux_stubs``) through testinfra's
``local://`` backend, ``LinuxHostProvider`` and ``judge_subject`` with the real catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
import testinfra

from matops.facts.linux.collect import COLLECTORS
from matops.facts.linux.collect_hardening import DOTFILES, HOMES
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import Subject
from matops.facts.register.collect import InventoryProvider
from matops.inventory import load_trust
from matops.scan.catalogue import Check, load_catalogue
from matops.scan.model import Finding, Status
from matops.scan.runner import applies, judge_subject
from tests.conftest import EXAMPLE_TRUST
from tests.unit.linux_stubs import (
    AIDE_FIND,
    AIDE_SHOW,
    APT_LISTS,
    APT_MIRROR_SOURCES,
    APT_RELEASES,
    APT_SOURCES,
    APT_STAMP,
    CA,
    CLAMAV,
    CRACKLIB,
    CVTSUDOERS,
    DEBSUMS,
    DPKG_INSTALLED,
    HEALTHY,
    IDLE,
    PACKAGE_LISTS,
    PROFILE_D,
    SECURITY_FIELDS,
    SHOW,
    STAT,
    SYSCTLS,
    UNITS,
    WORLD_WRITABLE,
    Argv,
    Response,
    StubHost,
)

TRUST = load_trust(EXAMPLE_TRUST)
CATALOGUE = load_catalogue()
LINUX = [Subject.of_target(t) for t in TRUST.targets("linux")]


def _cat(path: str) -> Argv:
    return ("cat", "--", path)


HOME_MODES = ("find", *HOMES)
WRITABLE_DOTFILES = ("find", *DOTFILES)


def _find_conf(main: str, folder: str) -> Argv:
    return ("find", main, folder, "-maxdepth", "1", "-type", "f", "-name", "*.conf")


FACT_COMMANDS: dict[str, list[Argv]] = {
    "sshd_effective": [("sshd", "-T")],
    "shell_timeout": [_cat("/etc/profile"), PROFILE_D, _cat(IDLE)],
    "nft_ruleset": [("nft", "-j", "list", "ruleset")],
    "apt_security_updates": [PACKAGE_LISTS, DPKG_INSTALLED, SECURITY_FIELDS],
    "unattended_upgrades": [
        ("dpkg-query", "-W", "-f=${Status}", "unattended-upgrades"),
        ("apt-config", "dump", "APT::Periodic"),
    ],
    "apt_state": [
        APT_SOURCES, _cat("/etc/apt/sources.list"), _cat(APT_MIRROR_SOURCES), APT_LISTS,
        APT_RELEASES, APT_STAMP,
    ],
    "os_release": [_cat("/etc/os-release")],
    "timedatectl": [("timedatectl", "show")],
    "rsyslog_forwarding": [
        _find_conf("/etc/rsyslog.conf", "/etc/rsyslog.d"), _cat("/etc/rsyslog.conf"),
    ],
    "systemd_units": [(*SHOW, *(f"{unit}.service" for unit in UNITS))],
    "faillock": [_cat("/etc/pam.d/common-auth"), _cat("/etc/security/faillock.conf")],
    "pwquality": [
        _cat("/etc/pam.d/common-password"), _cat("/etc/security/pwquality.conf"), CRACKLIB,
    ],
    "sudoers": [
        _cat("/etc/sudoers"), ("find", "/etc/sudoers.d", "-maxdepth", "1", "-type", "f"),
        _cat("/etc/sudoers.d/matops-admins"),
    ],
    "passwd": [("getent", "passwd")],
    "shadow": [_cat("/etc/shadow")],
    "privileged_groups": [("getent", "group", "sudo", "wheel", "admin")],
    "usb_storage": [
        ("modprobe", "-n", "-v", "usb-storage"), ("modprobe", "--showconfig"), ("lsmod",),
    ],
    "world_writable_files": [WORLD_WRITABLE],
    "listening_sockets": [("ss", "-H", "-l", "-n", "-t", "-u", "-p")],
    "issue_net": [_cat("/etc/issue.net")],
    "coredump": [
        _find_conf("/etc/security/limits.conf", "/etc/security/limits.d"),
        _cat("/etc/security/limits.conf"), ("sysctl", "-n", "fs.suid_dumpable"),
        ("find", "/lib/systemd/systemd-coredump", "-maxdepth", "0"),
        _cat("/etc/systemd/coredump.conf"),
    ],
    "ca_certificates": [
        ("find", "/usr/local/share/ca-certificates", "-type", "f", "-name", "*.crt"),
        ("openssl", "x509", "-noout", "-subject", "-fingerprint", "-sha256", "-in", CA),
    ],
    "malware_agent": [(*SHOW, "clamav-daemon.service"), CLAMAV],
    "virtualisation": [("systemd-detect-virt", "--container"), ("systemd-detect-virt", "--vm")],
    "login_defs": [_cat("/etc/login.defs")],
    "modprobe_rules": [("modprobe", "-c")],
    "kernel_sysctls": [SYSCTLS],
    "restricted_paths": [STAT],
    "sudo_defaults": [CVTSUDOERS],
    "home_directories": [HOME_MODES, WRITABLE_DOTFILES],
    "file_integrity": [AIDE_SHOW, AIDE_FIND, DEBSUMS],
}  # fmt: skip
"""Every collector and each command it runs (the healthy test checks this list is exact)."""

DATA = r"unparseable output|`.*` failed: exit status"
"""Junk, empty or cut output: refused by the parser, or (a cut path) by the next command."""

MODES: dict[str, str] = {
    "exit": r"exit status 3: .*input/output error",
    "missing": r"missing command \(exit status 127\)",
    "not_executable": r"permission denied \(exit status 126\)",
    "denied": r"permission denied \(exit status 1\)",
    "junk": DATA,
    "empty": DATA,
    "truncated": DATA,
    "timeout": r"timed out after 0\.2 s",
}
"""How each command is broken, and what the error finding must say."""

FREE_TEXT = "a file's content is free text: anything read is the file"
CUT = "cat and find exit 0 only once they have written everything; cut short, they do not"

ANSWERS: dict[tuple[Argv, str], tuple[bool, str]] = {
    # (command, mode) → (may the checks pass?, why this output is a true observation)
    (("apt-config", "dump", "APT::Periodic"), "empty"): (False, "nothing configured: it fails"),
    (_find_conf("/etc/rsyslog.conf", "/etc/rsyslog.d"), "empty"): (False, "no config: fails"),
    (_find_conf("/etc/rsyslog.conf", "/etc/rsyslog.d"), "truncated"): (False, CUT),
    (_cat("/etc/rsyslog.conf"), "junk"): (False, FREE_TEXT + "; no destination: fails"),
    (_cat("/etc/rsyslog.conf"), "empty"): (False, FREE_TEXT + "; no destination: fails"),
    (_cat("/etc/rsyslog.conf"), "truncated"): (False, CUT),
    (("find", "/etc/sudoers.d", "-maxdepth", "1", "-type", "f"), "empty"): (
        True, "no drop-in files is a true answer",
    ),
    (("find", "/etc/sudoers.d", "-maxdepth", "1", "-type", "f"), "truncated"): (True, CUT),
    (_cat("/etc/sudoers.d/matops-admins"), "empty"): (True, "an empty drop-in grants nothing"),
    (_cat("/etc/sudoers.d/matops-admins"), "truncated"): (True, CUT),
    (_cat("/etc/sudoers"), "truncated"): (True, CUT),
    (_cat("/etc/issue.net"), "junk"): (False, FREE_TEXT + "; not the trust banner: fails"),
    (_cat("/etc/issue.net"), "empty"): (False, "an empty banner fails"),
    (_cat("/etc/issue.net"), "truncated"): (False, CUT),
    (WORLD_WRITABLE, "empty"): (True, "no world-writable file is the compliant answer"),
    (WORLD_WRITABLE, "truncated"): (True, CUT),
    (("modprobe", "-n", "-v", "usb-storage"), "empty"): (
        True, "nothing to do (already loaded: lsmod says so); the install rule is then read "
        "from modprobe's configuration, which was seen",
    ),
    (("modprobe", "--showconfig"), "empty"): (
        True, "the install rule was seen in modprobe -n -v's own output",
    ),
    (("modprobe", "--showconfig"), "truncated"): (True, CUT),
    (("sysctl", "-n", "fs.suid_dumpable"), "truncated"): (
        False, "a one-digit answer cannot be cut short without being empty (which errors)",
    ),
    (("find", "/lib/systemd/systemd-coredump", "-maxdepth", "0"), "truncated"): (True, CUT),
    (CLAMAV, "truncated"): (False, CUT),
    (_cat("/etc/systemd/coredump.conf"), "junk"): (False, FREE_TEXT + "; default Storage"),
    (_cat("/etc/systemd/coredump.conf"), "empty"): (False, "default Storage=external fails"),
    (_cat("/etc/systemd/coredump.conf"), "truncated"): (False, CUT),
    (_cat("/etc/security/limits.conf"), "truncated"): (False, CUT),
    (_cat("/etc/security/limits.conf"), "empty"): (False, "no hard core limit: fails"),
    (_cat("/etc/security/limits.conf"), "junk"): (False, FREE_TEXT + "; no limit: fails"),
    (_find_conf("/etc/security/limits.conf", "/etc/security/limits.d"), "empty"): (
        False, "no limits files: no limit, fails",
    ),
    (_find_conf("/etc/security/limits.conf", "/etc/security/limits.d"), "truncated"): (False, CUT),
    (("find", "/lib/systemd/systemd-coredump", "-maxdepth", "0"), "empty"): (
        True, "systemd-coredump is not installed: a true answer",
    ),
    (("find", "/usr/local/share/ca-certificates", "-type", "f", "-name", "*.crt"), "empty"): (
        False, "no local CA: the filtering CA check fails",
    ),
    (CLAMAV, "empty"): (False, "no definitions yet: fails"),
    (("openssl", "x509", "-noout", "-subject", "-fingerprint", "-sha256", "-in", CA),
     "truncated"): (False, "a fingerprint cut short no longer matches the school's CA"),
}  # fmt: skip
ANSWERS[_cat("/etc/pam.d/common-auth"), "truncated"] = (True, CUT)
ANSWERS.update({
    (APT_SOURCES, "empty"): (False, "no source files: no security suite, nothing fetched"),
    (_cat("/etc/apt/sources.list"), "empty"): (True, "an empty sources.list names nothing"),
    (_cat("/etc/apt/sources.list"), "truncated"): (True, CUT),
    (_cat(APT_MIRROR_SOURCES), "empty"): (False, "an empty .sources file names no suite: fails"),
    (_cat(APT_MIRROR_SOURCES), "truncated"): (False, CUT),
    (APT_LISTS, "empty"): (True, "nothing fetched is an answer (the lists checks fail on it)"),
    (APT_STAMP, "empty"): (True, "no stamp: never refreshed (the lists checks fail on it)"),
    (PACKAGE_LISTS, "empty"): (
        True, "no package list kept: apt keeps none for an empty index, so nothing is offered "
        "(a security suite never fetched fails on apt_state's Release files)",
    ),
})  # fmt: skip
ANSWERS[_cat("/etc/pam.d/common-password"), "truncated"] = (False, CUT)
for _pam_file in ("common-auth", "common-password"):
    for _mode in ("junk", "empty"):
        ANSWERS[_cat(f"/etc/pam.d/{_pam_file}"), _mode] = (False, f"{FREE_TEXT}; module absent")
ANSWERS[CRACKLIB, "empty"] = (False, "no dictionary file found: nobody can set a password")
ANSWERS[WRITABLE_DOTFILES, "empty"] = (True, "no writable dotfile is the compliant answer")
ANSWERS[WRITABLE_DOTFILES, "truncated"] = (True, CUT)
ANSWERS[HOME_MODES, "empty"] = (True, "no home folder under /home: nothing to judge")
ANSWERS[AIDE_FIND, "empty"] = (False, "no aide.db: AIDE was never initialised, fails")
ANSWERS[AIDE_FIND, "truncated"] = (False, CUT)
for _mode in ("junk", "empty", "truncated"):
    ANSWERS[DEBSUMS, _mode] = (False, f"{FREE_TEXT}; no CRON_CHECK schedule seen: fails")
ANSWERS[_cat("/etc/login.defs"), "truncated"] = (True, CUT + "; UMASK 027 is in the part kept")
ANSWERS[("modprobe", "-c"), "truncated"] = (False, CUT + "; the protocols cut off fail")
for _mode in ("junk", "empty", "truncated"):
    ANSWERS[_cat("/etc/security/pwquality.conf"), _mode] = (False, f"{FREE_TEXT}; defaults fail")
    ANSWERS[_cat("/etc/security/faillock.conf"), _mode] = (
        True,
        f"{FREE_TEXT}; the PAM line's own arguments (deny=4) may suffice",
    )
for _mode in ("junk", "empty", "truncated"):
    ANSWERS[_cat("/etc/profile"), _mode] = (True, f"{FREE_TEXT}; TMOUT is set in profile.d")
    ANSWERS[_cat(IDLE), _mode] = (False, f"{FREE_TEXT}; TMOUT unset or not read-only: fails")
ANSWERS[PROFILE_D, "empty"] = (False, "no profile.d file: TMOUT unset, fails")
"""Broken outputs that are nonetheless true observations, each with its reason."""


def _cases() -> Iterator[tuple[str, Argv, str]]:
    for fact, commands in FACT_COMMANDS.items():
        for argv in commands:
            for mode in MODES:
                yield fact, argv, mode


CASES = list(_cases())


def _id(case: tuple[str, Argv, str]) -> str:
    fact, argv, mode = case
    return f"{fact}:{FACT_COMMANDS[fact].index(argv)}:{argv[0]}:{mode}"


def _provider(timeout_s: float = 60.0) -> LinuxHostProvider:
    return LinuxHostProvider(lambda target: testinfra.get_host("local://"), timeout_s=timeout_s)


def _subject(fact: str) -> Subject:
    """The first Linux target of the example trust that some check of ``fact`` applies to."""
    return next(s for s in LINUX if any(fact in c.meta.facts and applies(c, s) for c in CATALOGUE))


def _checks(fact: str) -> list[Check]:
    return [c for c in CATALOGUE if fact in c.meta.facts and applies(c, _subject(fact))]


def _findings(fact: str, provider: LinuxHostProvider) -> list[Finding]:
    providers = [InventoryProvider(TRUST, date(2026, 12, 1)), provider]
    results = judge_subject(_subject(fact), _checks(fact), providers)
    assert results and all(isinstance(r, Finding) for r in results), results
    return [r for r in results if isinstance(r, Finding)]


def test_every_collector_has_failure_cases() -> None:
    assert set(FACT_COMMANDS) == set(COLLECTORS)
    listed = [argv for commands in FACT_COMMANDS.values() for argv in commands]
    assert set(listed) == set(HEALTHY) and len(listed) == len(HEALTHY)
    assert {(argv, mode) for argv, mode in ANSWERS} <= {(a, m) for _, a, m in CASES}
    assert all(_checks(fact) for fact in FACT_COMMANDS), "a Linux fact no check uses"


@pytest.mark.parametrize("fact", sorted(FACT_COMMANDS))
def test_healthy_host_is_judged(fact: str, stub: StubHost) -> None:
    """Unbroken, each collector runs exactly its listed commands and its checks get verdicts."""
    _provider().collect(fact, _subject(fact))
    assert sorted(set(stub.calls())) == sorted({" ".join(a) for a in FACT_COMMANDS[fact]})
    findings = _findings(fact, _provider())
    assert not [f for f in findings if f.status in (Status.ERROR, Status.UNREACHABLE)], findings


def _mid_line(text: str) -> str:
    """``text`` cut short in the middle of a line (a cut at a line end would look complete)."""
    end = max(1, int(len(text) * 0.4))
    while 0 < end < len(text) and (text[end - 1] == "\n" or text[end] == "\n"):
        end -= 1
    return text[:end]


def _break(stub: StubHost, argv: Argv, mode: str) -> None:
    program = stub.bin / argv[0]
    healthy = HEALTHY[argv].stdout
    if mode == "missing":
        program.unlink()
    elif mode == "not_executable":
        program.chmod(0o644)
    else:
        cut = _mid_line(healthy)
        junk = "Segmentation fault\nlorem ipsum dolor\n<html><body>502 Bad Gateway</body></html>\n"
        stub.respond(argv, {
            "exit": Response(healthy, 3, f"{argv[0]}: read error: input/output error\n"),
            "denied": Response("", 1, f"{argv[0]}: {argv[-1]}: Permission denied\n"),
            "junk": Response(junk),
            "empty": Response(""),
            "truncated": Response(cut),
            "timeout": Response(sleep=True),
        }[mode])  # fmt: skip


def _may_name(fact: str, argv: Argv, mode: str) -> set[str]:
    """The facts an error may name: a missing or non-executable program breaks every fact that
    runs it, and a check needing two of them reports whichever it collected first."""
    if mode not in ("missing", "not_executable"):
        return {fact}
    return {f for f, commands in FACT_COMMANDS.items() if any(c[0] == argv[0] for c in commands)}


@pytest.mark.parametrize(("fact", "argv", "mode"), CASES, ids=[_id(c) for c in CASES])
def test_broken_command_gives_error(fact: str, argv: Argv, mode: str, stub: StubHost) -> None:
    _break(stub, argv, mode)
    findings = _findings(fact, _provider(0.2 if mode == "timeout" else 60.0))
    answer = ANSWERS.get((argv, mode))
    if answer is not None:
        may_pass, _why = answer
        assert may_pass or not [f for f in findings if f.status == Status.PASS], findings
        return
    for finding in findings:
        assert finding.status == Status.ERROR, (finding.check, finding.status, finding.detail)
        named = _may_name(fact, argv, mode)
        assert any(f in finding.detail for f in named), finding.detail
        assert re.search(MODES[mode], finding.detail), finding.detail
        assert " object at 0x" not in finding.detail


def test_kernel_without_modules_is_an_answer(stub: StubHost) -> None:
    """lsmod's real complaint on a kernel without loadable modules (the lab's microVM) is an
    answer: nothing is loaded; the same exit status saying anything else stays an error."""
    message = (
        "libkmod: ERROR ../libkmod/libkmod-module.c:1725 kmod_module_new_from_loaded: could not "
        "open /proc/modules: No such file or directory\n"
        "Error: could not get list of modules: No such file or directory\n"
    )
    stub.respond(("lsmod",), Response("", 1, message))
    fact = _provider().collect("usb_storage", _subject("usb_storage"))
    assert not fact.value.loaded and "/proc/modules" in fact.evidence.excerpt
    stub.respond(("lsmod",), Response("", 1, "lsmod: cannot read: Input/output error\n"))
    (finding,) = _findings("usb_storage", _provider())
    assert finding.status == Status.ERROR and "exit status 1" in finding.detail
