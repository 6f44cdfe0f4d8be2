"""Redact secrets from device configurations before they are saved, logged or reported.

Shared by backups and scan evidence. Each rule keeps the keyword (so the config still reads, and
a reviewer can see that a secret *is* set) and replaces the value with ``<redacted>``:

- IOS: ``enable secret|password``, ``username … secret|password``, line ``password``, SNMP
  communities (also in ``snmp-server host``), SNMPv3 ``auth``/``priv`` keys, RADIUS and TACACS+
  keys (``key``, ``radius-server key``, ``… host … key``), key-chain ``key-string``, NTP
  authentication keys, pre-shared keys, and type 7 strings wherever they appear;
- AOS-CX: every ``plaintext``/``ciphertext`` value (``password``, ``key``, ``auth-pass``,
  ``priv-pass``) and SNMP communities.
"""

from __future__ import annotations

import re

REDACTED = "<redacted>"

_ENC = r"(?:[0-9] )?+"
_VALUE = r"(?!<redacted>|plaintext\b|ciphertext\b|auth-pass\b|priv-pass\b|\d \S)\S+"
_RULES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern.replace("VALUE", _VALUE))
    for pattern in (
        # AOS-CX (and anything else that labels its secrets)
        r"(\b(?:password|secret|key|auth-pass|priv-pass|psk) (?:plaintext|ciphertext) )VALUE",
        # IOS accounts and lines
        rf"(\benable (?:secret|password) (?:level \d+ )?{_ENC})VALUE",
        rf"(\b(?:secret|password) {_ENC})VALUE",
        # SNMP
        r"(\bsnmp-server community )VALUE",
        r"(\bsnmp-server host \S+ (?:(?:informs|traps) )?(?:version (?:1|2c) )?)(?!version)VALUE",
        r"(\bauth (?:md5|sha\S*) )VALUE",
        r"(\bpriv (?:des\S*|3des|aes(?: \d+)?+) )VALUE",
        # RADIUS / TACACS+ / key chains / NTP / IPsec
        rf"(\b(?:radius|tacacs)-server (?:host \S+ .*?)?key {_ENC})VALUE",
        rf"(^\s*key-string {_ENC})VALUE",
        r"(\bntp authentication-key \d+ \S+ )VALUE",
        rf"(\bcrypto isakmp key {_ENC})VALUE",
        rf"(\b(?:pre-shared-key|wpa-psk ascii|(?<!ntp )authentication-key) {_ENC})VALUE",
        # type 7 strings anywhere else
        r"(\b7 )[0-9A-F]{4,}\b",
    )
)
_SECTION_KEY = re.compile(rf"(^\s+key {_ENC}){_VALUE}")
"""``key <value>`` inside a RADIUS/TACACS+ server section (not a key chain's ``key 1``)."""


def redact_line(line: str, section: str = "") -> str:
    """One config line with its secrets replaced; ``section`` is the top-level line it is under.

    >>> redact_line("username bob privilege 15 secret 9 $9$abc$def")
    'username bob privilege 15 secret 9 <redacted>'
    >>> redact_line("radius-server host 10.0.0.1 key plaintext s3cret vrf default")
    'radius-server host 10.0.0.1 key plaintext <redacted> vrf default'
    """
    for rule in _RULES:
        line = rule.sub(lambda m: m[1] + REDACTED, line)
    if not section.startswith("key chain "):
        line = _SECTION_KEY.sub(lambda m: m[1] + REDACTED, line)
    return line


def redact(text: str) -> str:
    """A whole configuration with every secret replaced by ``<redacted>``.

    Banner text is left alone (it is shown to anyone who connects).

    >>> print(redact("snmp-server community public RO\\nhostname sw1"))
    snmp-server community <redacted> RO
    hostname sw1
    """
    out = []
    banner_end: str | None = None
    section = ""
    for line in text.split("\n"):
        if banner_end is not None:
            out.append(line)
            if banner_end in line:
                banner_end = None
            continue
        found = re.match(r"^banner \S+ (\^C|\S)(.*)$", line)
        if found:
            out.append(line)
            banner_end = None if found[1] in found[2] else found[1]
            continue
        if line[:1] not in ("", " "):
            section = line
        out.append(redact_line(line, section))
    return "\n".join(out)
