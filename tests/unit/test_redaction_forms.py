"""Every secret form a switch or host prints is redacted, and the line still reads.

Table-driven: each row is a line as a device prints it with a distinctive planted value in
place of the secret; the redacted line must be exactly the row with ``<redacted>`` there (so
the keyword and everything around the value are kept, and no trace of the value is left).
A second table lists lines that hold no secret and must come through unchanged. Last, the
real-world corpus (tests/fixtures/real-world/) is redacted and swept with secret-bearing line
patterns written independently of the redactor: no keyword may be followed by a value.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from matops.facts.model import _shorten, make_evidence
from matops.facts.redaction import redact_text
from matops.network.redact import REDACTED, may_hold_secret, redact, redact_line
from switchsim.passwords import type7_encode

R = REDACTED

# (form, section the line is under ("" = top level), line with placeholders for planted values:
# {v}/{w} plain, {t7} type 7, {h5}/{h6}/{h8}/{h9}/{hy} crypt hashes, {hex} a hex key)
FORMS: list[tuple[str, str, str]] = [
    # SNMP communities
    ("community", "", "snmp-server community {v} RO"),
    ("community-view-acl", "", "snmp-server community {v} view ISO RO 10"),
    ("community-ipv6-acl", "", "snmp-server community {v} RW ipv6 SNMP6"),
    ("community-aoscx", "", "snmp-server community {v}"),
    ("host-bare", "", "snmp-server host 192.0.2.10 {v}"),
    ("host-v1", "", "snmp-server host 192.0.2.10 version 1 {v}"),
    ("host-v2c", "", "snmp-server host 192.0.2.10 version 2c {v}"),
    ("host-informs", "", "snmp-server host 192.0.2.10 informs version 2c {v} udp-port 162 config"),
    ("host-traps", "", "snmp-server host 192.0.2.10 traps {v} snmp"),
    ("host-vrf", "", "snmp-server host 192.0.2.10 vrf Mgmt-intf version 2c {v}"),
    ("host-vrf-informs", "", "snmp-server host 192.0.2.10 vrf MGMT informs version 2c {v} vrrp"),
    ("host-aoscx-trap", "", "snmp-server host 192.0.2.10 trap version v2c community {v}"),
    ("host-aoscx-vrf", "", "snmp-server host 192.0.2.10 inform version v2c community {v} vrf mgmt"),
    ("community-map", "", "snmp mib community-map {v} context C1"),
    # SNMPv3 keys
    ("v3-md5-des", "", "snmp-server user mon GRP v3 auth md5 {v} priv des {w}"),
    ("v3-sha-aes", "", "snmp-server user mon GRP v3 auth sha {v} priv aes 128 {w} access 10"),
    ("v3-encrypted", "", "snmp-server user mon GRP v3 encrypted auth sha {v} priv aes 256 {w}"),
    ("v3-3des", "", "snmp-server user mon GRP remote 192.0.2.9 v3 auth md5 {v} priv 3des {w}"),
    ("aoscx-snmpv3-plain", "",
     "snmpv3 user mon auth sha auth-pass plaintext {v} priv aes priv-pass plaintext {w}"),
    ("aoscx-snmpv3-cipher", "",
     "snmpv3 user mon auth md5 auth-pass ciphertext {v} priv des priv-pass ciphertext {w}"),
    # RADIUS and TACACS+, old and new syntax
    ("radius-key", "", "radius-server key {v}"),
    ("radius-key-0", "", "radius-server key 0 {v}"),
    ("radius-key-6", "", "radius-server key 6 {v}"),
    ("radius-key-7", "", "radius-server key 7 {t7}"),
    ("radius-host-key", "", "radius-server host 192.0.2.20 auth-port 1812 acct-port 1813 key {v}"),
    ("radius-host-key-7", "", "radius-server host 192.0.2.20 auth-port 1645 key 7 {t7}"),
    ("radius-server-key", "radius server NPS1", " key {v}"),
    ("radius-server-key-0", "radius server NPS1", " key 0 {v}"),
    ("radius-server-key-6", "radius server NPS1", " key 6 {v}"),
    ("radius-server-key-7", "radius server NPS1", " key 7 {t7}"),
    ("radius-server-pac", "radius server NPS1", " pac key 7 {t7}"),
    ("server-private", "aaa group server radius RAD", " server-private 192.0.2.20 key 7 {t7}"),
    ("dynamic-author", "aaa server radius dynamic-author", " client 192.0.2.20 server-key {v}"),
    ("dynamic-author-vrf", "aaa server radius dynamic-author",
     " client 192.0.2.20 vrf MGMT server-key 7 {t7}"),
    ("dynamic-author-global", "aaa server radius dynamic-author", " server-key 0 {v}"),
    ("tacacs-host-key", "", "tacacs-server host 192.0.2.30 key {v}"),
    ("tacacs-host-key-7", "", "tacacs-server host 192.0.2.30 single-connection key 7 {t7}"),
    ("tacacs-key", "", "tacacs-server key {v}"),
    ("tacacs-server-key-0", "tacacs server ISE", " key 0 {v}"),
    ("tacacs-server-key-6", "tacacs server ISE", " key 6 {v}"),
    ("tacacs-server-key-7", "tacacs server ISE", " key 7 {t7}"),
    # enable, local users, lines
    ("enable-secret-5", "", "enable secret 5 {h5}"),
    ("enable-secret-8", "", "enable secret 8 {h8}"),
    ("enable-secret-9", "", "enable secret 9 {h9}"),
    ("enable-secret-level", "", "enable secret level 15 5 {h5}"),
    ("enable-scrypt-9", "", "enable algorithm-type scrypt secret 9 {h9}"),
    ("enable-scrypt-plain", "", "enable algorithm-type scrypt secret {v}"),
    ("enable-password", "", "enable password {v}"),
    ("enable-password-7", "", "enable password 7 {t7}"),
    ("enable-password-level", "", "enable password level 15 {v}"),
    ("username-secret-9", "", "username bob privilege 15 secret 9 {h9}"),
    ("username-secret-5", "", "username bob secret 5 {h5}"),
    ("username-algorithm", "", "username bob privilege 15 algorithm-type scrypt secret 9 {h9}"),
    ("username-algorithm-plain", "", "username bob algorithm-type sha256 secret {v}"),
    ("username-view", "", "username bob view NOC secret 8 {h8}"),
    ("username-password-0", "", "username bob password 0 {v}"),
    ("username-password-7", "", "username bob privilege 15 password 7 {t7}"),
    ("line-password", "line vty 0 4", " password {v}"),
    ("line-password-0", "line con 0", " password 0 {v}"),
    ("line-password-7", "line vty 5 15", " password 7 {t7}"),
    ("config-key", "", "key config-key password-encrypt {v}"),
    ("ppp-chap", "interface Dialer1", " ppp chap password {v}"),
    ("ppp-chap-7", "interface Dialer1", " ppp chap password 7 {t7}"),
    ("ppp-pap", "interface Dialer1", " ppp pap sent-username dial password 0 {v}"),
    ("ftp-password", "", "ip ftp password 7 {t7}"),
    # hashes and type 7 anywhere
    ("hash-anywhere", "", "some-future-feature credential {h9}"),
    ("type7-anywhere", "", "some-future-feature token 7 {t7}"),
    ("shadow-yescrypt", "", "oak:{hy}:19700:0:99999:7:::"),
    ("shadow-sha512", "", "root:{h6}:19700:0:99999:7:::"),
    # key chains, first-hop redundancy, routing protocols
    ("key-string", "key chain OSPF", "  key-string {v}"),
    ("key-string-7", "key chain OSPF", "  key-string 7 {t7}"),
    ("hsrp-md5", "interface Vlan10", " standby 1 authentication md5 key-string {v}"),
    ("hsrp-md5-7", "interface Vlan10", " standby 1 authentication md5 key-string 7 {t7}"),
    ("hsrp-text", "interface Vlan10", " standby 1 authentication {v}"),
    ("hsrp-text-kw", "interface Vlan10", " standby 10 authentication text {v}"),
    ("vrrp-text", "interface Vlan10", " vrrp 1 authentication text {v}"),
    ("vrrp-md5", "interface Vlan10", " vrrp 1 authentication md5 key-string {v}"),
    ("glbp-text", "interface Vlan10", " glbp 1 authentication text {v}"),
    ("ospf-md5", "interface Vlan10", " ip ospf message-digest-key 1 md5 {v}"),
    ("ospf-md5-7", "interface Vlan10", " ip ospf message-digest-key 1 md5 7 {t7}"),
    ("ospf-auth-key", "interface Vlan10", " ip ospf authentication-key {v}"),
    ("ospf-auth-key-7", "interface Vlan10", " ip ospf authentication-key 7 {t7}"),
    ("ospf-virtual-link", "router ospf 1",
     " area 1 virtual-link 192.0.2.1 message-digest-key 1 md5 {v}"),
    ("ospfv3-ipsec", "interface Vlan10", " ospfv3 authentication ipsec spi 500 md5 0 {hex}"),
    ("bgp-password", "router bgp 65000", " neighbor 192.0.2.1 password {v}"),
    ("bgp-password-7", "router bgp 65000", " neighbor 192.0.2.1 password 7 {t7}"),
    ("bgp-peer-group", "router bgp 65000", " neighbor PEERS password 0 {v}"),
    ("eigrp-hmac", "router eigrp NAMED", "   authentication mode hmac-sha-256 {v}"),
    ("isis-password", "interface Vlan10", " isis password {v}"),
    ("isis-area", "router isis", " area-password {v}"),
    ("isis-domain", "router isis", " domain-password {v}"),
    ("nhrp", "interface Tunnel0", " ip nhrp authentication {v}"),
    # NTP
    ("ntp-md5", "", "ntp authentication-key 1 md5 {v}"),
    ("ntp-md5-7", "", "ntp authentication-key 1 md5 {t7} 7"),
    ("ntp-hmac", "", "ntp authentication-key 2 hmac-sha2-256 {v}"),
    ("ntp-aoscx-plain", "", "ntp authentication-key 1 md5 plaintext {v}"),
    ("ntp-aoscx-cipher", "", "ntp authentication-key 1 sha1 ciphertext {v} trusted"),
    # IPsec and wireless
    ("isakmp", "", "crypto isakmp key {v} address 0.0.0.0 0.0.0.0"),
    ("isakmp-6", "", "crypto isakmp key 6 {v} hostname peer.example"),
    ("keyring-address", "crypto keyring KR", " pre-shared-key address 192.0.2.1 key {v}"),
    ("keyring-mask", "crypto keyring KR",
     " pre-shared-key address 192.0.2.0 255.255.255.0 key {v}"),
    ("keyring-hostname", "crypto keyring KR", " pre-shared-key hostname peer key {v}"),
    ("ikev2-psk", "crypto ikev2 keyring K2", "  pre-shared-key {v}"),
    ("ikev2-psk-local", "crypto ikev2 keyring K2", "  pre-shared-key local {v}"),
    ("ikev2-psk-remote-6", "crypto ikev2 keyring K2", "  pre-shared-key remote 6 {v}"),
    ("wpa-psk", "dot11 ssid STAFF", " wpa-psk ascii {v}"),
    ("wpa-psk-0", "dot11 ssid STAFF", " wpa-psk ascii 0 {v}"),
    ("wpa-psk-7", "dot11 ssid STAFF", " wpa-psk ascii 7 {t7}"),
    ("wpa-psk-hex", "dot11 ssid STAFF", " wpa-psk hex 0 {hex}"),
    ("wlc-set-key", "wlan STAFF 1 STAFF", " security wpa akm psk set-key ascii 0 {v}"),
    ("aruba-passphrase", "wlan ssid-profile STAFF", " wpa-passphrase {v}"),
    # AOS-CX
    ("aoscx-user-cipher", "", "user admin group administrators password ciphertext {v}"),
    ("aoscx-user-plain", "", "user admin group administrators password plaintext {v}"),
    ("aoscx-radius-plain", "", "radius-server host 192.0.2.20 key plaintext {v} vrf mgmt"),
    ("aoscx-radius-cipher", "", "radius-server host 192.0.2.20 port 1812 key ciphertext {v}"),
    ("aoscx-radius-global", "", "radius-server key plaintext {v}"),
    ("aoscx-tacacs", "", "tacacs-server host 192.0.2.30 key plaintext {v} vrf default"),
    ("aoscx-tacacs-global", "", "tacacs-server key ciphertext {v}"),
    ("aoscx-dyn-author", "", "radius dyn-authorization client 192.0.2.20 secret-key plaintext {v}"),
    # host files
    ("host-password", "", "password={v}"),
    ("host-bindpw", "", "bindpw = {v}"),
]  # fmt: skip


def _value(form: str) -> str:
    return f"Pl4nted-{form}-{hashlib.sha256(form.encode()).hexdigest()[:8]}"


def _planted(form: str) -> dict[str, str]:
    """The distinctive values of one row (all derived from the form's name)."""
    v = _value(form)
    salt = hashlib.sha256(v.encode()).hexdigest()
    return {
        "v": v, "w": v + "-priv", "t7": type7_encode(v),
        "h5": f"$1${salt[:4]}${v}", "h8": f"$8${salt[:14]}${v}", "h9": f"$9${salt[:14]}${v}",
        "h6": f"$6${salt[:8]}${v}", "hy": f"$y$j9T${salt[:8]}${v}",
        "hex": salt[:40].upper(),
    }  # fmt: skip


@pytest.mark.parametrize(("form", "section", "line"), FORMS, ids=[f[0] for f in FORMS])
def test_every_secret_form_is_redacted_and_the_line_still_reads(
    form: str, section: str, line: str
) -> None:
    planted = _planted(form)
    text = line.format(**planted)
    expected = line.format(**dict.fromkeys(planted, R))
    shown = redact(f"{section}\n{text}" if section else text).split("\n")[-1]
    assert shown == expected
    for value in planted.values():
        assert value not in shown
    assert redact_line(text, section) == expected
    assert redact(shown) == shown  # redacting again changes nothing


MULTI_WORD = [
    ("username bob privilege 15 password 0 two words {v}", "username bob privilege 15 password 0 "),
    ("enable password six words of a {v}", "enable password "),
    ("radius-server key spaces are part of {v}", "radius-server key "),
    ("radius-server host 192.0.2.20 key 0 with spaces {v}", "radius-server host 192.0.2.20 key 0 "),
]  # fmt: skip


@pytest.mark.parametrize(("line", "kept"), MULTI_WORD)
def test_a_secret_with_spaces_is_redacted_to_the_end_of_the_line(line: str, kept: str) -> None:
    """IOS lets these secrets hold spaces (they are last on the line): nothing of them is kept."""
    v = _value("multi")
    assert redact(line.format(v=v)) == kept + R


def test_a_secret_in_a_multi_line_text_is_redacted_where_the_section_says() -> None:
    text = "\n".join(
        [
            "key chain OSPF", " key 1", "  key-string 7 0822455D0A16",
            "radius server NPS1", " address ipv4 192.0.2.20", " key Pl4nted-sectionKey",
            "crypto isakmp client configuration group STAFF", " key Pl4nted-groupKey",
        ]
    )  # fmt: skip
    shown = redact(text).split("\n")
    assert shown[1] == " key 1"  # a key chain's key number is not a secret
    assert shown[2] == "  key-string 7 <redacted>"
    assert shown[5] == " key <redacted>" and shown[7] == " key <redacted>"


def test_a_secret_quoted_in_an_error_message_is_redacted() -> None:
    """Errors that quote a config line (hier_config's duplicate section) reach results."""
    shown = redact("cannot compare: Found a duplicate section: ('snmp-server community Pl4nt RO',)")
    assert shown.endswith("('snmp-server community <redacted> RO',)")
    assert (
        redact("saw: username bob password 0 Pl4nt x")
        == "saw: username bob password 0 <redacted> x"
    )


def test_pem_private_key_body_is_redacted_with_its_line_count() -> None:
    body = ["MIIEv" + _value(f"pem{i}") for i in range(3)]
    pem = ["-----BEGIN OPENSSH PRIVATE KEY-----", *body, "-----END OPENSSH PRIVATE KEY-----"]
    shown = redact_text("\n".join(pem)).split("\n")
    assert shown == [pem[0], R, R, R, pem[-1]]


KEPT = [
    "snmp-server community public RO",
    "snmp-server community private RW",
    "snmp-server community Public RO",
    'snmp-server community "public" unrestricted',
    "snmp-server host 192.0.2.10 version 2c public",
    "snmp-server host 192.0.2.10 trap version v2c community private",
    "snmp-server host 192.0.2.10 traps version 3 priv monitor",
    "snmp-server host 192.0.2.10 informs version 3 noauth monitor",
    "snmp-server host 192.0.2.10 trap version v3 user monitor",
    "snmp-server user monitor GRP v3",
    "password encryption aes",
    "service password-encryption",
    "no service password-encryption",
    "security passwords min-length 10",
    "username bob privilege 15 nopassword",
    "key chain OSPF",
    " key 1",
    " standby 1 authentication md5 key-chain HSRP",
    " ip ospf authentication message-digest",
    " authentication mode md5",
    " mka pre-shared-key key-chain MKA",
    "aaa authentication login default group radius local",
    "aaa new-model",
    "radius server NPS1",
    " address ipv4 192.0.2.20 auth-port 1812 acct-port 1813",
    "ip ssh version 2",
    "ssh key-exchange-algorithms ecdh-sha2-nistp256 curve25519-sha256",
    "user robot authorized-key ssh-rsa AAAAB3NzaC1yc2E robot@example",
    " set community 65000:100 additive",
    " neighbor 192.0.2.1 send-community both",
    "switchport trunk allowed vlan 7,1000",
    "interface GigabitEthernet1/0/7",
    "spanning-tree portfast bpduguard default",
    "!export-password: default",
    "host key for oak-srv01 (198.18.10.11) is not in known_hosts",
    "oak:!:19700:0:99999:7:::",
    "root:x:0:0:root:/root:/bin/bash",
    "PasswordAuthentication no",
    # check messages: the words after a keyword are prose, not a value
    "an 'enable password' is set; remove it and use 'enable secret 9'",
    "weakly stored passwords: enable password (type 7), username cisco (type 7)",
    "enable secret type 9",
    "every stored password is hashed",
    "[sudo] password for matops: sorry, try again",
]


@pytest.mark.parametrize("line", KEPT)
def test_lines_without_a_secret_are_kept(line: str) -> None:
    assert redact(line) == line


def test_banner_text_is_kept_unless_the_banner_never_closes() -> None:
    banner = "banner motd ^C\nThe password for guests is on the door.\n^C\nhostname sw1"
    assert redact(banner) == banner
    assert redact("banner login #Authorised use; password required#") == (
        "banner login #Authorised use; password required#"
    )
    cut = "banner motd ^C\nWelcome\nenable secret 9 $9$Pl4ntedCut$x\nsnmp-server community Pl4nt RO"
    shown = redact(cut)
    assert "Pl4nt" not in shown and shown.endswith("snmp-server community <redacted> RO")


# --- the real-world corpus, swept with patterns written independently of the redactor --------

CORPUS = Path(__file__).parents[1] / "fixtures" / "real-world"
_V = r"(?P<v>\S+)"
_SECRET_LINES = [
    re.compile(p)
    for p in (
        rf"^\s*enable (?:algorithm-type \S+ )?(?:secret|password) (?:level \d+ )?(?:\d )?{_V}",
        rf"^\s*username \S+ .*\b(?:secret|password) (?:\d )?{_V}",
        rf"^\s*password (?:\d )?{_V}",
        rf"\bsnmp-server community {_V}",
        rf"\bsnmp-server host .*\bcommunity {_V}",
        rf"\bsnmp-server host \S+ (?:vrf \S+ )?(?:informs |traps )?(?:version (?:1|2c) )?{_V}",
        rf"\b(?:radius|tacacs)-server .*\bkey (?:\d )?(?:plaintext |ciphertext )?{_V}",
        rf"\b(?:password|secret|key|auth-pass|priv-pass|secret-key) (?:plaintext|ciphertext) {_V}",
        rf"\bauth (?:md5|sha) {_V}",
        rf"\bpriv (?:des|aes(?: \d+)?) {_V}",
        rf"\bkey-string (?:\d )?{_V}",
        rf"\bserver-key (?:\d )?{_V}",
        rf"\bpre-shared-key .*\bkey (?:\d )?{_V}",
        rf"\bcrypto isakmp key (?:\d )?{_V}",
        rf"\bwpa-(?:passphrase|psk \S+) (?:\d )?{_V}",
        rf"\bmessage-digest-key \d+ md5 (?:\d )?{_V}",
        rf"\bntp authentication-key \d+ \S+ (?:plaintext |ciphertext )?{_V}",
        rf"\bneighbor \S+ password (?:\d )?{_V}",
        rf"\bppp .*\bpassword (?:\d )?{_V}",
        r"\b(?:md5|sha1) (?:\d )?(?P<v>[0-9A-Fa-f]{16,})\b",
        r"(?P<v>\$[0-9a-z]+\$\S+)",
    )
]
_NOT_A_VALUE = {R, "auth-pass", "priv-pass", "plaintext", "ciphertext", "encryption"}
_NOT_A_VALUE |= {"trap", "traps", "inform", "informs", "version", "vrf"}  # host line keywords


def _leaks(text: str) -> list[str]:
    """Lines where a secret-bearing keyword is followed by a value that is not ``<redacted>``."""
    found = []
    for line in text.splitlines():
        for pattern in _SECRET_LINES:
            for match in pattern.finditer(line):
                value = match["v"].strip('"')
                if value in _NOT_A_VALUE or value.lower() in {"public", "private"}:
                    continue
                if "snmp-server host" in line and (" version 3 " in line or " v3 " in line):
                    continue
                found.append(line.strip())
    return found


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in {".cfg", ".txt"})


