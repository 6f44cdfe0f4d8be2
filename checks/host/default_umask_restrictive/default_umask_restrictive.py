"""New files and home folders are not readable by everyone (login.defs UMASK 027 or stricter)."""

from __future__ import annotations

from matops.facts.linux.model import LoginDefs
from matops.scan.verdict import Verdict, errored, failed, passed

REQUIRED = 0o027
"""Bits the umask must clear: group write, and everything for others."""


def judge(login_defs: LoginDefs) -> Verdict:
    """Pass when ``UMASK`` in login.defs clears group write and all access for others.

    useradd derives new home folders' mode from it (027 gives 0750), and pam_umask applies it
    to sessions where configured.
    """
    value = login_defs.get("UMASK")
    if value is None:
        return failed("UMASK is not set in /etc/login.defs (shadow's default 022 applies)")
    try:
        mask = int(value, 8)
    except ValueError:
        return errored(f"UMASK {value!r} in /etc/login.defs is not an octal number")
    if mask & REQUIRED != REQUIRED:
        return failed(f"UMASK {value}: new files are readable by others; 027 or stricter")
    return passed(f"UMASK {value}")
