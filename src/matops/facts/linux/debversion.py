"""Debian version strings compared as dpkg compares them (``dpkg --compare-versions``).

A version is ``[epoch:]upstream[-revision]``. Epochs compare as numbers; upstream and revision
compare part by part: a run of non-digits (where ``~`` sorts before anything, even the end of
the string, and letters sort before other characters), then a run of digits as a number.
"""

from __future__ import annotations

import re

_VALID = re.compile(r"^(?:\d+:)?[0-9][0-9A-Za-z.+~-]*$")
"""Epoch digits, then an upstream version starting with a digit (no colon without an epoch)."""


def valid(version: str) -> bool:
    """Whether ``version`` has the shape of a Debian version.

    >>> valid("1:2.38.1-5+deb12u2"), valid("3.0 beta")
    (True, False)
    """
    return bool(_VALID.match(version))


def _split(version: str) -> tuple[int, str, str]:
    """Epoch, upstream version and Debian revision (``""`` when there is none)."""
    epoch, colon, rest = version.partition(":")
    if not colon:
        epoch, rest = "0", version
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    return int(epoch), upstream, revision


def _order(char: str) -> int:
    """Sort weight of one non-digit character: ``~`` first, then the end, letters, the rest."""
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _compare_part(a: str, b: str) -> int:
    i = j = 0
    while i < len(a) or j < len(b):
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ca = _order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            cb = _order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ca != cb:
                return -1 if ca < cb else 1
            i, j = i + 1, j + 1
        da = re.match(r"\d*", a[i:])
        db = re.match(r"\d*", b[j:])
        na, nb = (da.group() if da else ""), (db.group() if db else "")
        i, j = i + len(na), j + len(nb)
        if int(na or 0) != int(nb or 0):
            return -1 if int(na or 0) < int(nb or 0) else 1
    return 0


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is older than, the same as or newer than ``b``.

    >>> compare("3.0.15-1~deb12u1", "3.0.15-1"), compare("1:1.0", "2.0"), compare("1.0", "1.0-0")
    (-1, 1, 0)
    """
    ea, ua, ra = _split(a)
    eb, ub, rb = _split(b)
    if ea != eb:
        return -1 if ea < eb else 1
    return _compare_part(ua, ub) or _compare_part(ra, rb)
