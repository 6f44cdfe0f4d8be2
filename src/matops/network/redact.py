"""Redact secrets from configurations and command output before they are saved, logged or shown.

The one place in matops that knows secret syntax: backups, diffs, push results, scan evidence,
refresh runs and reports all go through :func:`redact` (``matops.facts.redaction`` re-exports
it). Each rule keeps the keyword, so the text still reads and a reviewer can see that a secret
*is* set, and puts ``<redacted>`` where the value was. What is redacted:

- accounts: ``enable secret|password`` (``level N``, ``algorithm-type``), ``username …
  secret|password``, line ``password``, ``ppp chap|pap … password``, ``key config-key``;
- SNMP: communities on ``snmp-server community`` and ``snmp-server host`` lines (any order of
  ``vrf``, ``informs|traps``, ``version 1|2c``, AOS-CX ``community``), SNMPv3 ``auth``/``priv``
  keys; the well-known defaults ``public``/``private`` stay visible (they are findings, not
  secrets), and so do SNMPv3 user names;
- RADIUS/TACACS+: ``radius-server|tacacs-server [host …] key``, ``key`` inside ``radius
  server``/``tacacs server`` sections, ``server-private … key``, ``server-key``;
- routing and first-hop: ``key-string`` (key chains, HSRP/VRRP md5), ``standby|vrrp|glbp N
  authentication [text] X``, OSPF ``message-digest-key`` and ``authentication-key``, BGP
  ``neighbor … password``, EIGRP ``authentication mode hmac-sha-256``, NHRP;
- NTP ``authentication-key``, IPsec ``crypto isakmp key`` and ``pre-shared-key``, WPA
  ``wpa-psk``, ``set-key`` and ``wpa-passphrase``;
- AOS-CX (and anything else that labels secrets): the value after ``plaintext``/``ciphertext``;
- anywhere: crypt hashes (``$1$``, ``$5$``, ``$6$``, ``$8$``, ``$9$``, ``$y$`` …), Cisco type 7
  strings after a ``7``, DES hashes in ``/etc/shadow`` lines, ``key=value`` secrets in host
  files, the body of PEM private keys.

Where IOS lets a secret contain spaces (it is then the last thing on the line) the rest of the
line is redacted. Banner text is kept (everyone who connects is shown it); a banner that never
closes is redacted like any other text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

REDACTED = "<redacted>"
DEFAULT_COMMUNITIES = frozenset({"public", "private"})
"""Well-known SNMP communities: kept visible, since using one is the finding."""

_E = r"(?:[0-9] )?+"  # an encryption type before the value
_NOT = r"(?!<redacted>|(?:plaintext|ciphertext|auth-pass|priv-pass)(?:\s|$))"
_T = _NOT + r"(\S+)"  # one word
_R = _NOT + r"(\S.*)"  # the rest of the line (outside config lines: its first word)
_LABELS = (
    r"password|secret|key|auth-pass|priv-pass|psk|secret-key|server-key|passphrase|md5|sha\d*"
    r"|hmac-\S+|aes|des|community|wpa-passphrase"
)
_RULE_TEXT = (
    # AOS-CX and anything else that labels its secrets
    rf"(\b(?:{_LABELS}) (?:plaintext|ciphertext) ){_T}",
    # accounts and lines
    rf"(\benable (?:algorithm-type \S+ )?(?:secret|password) (?:level \d+ )?+{_E}){_R}",
    rf"(\busername \S+ (?:.*? )?(?:secret|password) {_E}){_R}",
    rf"(^\s*(?:password|secret) (?!encryption\b|level\b){_E}){_R}",
    rf"(\bppp (?:chap|pap) (?:sent-username \S+ )?password {_E}){_R}",
    rf"(\bkey config-key (?:password-encrypt|1) ){_R}",
    # SNMP (host lines: see _snmp_host)
    rf"(\bsnmp-server community )(?!\"?(?i:public|private)\"?(?:\s|$)){_T}",
    rf"(\bcommunity-map ){_T}",
    rf"(\bauth (?:md5|sha\S*) ){_T}",
    rf"(\bpriv (?:des\S*|3des|aes(?: \d+)?+) ){_T}",
    rf"(\b(?:auth|priv)-pass ){_T}",
    # RADIUS / TACACS+
    rf"(\b(?:radius|tacacs)-server (?:host \S+ (?:.*? )?)?key {_E}){_R}",
    rf"(\bserver-private \S+ (?:.*? )?key {_E}){_R}",
    rf"(\bserver-key {_E}){_R}",
    rf"(\bpac key {_E}){_R}",
    # key chains, first-hop redundancy, routing protocols
    rf"(\bkey-string {_E}){_R}",
    rf"(\b(?:standby|vrrp|glbp) (?:\d+ )?authentication (?:text )?)(?!md5\b|text\b){_R}",
    rf"(\bmessage-digest-key \d+ md5 {_E}){_R}",
    rf"(\bntp authentication-key \d+ \S+ {_E}){_T}",
    rf"((?<!ntp )\bauthentication-key {_E}){_R}",
    rf"(\bneighbor \S+ password {_E}){_R}",
    rf"(\bauthentication mode hmac-sha-256 {_E}){_R}",
    rf"(\bip nhrp authentication ){_R}",
    rf"(\b(?:md5|sha1|3des|des|aes-cbc (?:128|192|256)) {_E})(?=[0-9A-Fa-f]{{16,}}(?:\s|$)){_T}",
    # IPsec and wireless
    rf"(\bcrypto isakmp key {_E}){_T}",
    rf"(\bpre-shared-key (?:(?:address|hostname) \S+ (?:\S+ )??key {_E}|(?:local |remote )?{_E}"
    rf"(?!(?:address|hostname|local|remote|key-chain)\b))){_R}",
    rf"(\bwpa-psk (?:ascii|hex) {_E}){_R}",
    rf"(\bset-key (?:ascii|hex) {_E}){_R}",
    rf"(\bwpa-passphrase ){_R}",
    # anything else that names a secret before it
    rf"(\b(?:secret|password) (?!encryption\b|level\b){_E}){_T}",
    # host files: key=value
    rf"(\b(?i:password|passwd|secret|psk|bindpw|rootpw|pre-shared-key)\s*=\s*){_NOT}\"?[^\s\"]+\"?",
    # type 7 strings anywhere
    r"(\b7 )[0-9]{2}[0-9A-F]{2}(?:[0-9A-F]{2})+\b",
    # DES crypt in /etc/shadow
    r"(^[\w.-]+:)(?![!*x]:)[./0-9A-Za-z]{13}(?=:)",
)
_RULES: tuple[re.Pattern[str], ...] = tuple(re.compile(text) for text in _RULE_TEXT)
_CRYPT = re.compile(r"\$(?:1|2[abxy]?|5|6|7|8|9|y|gy|sha1|md5|apr1|argon2(?:id|i|d)?)\$[^\s:'\"]+")
_SECTION_KEY = re.compile(rf"(^\s+key {_E}){_R}")
"""``key <value>`` inside a RADIUS/TACACS+ (or any non key chain) section, not ``key 1``."""
_KEY_ID = re.compile(r"^\s+key \d+\s*$")
"""A key chain's ``key 1`` seen without its section: a key number, not a secret."""
_SNMP_HOST = re.compile(r"\bsnmp-server host \S+")
_BANNER = re.compile(r"^\s*banner \S+ (\^C|\S)(.*)$")
_PEM = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----\n(.*?)\n-----END \1PRIVATE KEY-----", re.S
)


