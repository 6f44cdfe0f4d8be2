"""Simulated managed switches (Cisco IOS, HPE Aruba AOS-CX) that netmiko drives over SSH.

A package of its own beside ``matops`` (installed with the ``lab`` extra): it imports nothing
from matops, and matops starts it only from its lab layer (``matops.lab``) as a process
(``tests/switchsim/test_switchsim_imports.py`` enforces both directions).

Run one switch::

    python -m switchsim --platform cisco_ios|aruba_aoscx --hostname NAME \\
        --model MODEL --listen ADDR --port PORT --host-key PATH --state-dir DIR \\
        --username admin --password-file PATH

The host key is generated (Ed25519, plus ``PATH.pub``) when missing. Password and
keyboard-interactive logins check the password file; the IOS enable secret is the same
password. The process prints ``switchsim ... listening on ADDR:PORT`` once it accepts
connections and stops cleanly on SIGTERM.

State: the running config lives in memory; ``write memory`` / ``copy running-config
startup-config`` writes ``DIR/startup-config``, loaded at the next start. Without it the
switch boots a factory-style config with insecure defaults (IOS: telnet on the VTYs, HTTP
server, SNMP v2c ``public``/``private``, a type 7 local user; AOS-CX: SNMP v2c ``public``,
HTTPS server; both: every port in VLAN 1, no banner, NTP or syslog).

Fault injection: each regex line of ``DIR/reject-lines`` makes matching config lines fail
with ``% Invalid input detected at '^' marker.`` (read on every line, so tests may create it
while the switch runs).

Behaviour worth knowing (as on the real devices):

- config mode accepts any line; an unindented line stays in the current sub-mode only if it
  belongs there, otherwise it falls back to global config, as IOS does; indented lines
  attach to the section above them, known or not;
- lines replace their counterparts (``hostname``, ``description``, ``switchport access vlan``,
  ``transport input`` …), ``no X`` removes X (``no ip http server`` and friends are shown);
- IOS stores ``secret`` passwords as type 9 and, with ``service password-encryption``,
  passwords and RADIUS keys as type 7; AOS-CX turns ``plaintext`` into ``ciphertext``;
  IOS never shows ``snmp-server user`` lines (``show snmp user`` does);
- after a push that changes the hostname, netmiko needs ``set_base_prompt()``;
- on AOS-CX, netmiko's driver does not send ``end`` when a push finishes inside a
  sub-context; ``show``, ``write memory`` and ``copy`` work from any context, as on AOS-CX.

Modules: ``config_tree`` (pure config model), ``syntax``/``ios_syntax``/``aoscx_syntax``
(each configuration language as data), ``configmode`` and ``cli`` (the terminal state
machine), ``ios_cli``/``aoscx_cli`` and ``show_*`` (commands, prompts, outputs),
``hardware``/``defaults`` (models, factory configs), ``device`` (running/startup state),
``server`` (asyncssh glue).
"""