def test_the_sweep_finds_the_secrets_of_the_unredacted_corpus() -> None:
    """The sweep below can fail: on the configs as published it finds many secrets."""
    files = _corpus()
    if not files:
        pytest.skip("no real-world corpus yet (tests/fixtures/real-world/)")
    raw = [leak for path in files for leak in _leaks(path.read_text(errors="replace"))]
    assert len(raw) >= 20, raw


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_no_secret_survives_redaction_in_the_real_world_corpus(path: Path) -> None:
    text = path.read_text(errors="replace")
    shown = redact(text)
    assert _leaks(shown) == []
    assert len(shown.splitlines()) == len(text.splitlines())


@pytest.mark.parametrize(("form", "section", "line"), FORMS, ids=[f[0] for f in FORMS])
def test_the_cheap_pre_test_never_skips_a_secret(form: str, section: str, line: str) -> None:
    """Callers may skip redact() when may_hold_secret() is False: never for a secret line."""
    assert may_hold_secret(line.format(**_planted(form)))


def test_a_finding_detail_never_carries_a_secret() -> None:
    """Results JSON is written from findings: a collector error quoting a line is redacted."""
    from matops.scan.model import Finding, Severity, Status

    quoted = (
        "could not collect facts: Found a duplicate section: ('snmp-server community Pl4nt RO',)"
    )
    finding = Finding(
        check="c", title="t", area="network", target="sw", subject="target",
        kind="switch", school="s", status=Status.ERROR, severity=Severity.HIGH, detail=quoted,
    )  # fmt: skip
    assert "Pl4nt" not in finding.model_dump_json()
    assert finding.detail.endswith("('snmp-server community <redacted> RO',)")


