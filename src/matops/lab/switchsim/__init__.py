"""Simulated managed switches (Cisco IOS, HPE Aruba AOS-CX) that netmiko drives over SSH.

Run one with ``python -m matops.lab.switchsim --platform cisco_ios ...`` (see ``__main__``).
The pieces: ``config_tree`` (pure config model), ``syntax``/``ios_syntax``/``aoscx_syntax``
(what each language looks like), ``configmode`` and ``cli`` (the terminal state machine),
``ios_cli``/``aoscx_cli`` (commands and prompts), ``device`` (running/startup state),
``server`` (asyncssh glue).
"""
