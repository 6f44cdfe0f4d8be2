"""hardening role: lineinfile equivalence and the rendered files the posture checks read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from matops.deploy.lineinfile import lineinfile
from matops.deploy.pyinfra_roles import Role
from matops.facts.linux.parse import parse_pam_module
from matops.facts.linux.parse_accounts import parse_coredump

REPO = Path(__file__).resolve().parents[3]
ROLE = REPO / "roles" / "hardening"


def role(**host_vars: object) -> Role:
    return Role.load(ROLE, dict(host_vars), "h1")


@pytest.mark.parametrize(
    ("text", "regexp", "line", "after", "expected"),
    [
        ("A\t1\nPASS_MAX_DAYS\t99999\nB\n", r"^PASS_MAX_DAYS\s", "PASS_MAX_DAYS\t365", None,
         "A\t1\nPASS_MAX_DAYS\t365\nB\n"),
        ("# PASS_MAX_DAYS comment\n", r"^PASS_MAX_DAYS\s", "PASS_MAX_DAYS\t365", None,
         "# PASS_MAX_DAYS comment\nPASS_MAX_DAYS\t365\n"),
        ("X=1\nX=2\n", r"^X=", "X=3", None, "X=1\nX=3\n"),
        ("no newline", r"^Y=", "Y=1", None, "no newline\nY=1\n"),
        ("[Coredump]\n#Storage=external\n", r"^#?Storage=", "Storage=none", r"^\[Coredump\]",
         "[Coredump]\nStorage=none\n"),
        ("[Coredump]\n#Other=1\n", r"^#?Storage=", "Storage=none", r"^\[Coredump\]",
         "[Coredump]\nStorage=none\n#Other=1\n"),
        ("", r"^Z=", "Z=1", None, "Z=1\n"),
    ],
)  # fmt: skip
def test_lineinfile_matches_ansible(
    text: str, regexp: str, line: str, after: str | None, expected: str
) -> None:
    assert lineinfile(text, regexp, line, insertafter=after) == expected


def test_lineinfile_is_idempotent() -> None:
    once = lineinfile("A=1\n", r"^B=", "B=2")
    assert lineinfile(once, r"^B=", "B=2") == once


def test_faillock_and_pwquality_files_pass_their_checks() -> None:
    r = role()
    faillock = parse_pam_module(
        "auth requisite pam_faillock.so preauth", r.render("faillock.conf.j2"), "pam_faillock.so"
    )
    assert faillock.in_pam_stack and 1 <= int(faillock.settings["deny"]) <= 10
    pwquality = parse_pam_module(
        "password requisite pam_pwquality.so retry=3",
        r.render("pwquality.conf.j2"),
        "pam_pwquality.so",
    )
    assert int(pwquality.settings["minlen"]) >= 12
    assert "pam_faillock.so authfail" in r.render("pam-faillock-authfail.j2")


def test_core_limits_file_gives_a_hard_limit_of_zero() -> None:
    parsed = parse_coredump(role().render("limits-coredump.conf.j2"), "0", None)
    assert parsed.hard_core_limit == "0"


def test_usb_storage_install_line_runs_false() -> None:
    text = role().render("modprobe-blocked.conf.j2")
    assert "install usb_storage /bin/false" in text.splitlines()
    assert "blacklist usb_storage" in text.splitlines()


def test_sysctl_commands_cover_every_setting() -> None:
    r = role(hardening_sysctl_kernel={"kernel.sysrq": 0})
    words = r["hardening_sysctl_words"].split()
    assert "kernel.sysrq=0" in words and "fs.suid_dumpable=0" in words
    assert "net.ipv4.tcp_syncookies=1" in words
    assert 'sysctl -q -w "$k=$v"' in r["hardening_sysctl_apply_command"]
    assert "sysctl -q -w" not in r["hardening_sysctl_state_command"]


def test_sysctl_state_command_reports_missing_keys_without_root(tmp_path: Path) -> None:
    """The walk itself runs in sh: a key this kernel lacks is reported, nothing is written."""
    r = role(
        hardening_sysctl_network={"net.matops.no_such_key": 1},
        hardening_sysctl_kernel={},
        hardening_sysctl_coredump={},
    )
    out = subprocess.run(
        ["sh", "-c", r["hardening_sysctl_apply_command"]],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.split("\n")[0] == "missing net.matops.no_such_key"
