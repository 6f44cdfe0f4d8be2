"""40-line switch baselines used by the simulator tests on loopback and on the lab.

Secrets are pushed already hashed or encrypted, as the product's templates do; the plaintext
values here are fictional test values.
"""

from __future__ import annotations

from switchsim.passwords import aoscx_ciphertext, type7_encode, type9_hash

# The same school on both platforms: one login banner, one set of VLANs.
_BANNER_AND_VLANS = [
    "banner motd ^",
    "Authorised access only. Activity is monitored.",
    "^",
    "vlan 10",
    "name STAFF",
    "vlan 20",
    "name STUDENTS",
    "vlan 30",
    "name VOICE",
    "vlan 99",
    "name MANAGEMENT",
]

IOS_BASELINE = [
    "hostname SCH-SW1",
    f"username netadmin privilege 15 secret 9 {type9_hash('NetAdmin-1', 'abcdefghijklmn')}",
    "aaa new-model",
    "radius server RAD1",
    "address ipv4 198.18.0.10 auth-port 1812 acct-port 1813",
    f"key 7 {type7_encode('RadiusKey-1')}",
    "aaa group server radius RADIUS-SERVERS",
    "server name RAD1",
    "aaa authentication login default group RADIUS-SERVERS local",
    "aaa authorization exec default group RADIUS-SERVERS local",
    "ip ssh version 2",
    "ip ssh time-out 60",
    "no ip http server",
    "snmp-server group MONITOR v3 priv",
    "snmp-server user monitor MONITOR v3 auth sha AuthPass-1 priv aes 128 PrivPass-1",
    "ntp server 198.18.0.2",
    "logging host 198.18.0.3",
    "logging trap informational",
    *_BANNER_AND_VLANS,
    "interface GigabitEthernet1/0/1",
    "description Staff PC",
    "switchport access vlan 10",
    "switchport mode access",
    "spanning-tree portfast",
    "interface GigabitEthernet1/0/2",
    "description Classroom PC",
    "switchport access vlan 20",
    "switchport mode access",
    "interface GigabitEthernet1/1/1",
    "description Uplink to core",
    "switchport trunk native vlan 99",
    "switchport trunk allowed vlan 10,20,30,99",
    "switchport mode trunk",
    "line vty 0 4",
    "exec-timeout 10 0",
    "transport input ssh",
    "line vty 5 31",
    "exec-timeout 10 0",
    "transport input ssh",
]
# Lines a real IOS does not show back verbatim: the banner delimiters (shown as ^C) and
# SNMPv3 users (kept out of the running config; `show snmp user` lists them).
IOS_NOT_SHOWN = {"^", "banner motd ^", IOS_BASELINE[14]}

AOSCX_BASELINE = [
    "hostname SCH-CX1",
    f"user netadmin group administrators password ciphertext {aoscx_ciphertext('NetAdmin-1')}",
    f"radius-server host 198.18.0.10 key ciphertext {aoscx_ciphertext('RadiusKey-1')} vrf default",
    "aaa group server radius RADIUS-SERVERS",
    "server 198.18.0.10 vrf default",
    "aaa authentication login default group RADIUS-SERVERS local",
    "aaa accounting all-mgmt default start-stop group RADIUS-SERVERS",
    "ssh server vrf default",
    "ssh maximum-auth-attempts 3",
    "snmp-server vrf default",
    f"snmpv3 user monitor auth sha auth-pass ciphertext {aoscx_ciphertext('a')} priv aes "
    f"priv-pass ciphertext {aoscx_ciphertext('p')}",
    "ntp server 198.18.0.2 iburst",
    "logging 198.18.0.3 vrf default",
    *_BANNER_AND_VLANS,
    "interface 1/1/1",
    "description Staff PC",
    "no shutdown",
    "vlan access 10",
    "interface 1/1/2",
    "description Classroom PC",
    "no shutdown",
    "vlan access 20",
    "interface 1/1/49",
    "description Uplink to core",
    "no shutdown",
    "vlan trunk native 99",
    "vlan trunk allowed 10,20,30,99",
    "cli-session",
    "timeout 10",
    "ntp enable",
]
AOSCX_NOT_SHOWN = {"^", "banner motd ^"}


def for_ports(baseline: list[str], ports: dict[str, str]) -> list[str]:
    """The baseline with its example interface names replaced (``{"1/1/1": "1/1/5"}``)."""
    result = []
    for line in baseline:
        if line.startswith("interface "):
            name = line.removeprefix("interface ")
            line = f"interface {ports.get(name, name)}"
        result.append(line)
    return result