def _snmp_host(line: str) -> str:
    """The community of a ``snmp-server host`` line redacted (IOS and AOS-CX word orders).

    >>> _snmp_host("snmp-server host 192.0.2.1 vrf MGMT informs version 2c Secr3t udp-port 162")
    'snmp-server host 192.0.2.1 vrf MGMT informs version 2c <redacted> udp-port 162'
    """
    found = _SNMP_HOST.search(line)
    if found is None:
        return line
    words = list(re.finditer(r"\S+", line[found.end() :]))
    texts = [w[0] for w in words] + ["", "", ""]
    i = 2 if texts[0] == "vrf" else 0
    i += texts[i] in {"informs", "traps", "inform", "trap"}
    version = ""
    if texts[i] == "version":
        version, i = texts[i + 1], i + 2
    if texts[i] == "community":
        i += 1
    elif version in {"3", "v3"} or texts[i] == "user":
        return line  # SNMPv3: a user name follows, not a secret
    if i >= len(words) or texts[i].strip('"').lower() in DEFAULT_COMMUNITIES:
        return line
    if texts[i] == REDACTED:
        return line
    start = found.end() + words[i].start()
    return line[:start] + REDACTED + line[found.end() + words[i].end() :]


def redact_line(line: str, section: str = "") -> str:
    """One line with its secrets replaced; ``section`` is the top-level line it is under.

    >>> redact_line("username bob privilege 15 secret 9 $9$abc$def")
    'username bob privilege 15 secret 9 <redacted>'
    >>> redact_line("radius-server host 10.0.0.1 key plaintext s3cret vrf default")
    'radius-server host 10.0.0.1 key plaintext <redacted> vrf default'
    """
    line = _snmp_host(line)
    for rule in _RULES:
        line = rule.sub(_keep_first, line)
    if not section.startswith("key chain ") and not (section == "" and _KEY_ID.match(line)):
        line = _SECTION_KEY.sub(_keep_first, line)
    return _CRYPT.sub(REDACTED, line)


