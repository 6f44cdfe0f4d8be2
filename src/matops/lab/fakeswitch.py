"""Launch fake-switches 1.5.0 (a third-party simulator) as an alternative ``cisco_ios`` backend.

fake-switches models VLANs and interfaces only, which makes it a useful independent
cross-check of VLAN and interface pushes. Its own launcher has two gaps that break netmiko,
so this one builds the switch core itself:

- the enable password is passed as bytes and compared with typed text, so ``enable`` with
  the real secret always fails: the core here gets it as text;
- configuration mode has no ``end``, so netmiko's ``send_config_set`` cannot leave it: the
  configuration processor here adds ``end`` (also reached from interface and VLAN modes,
  which fall back to their parent for commands they do not know).

It also serves the host key given on the command line (generated when missing) instead of
the key hard-coded in fake-switches. Install (its Twisted<17 pin does not build on 3.11)::

    pip install --no-deps fake-switches==1.5.0
    pip install 'twisted[conch]' tftpy netaddr lxml pyasn1

Example::

    python -m matops.lab.fakeswitch --listen 127.0.0.1 --port 2022 --hostname sw1 \
        --host-key /tmp/sw1.key --username admin --password-file /tmp/pw
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from fake_switches.cisco.cisco_core import (
    Cisco2960_24TT_L_SwitchCore,
    Cisco2960_48TT_L_SwitchCore,
    CiscoSwitchCore,
)
from fake_switches.cisco.command_processor.config import ConfigCommandProcessor
from fake_switches.cisco.command_processor.config_interface import ConfigInterfaceCommandProcessor
from fake_switches.cisco.command_processor.config_vlan import ConfigVlanCommandProcessor
from fake_switches.cisco.command_processor.config_vrf import ConfigVRFCommandProcessor
from fake_switches.cisco.command_processor.enabled import EnabledCommandProcessor
from fake_switches.switch_configuration import SwitchConfiguration
from fake_switches.transports.ssh_service import SSHDemoRealm
from twisted.conch.ssh import factory, keys
from twisted.cred import checkers, portal
from twisted.internet import reactor

from switchsim.server import load_host_key

MODELS: dict[str, Any] = {
    "cisco_generic": CiscoSwitchCore,
    "cisco_2960_24TT_L": Cisco2960_24TT_L_SwitchCore,
    "cisco_2960_48TT_L": Cisco2960_48TT_L_SwitchCore,
}


class ConfigWithEnd(ConfigCommandProcessor):  # type: ignore[misc]
    """fake-switches' configuration processor plus ``end`` (leave configuration mode)."""

    def do_end(self, *_: str) -> None:
        """``end``: same effect as ``exit`` from the top of configuration mode."""
        self.sub_processor = None
        self.is_done = True


def core_class(model: str) -> Any:
    """A switch-core class for ``model`` whose configuration mode understands ``end``."""

    base = MODELS[model]

    def new_command_processor(self: Any) -> Any:
        """fake-switches' own processor tree, with :class:`ConfigWithEnd` for config mode."""
        return EnabledCommandProcessor(
            config=ConfigWithEnd(
                config_vlan=ConfigVlanCommandProcessor(),
                config_vrf=ConfigVRFCommandProcessor(),
                config_interface=ConfigInterfaceCommandProcessor(),
            )
        )

    return type(f"Matops{base.__name__}", (base,), {"new_command_processor": new_command_processor})


def build_core(model: str, hostname: str, password: str) -> Any:
    """The switch core, with the enable secret as text (what the CLI compares it with)."""
    cls = core_class(model)
    configuration = SwitchConfiguration(
        "127.0.0.1",
        name=hostname,
        privileged_passwords=[password],
        ports=cls.get_default_ports(),
    )
    return cls(configuration)


def ssh_factory(core: Any, host_key: Path, username: str, password: str) -> Any:
    """A Twisted Conch SSH factory serving ``core`` with our host key and credentials."""
    load_host_key(host_key)  # generates the key (OpenSSH format) when missing
    private = keys.Key.fromFile(str(host_key))  # type: ignore[no-untyped-call]
    public = private.public()
    ssh: Any = factory.SSHFactory()
    ssh.portal = portal.Portal(SSHDemoRealm(core))
    checker = checkers.InMemoryUsernamePasswordDatabaseDontUse(**{username: password.encode()})
    ssh.portal.registerChecker(checker)
    ssh.publicKeys = {public.sshType(): public}
    ssh.privateKeys = {private.sshType(): private}
    return ssh


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m matops.lab.fakeswitch", description=__doc__)
    parser.add_argument("--listen", required=True)
    parser.add_argument("--port", type=int, default=22)
    parser.add_argument("--hostname", required=True)
    parser.add_argument("--host-key", type=Path, required=True, help="generated when missing")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument(
        "--state-dir", type=Path, help="accepted like switchsim's; fake-switches keeps no state"
    )
    parser.add_argument("--model", choices=sorted(MODELS), default="cisco_2960_24TT_L")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve one fake-switches Cisco switch over SSH until terminated."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    password = args.password_file.read_text(encoding="utf-8").rstrip("\r\n")
    core = build_core(args.model, args.hostname, password)
    ssh = ssh_factory(core, args.host_key, args.username, password)
    loop: Any = reactor
    loop.listenTCP(args.port, ssh, interface=args.listen)
    print(f"fakeswitch {args.hostname} listening on {args.listen}:{args.port}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
