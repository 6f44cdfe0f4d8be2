"""Is this saved or read text a whole switch configuration of the right platform? (pure)

A configuration is judged only when it is complete: an empty, blank, binary, cut-off or
wrong-platform text would otherwise be read as a switch with nothing configured, and several
checks would pass on lines that are merely missing. What counts as complete:

* **Cisco IOS / IOS-XE** (running or startup config): a top-level ``end`` line. IOS prints it as
  the last line of both ``show running-config`` and ``show startup-config``; a text cut anywhere
  before its end lacks it.
* **Aruba AOS-CX 10.x**: the ``!Version ArubaOS-CX …`` (10.15 and later: ``!Version AOS-CX …``)
  line that ``show running-config`` prints at its top, under ``Current configuration:``. AOS-CX
  prints no closing line, so a text cut at its end cannot be told from a shorter configuration;
  a cut inside a banner can (the banner never closes), and a text that starts part-way (a cut at
  its start, or another command's output) lacks the version line.
* **Either platform**: a banner that never closes means the text was cut inside it.

The other platform's marks (an IOS ``Building configuration``/``Current configuration : N bytes``
header, ``version 15.2``, ``end``; an AOS-CX version line) are named as the wrong platform.
Both marks of each platform (``complete`` and ``signature``) are in its registry entry
(:mod:`matops.platforms`); this module holds only the rules that apply to every platform.
Messages say what is wrong and never quote the text itself (it may hold secrets or junk bytes).
"""

from __future__ import annotations

import re

from matops.facts.network.tree import unterminated_banner
from matops.platforms import CONFIG_READERS

_NO_STARTUP = re.compile(r"\s*(startup-config is not present|No startup-config present)\s*", re.I)
"""What ``show startup-config`` prints on a switch that never saved (IOS, then AOS-CX)."""


class InvalidConfigError(ValueError):
    """The text is not a whole configuration of the expected platform."""


def decode(data: bytes) -> str:
    """UTF-8 text of ``data``; InvalidConfigError for binary data or undecodable bytes.

    >>> decode(b"hostname a\\n")
    'hostname a\\n'
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InvalidConfigError(f"binary data (a NUL byte at offset {nul})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidConfigError(
            f"not UTF-8 text (an undecodable byte at offset {exc.start})"
        ) from exc


def no_startup_config(text: str) -> bool:
    """Whether ``text`` is a switch's answer that it has no saved (startup) configuration.

    That is an observed fact (the switch would boot with its factory configuration), not a
    cut-off configuration.

    >>> no_startup_config("startup-config is not present\\n")
    True
    >>> no_startup_config("hostname a\\nend\\n")
    False
    """
    return _NO_STARTUP.fullmatch(text) is not None


def problem(platform: str, text: str) -> str | None:
    """What makes ``text`` not a whole ``platform`` configuration, or None when it is one.

    >>> problem("cisco_ios", "hostname a\\n")
    "no closing 'end' line: the configuration is cut off (IOS ends every configuration with 'end')"
    >>> problem("cisco_ios", "hostname a\\nend\\n") is None
    True
    """
    if "\x00" in text:
        return "binary data (NUL bytes)"
    if not text.strip():
        return "empty (only whitespace)" if text else "empty"
    reader = CONFIG_READERS.get(platform)
    if reader is None:
        return f"no validation for platform {platform!r}"
    if not reader.complete.found(text):
        for name, other in sorted(CONFIG_READERS.items()):
            if name != platform and other.signature.found(text):
                return f"{other.signature.says}, not {reader.short_name}"
        return reader.complete.says
    banner = unterminated_banner(platform, text)
    if banner is not None:
        return f"the 'banner {banner}' never closes: the configuration is cut off inside it"
    return None


def check_config(platform: str, data: bytes | str, source: str) -> str:
    """The text of ``data`` when it is a whole ``platform`` configuration; otherwise
    InvalidConfigError naming ``source``, the size in bytes and what is wrong.

    >>> check_config("cisco_ios", b"", "backups/oak/oak-sw01.cfg")
    Traceback (most recent call last):
    ...
    matops.facts.network.validate.InvalidConfigError: backups/oak/oak-sw01.cfg (0 bytes): empty
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
    try:
        text = decode(data) if isinstance(data, bytes) else data
    except InvalidConfigError as exc:
        raise InvalidConfigError(f"{source} ({size} bytes): {exc}") from None
    found = problem(platform, text)
    if found is not None:
        raise InvalidConfigError(f"{source} ({size} bytes): {found}")
    return text


def check_output(data: bytes | str, source: str) -> str:
    """The text of a non-config output (``show version``): refused when empty or binary."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
    try:
        text = decode(data) if isinstance(data, bytes) else data
    except InvalidConfigError as exc:
        raise InvalidConfigError(f"{source} ({size} bytes): {exc}") from None
    if "\x00" in text or not text.strip():
        what = "binary data (NUL bytes)" if "\x00" in text else "empty"
        raise InvalidConfigError(f"{source} ({size} bytes): {what}")
    return text