_CONFIG_PREFIX = re.compile(r"\s*(?:[^\s'\"()\[\],;]*[^\s'\"()\[\],;:] +)*")
"""What precedes a secret on a configuration line: plain words (no quotes, brackets, ``x:``)."""
_PROSE_WORD = re.compile(
    r"(?:is|are|was|were|be|been|type|set|not|hashed|stored|missing|configured|used|of|for|and"
    r"|or|in|on|the|a|an|to|with|found|present|required)\W*"
)
"""A word that, after a keyword in a sentence, is prose and not a secret (``password for x``)."""
_PROSE_TAIL = re.compile(r"(?:(?:is|are|was|were)(?: not)? \w+|not set|type \d+)\W*")
"""The end of a line that reads as a check's message (``password is hashed``, ``type 9``)."""
_PROSE_START = re.compile(r"[(\[\"']|[0-9]\W+$")
"""Outside a configuration line, a value opening a bracket or quote is prose too."""


def _keep_first(match: re.Match[str]) -> str:
    """The kept keyword and ``<redacted>``: on a config line the whole value (to the end of the
    line for the forms that allow spaces); in a sentence only a first word that is not prose."""
    if match.lastindex is None or match.lastindex < 2:
        return match[1] + REDACTED
    if _PROSE_TAIL.fullmatch(match.string, match.start(2)):
        return match[0]
    if _CONFIG_PREFIX.fullmatch(match.string, 0, match.start()):
        return match[1] + REDACTED
    first, space, rest = match[2].partition(" ")
    if _PROSE_WORD.fullmatch(first) or _PROSE_START.match(first):
        return match[0]
    return match[1] + REDACTED + space + rest


def _pem_body(match: re.Match[str]) -> str:
    """A PEM private key with each line of its body replaced (line count kept)."""
    body = "\n".join(REDACTED for _ in match[2].split("\n"))
    return f"-----BEGIN {match[1]}PRIVATE KEY-----\n{body}\n-----END {match[1]}PRIVATE KEY-----"


def redact(text: str) -> str:
    """A configuration (or any command output) with every secret replaced by ``<redacted>``.

    Banner text is left alone (it is shown to anyone who connects); so are the well-known
    communities ``public`` and ``private``, which are findings rather than secrets.

    >>> print(redact("snmp-server community s3cret RO\\nsnmp-server community public RO"))
    snmp-server community <redacted> RO
    snmp-server community public RO
    """
    lines = _PEM.sub(_pem_body, text).split("\n")
    out: list[str] = []
    section = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        found = _BANNER.match(line)
        if found:
            end = _banner_end(lines, index, found[1], found[2])
            if end is not None:  # a closed banner: kept as it is
                out.extend(lines[index : end + 1])
                index = end + 1
                continue
        if line[:1] not in ("", " "):
            section = line
        out.append(redact_line(line, section))
        index += 1
    return "\n".join(out)


def _banner_end(lines: list[str], start: int, delimiter: str, rest: str) -> int | None:
    """Index of the line that closes the banner opened at ``start``; None when none does."""
    if delimiter in rest:
        return start
    for index in range(start + 1, len(lines)):
        if delimiter in lines[index]:
            return index
    return None


_MAYBE = re.compile(
    r"secret|passw|key|communit|snmp|auth|priv|psk|pass|text|md5|sha|aes|des|hmac|bindpw|rootpw"
    r"|PRIVATE KEY|\$|\b7 |^[\w.-]+:[./0-9A-Za-z]{13}:",
    re.IGNORECASE | re.MULTILINE,
)


def may_hold_secret(text: str) -> bool:
    """False only when no redaction rule can apply (a cheap test before :func:`redact`).

    >>> may_hold_secret("interface Vlan10"), may_hold_secret(" wpa-passphrase x")
    (False, True)
    """
    return _MAYBE.search(text) is not None


redact_text: Callable[[str], str] = redact
"""The same redaction for any text (evidence excerpts, report cells, messages)."""


def redact_message(text: str) -> str:
    """:func:`redact` for short texts that rarely hold a secret (a finding's detail, a skip
    reason, a push result, a report cell): the cheap pre-test first.

    >>> redact_message("cannot parse line 'snmp-server community s3cret RO'")
    "cannot parse line 'snmp-server community <redacted> RO'"
    """
    return redact(text) if may_hold_secret(text) else text
