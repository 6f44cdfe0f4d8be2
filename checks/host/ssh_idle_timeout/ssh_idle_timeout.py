"""Idle SSH sessions and login shells are closed within 15 minutes."""

from __future__ import annotations

import re

from matops.facts.linux.model import ShellTimeout, SshdEffective
from matops.scan.verdict import Verdict, failed, passed

LIMIT = 900
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def seconds(value: str) -> int | None:
    """An sshd time value (``600``, ``10m``, ``1h30m``) in seconds; 0 for ``none``; None when
    it is not a time value."""
    value = value.strip().lower()
    if value in ("none", "0"):
        return 0
    parts = re.findall(r"(\d+)([smhdw]?)", value)
    if not parts or "".join(n + u for n, u in parts) != value:
        return None
    return sum(int(number) * _UNITS[unit] for number, unit in parts)


SESSION_TYPES = ("session:shell", "session:command", "session:subsystem:sftp", "session")
"""The channel types of an SSH session: OpenSSH 9.2 (Debian 12) names a session channel by what
it runs once it runs something (``session:shell``…), later releases call them all ``session``.
A plain ``session=`` entry therefore never times out a shell on OpenSSH 9.2 (seen in the lab)."""


def channel_timeout(channel_timeout: str, channel_type: str) -> int:
    """The timeout (seconds) sshd applies to ``channel_type``: the first ``type=time`` whose type
    pattern (``*`` and ``?`` wildcards) matches, as sshd looks it up; 0 when none does."""
    for entry in channel_timeout.split():
        pattern, _, value = entry.partition("=")
        regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
        if re.fullmatch(regex, channel_type):
            return seconds(value) or 0
    return 0


def session_timeout(channel_timeouts: str) -> tuple[int, list[str]]:
    """The longest timeout over every session channel type, and the types with none."""
    found = {kind: channel_timeout(channel_timeouts, kind) for kind in SESSION_TYPES}
    return max(found.values()), [kind for kind, value in found.items() if not value]


def _sshd_problems(sshd: SshdEffective) -> tuple[list[str], int]:
    """What keeps an idle SSH session or connection open, and the session channel timeout."""
    problems = []
    channel, uncovered = session_timeout(sshd.get("channeltimeout", ""))
    if len(uncovered) == len(SESSION_TYPES):
        problems.append(
            "no ChannelTimeout for session channels: an idle session stays open as long as the "
            "client answers (ClientAliveInterval only drops clients that stop answering)"
        )
    elif uncovered:
        problems.append(
            f"ChannelTimeout covers no {', '.join(uncovered)} channel (OpenSSH 9.2 names "
            "sessions session:shell, session:command, session:subsystem:*; later ones session)"
        )
    elif channel > LIMIT:
        problems.append(f"idle session channels close after {channel}s (ChannelTimeout)")
    unused_text = sshd.get("unusedconnectiontimeout", "none")
    unused = seconds(unused_text)
    if not unused:
        problems.append(f"UnusedConnectionTimeout {unused_text}: a connection with no channel "
                        "stays open")  # fmt: skip
    elif unused > LIMIT:
        problems.append(f"connections without a channel close after {unused}s")
    return problems, channel


def judge(sshd_effective: SshdEffective, shell_timeout: ShellTimeout) -> Verdict:
    """Pass when sshd closes idle session channels and channel-less connections, and login
    shells log out at an idle prompt (a read-only TMOUT), each within 1 to 900 seconds."""
    problems, channel = _sshd_problems(sshd_effective)
    tmout = shell_timeout.seconds
    if not tmout:
        problems.append("no TMOUT for login shells: an idle console or shell never logs out")
    elif tmout > LIMIT:
        problems.append(f"login shells log out after {tmout}s (TMOUT in {shell_timeout.source})")
    elif not shell_timeout.readonly:
        problems.append(f"TMOUT in {shell_timeout.source} is not read-only: a session can unset it")
    if problems:
        return failed(f"{'; '.join(problems)}; at most {LIMIT}s")
    return passed(
        f"idle SSH sessions close after {channel}s (ChannelTimeout), idle login shells after "
        f"{tmout}s (read-only TMOUT in {shell_timeout.source})"
    )