def test_messages_that_quote_a_config_line_are_redacted_where_they_are_kept() -> None:
    """A push result's message and a skipped check's reason may quote an exception that quotes
    a config line (as a finding's detail may): each is redacted when it is made."""
    from matops.network.push import Outcome, PushResult
    from matops.report.templates import clean
    from matops.scan.model import Skipped

    quoted = "oak-sw01: ValueError: duplicate line 'snmp-server community Pl4nted9 RO'"
    result = PushResult("oak-sw01", "oak", Outcome.ERROR, quoted)
    skipped = Skipped(check="switch_snmp_v3_only", target="oak-sw01", school="oak", reason=quoted)
    for text in (result.message, skipped.reason, clean(quoted)):
        assert "Pl4nted9" not in text
        assert REDACTED in text
    assert PushResult("a", "b", Outcome.ERROR, "timed out").message == "timed out"


@pytest.mark.parametrize("at", [20, 24, 25, 26, 40])
def test_evidence_redacts_a_key_that_runs_past_the_excerpt(at: int) -> None:
    """Evidence redacts only the lines an excerpt can show, except a private key begun there
    and ended later, which is redacted whole first (a cut key would escape the PEM rule)."""
    body = ["MIIEv" + _value(f"pem{i}") for i in range(10)]
    pem = ["-----BEGIN OPENSSH PRIVATE KEY-----", *body, "-----END OPENSSH PRIVATE KEY-----"]
    lines = [f"line {i}" for i in range(at)] + pem + [f"after {i}" for i in range(30)]
    excerpt = make_evidence("test", "\n".join(lines)).excerpt
    assert not any(b in excerpt for b in body), excerpt
    assert excerpt.endswith("\n…")


def test_evidence_excerpt_is_the_redacted_text_shortened() -> None:
    """Redacting the head alone shows what redacting everything and then shortening showed."""
    lines = [f"username u{i} secret 9 $9$abc{i}$def" for i in range(60)]
    text = "\n".join(lines)
    assert make_evidence("test", text).excerpt == _shorten(redact_text(text))
    assert make_evidence("test", "\n".join(lines[:25])).excerpt == redact_text(
        "\n".join(lines[:25])
    )
