"""Cisco IOS exec commands and prompts (netmiko device_type ``cisco_ios``)."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from switchsim import lldp, show_ios
from switchsim.cli import Command, Dialect, Handler, Session
from switchsim.configmode import ConfigMode
from switchsim.device import Device
from switchsim.ifnames import InvalidInputError, ios_interface
from switchsim.views import section_lines


def _enable(session: Session, args: list[str]) -> list[str]:
    """``enable``: ask for the enable secret (the lab password), three tries."""
    if session.level == 15:
        return []
    attempts = [0]

    def check(line: str) -> list[str]:
        """Compare the typed secret; ask again up to three times."""
        session.echo = True
        if hmac.compare_digest(line.encode(), session.device.spec.password.encode()):
            session.level = 15
            return []
        attempts[0] += 1
        if attempts[0] >= 3:
            return ["% Bad secrets", ""]
        session.echo, session.reader, session.next_prompt = False, check, "Password: "
        return []

    session.echo, session.reader, session.next_prompt = False, check, "Password: "
    return []


def _disable(session: Session, args: list[str]) -> list[str]:
    """``disable``: back to user EXEC."""
    session.level = 1
    return []


def _logout(session: Session, args: list[str]) -> list[str]:
    """``exit``/``logout``: close the session."""
    session.closed = True
    return []


def _nothing(session: Session, args: list[str]) -> list[str]:
    """Commands accepted silently (``terminal length 0``, ``terminal width 511``)."""
    return []


def _configure(session: Session, args: list[str]) -> list[str]:
    """``configure terminal``."""
    session.config = ConfigMode(session.device, session.username)
    return ["Enter configuration commands, one per line.  End with CNTL/Z."]


def _running(session: Session, args: list[str]) -> list[str]:
    """``show running-config [interface NAME]``."""
    device = session.device
    if args[:1] and "interface".startswith(args[0].lower()) and len(args) > 1:
        name = ios_interface(device.hw, "".join(args[1:]))
        node = device.running.child(f"interface {name}")
        if node is None:
            raise InvalidInputError(" ".join(args))
        body = section_lines(device, node)
    elif args:
        raise InvalidInputError(" ".join(args), column=len("show running-config "))
    else:
        body = device.syntax.render(device.running, show=True)
    return [*show_ios.config_header(device, body), *body, "end", ""]


def _startup(session: Session, args: list[str]) -> list[str]:
    """``show startup-config``."""
    device = session.device
    startup = device.startup()
    if startup is None:
        return ["startup-config is not present"]
    body = device.syntax.render(startup, show=True)
    size = sum(len(line) + 1 for line in body)
    return [f"Using {size} out of 524288 bytes", "!", *body, "end", ""]


def _write(session: Session, args: list[str]) -> list[str]:
    """``write memory``."""
    session.device.save()
    return ["Building configuration...", "[OK]"]


def _copy_run_start(session: Session, args: list[str]) -> list[str]:
    """``copy running-config startup-config``: confirm the destination, then save."""

    def confirm(line: str) -> list[str]:
        """Accept the default destination and save."""
        if line.strip() not in {"", "startup-config"}:
            return ["%Error opening " + line.strip() + " (Invalid argument)"]
        session.device.save()
        return ["Building configuration...", "[OK]"]

    session.reader, session.next_prompt = confirm, "Destination filename [startup-config]? "
    return []


def _reload(session: Session, args: list[str]) -> list[str]:
    """``reload``: after confirmation the switch restarts from its startup config."""

    def confirm(line: str) -> list[str]:
        """Reload on Enter or yes."""
        if line.strip().lower() in {"", "y", "yes"}:
            session.device.reload()
            session.closed = True
        return []

    session.reader, session.next_prompt = confirm, "Proceed with reload? [confirm]"
    return []


def _snmp_users(session: Session, args: list[str]) -> list[str]:
    """``show snmp user``: SNMPv3 users, which IOS hides from the running config."""
    out: list[str] = []
    for node in session.device.running.children:
        words = node.text.split()
        if node.text.startswith("snmp-server user ") and len(words) > 3:
            auth = "SHA" if " sha " in node.text else "MD5" if " md5 " in node.text else "None"
            priv = "AES128" if " aes " in node.text else "DES" if " des " in node.text else "None"
            out += [f"User name: {words[2]}", "Engine ID: 800000090300" + "00" * 6,
                    "storage-type: nonvolatile\t active", f"Authentication Protocol: {auth}",
                    f"Privacy Protocol: {priv}", f"Group-name: {words[3]}", ""]  # fmt: skip
    return out


def _ip_ssh(session: Session, args: list[str]) -> list[str]:
    """``show ip ssh``."""
    texts = {node.text for node in session.device.running.children}
    version = "2.0" if "ip ssh version 2" in texts else "1.99"
    return [f"SSH Enabled - version {version}", "Authentication timeout: 120 secs; "
            "Authentication retries: 3"]  # fmt: skip


def _show(render: Callable[[Device], list[str]]) -> Handler:
    """Adapt a ``show_ios`` function taking a device to a command handler."""

    def run(session: Session, args: list[str]) -> list[str]:
        """Render for the session's device."""
        return render(session.device)

    return run


class IosDialect(Dialect):
    """Cisco IOS prompts (``sw1>``, ``sw1#``, ``sw1(config-if)#``) and commands."""

    commands = (
        Command(("enable",), _enable, level=1),
        Command(("disable",), _disable, level=1),
        Command(("exit",), _logout, level=1),
        Command(("logout",), _logout, level=1),
        Command(("quit",), _logout, level=1),
        Command(("terminal",), _nothing, level=1, args=True),
        Command(("configure", "terminal"), _configure),
        Command(("show", "running-config"), _running, args=True),
        Command(("show", "startup-config"), _startup),
        Command(("show", "version"), _show(show_ios.show_version), level=1),
        Command(("show", "inventory"), _show(show_ios.show_inventory), level=1),
        Command(("show", "clock"), _show(show_ios.show_clock), level=1),
        Command(("show", "interfaces", "status"), _show(show_ios.show_interfaces_status), level=1),
        Command(
            ("show", "ip", "interface", "brief"), _show(show_ios.show_ip_interface_brief), level=1
        ),
        Command(("show", "vlan", "brief"), _show(show_ios.show_vlan_brief), level=1),
        Command(("show", "lldp", "neighbors", "detail"), _show(lldp.show_ios), level=1),
        Command(("show", "snmp", "user"), _snmp_users),
        Command(("show", "ip", "ssh"), _ip_ssh),
        Command(("write",), _write),
        Command(("write", "memory"), _write),
        Command(("copy", "running-config", "startup-config"), _copy_run_start),
        Command(("reload",), _reload),
    )

    def prompt(self, hostname: str, level: int, mode: str | None) -> str:
        """``host>`` / ``host#`` / ``host(config-if)#``."""
        if mode is not None:
            return f"{hostname}({mode})#"
        return f"{hostname}{'#' if level >= 15 else '>'}"

    def greeting(self, session: Session) -> list[str]:
        """The MOTD banner, if configured."""
        node = session.device.running.child("banner motd")
        if node is None or node.body is None:
            return []
        return ["", *node.body.strip("\n").split("\n"), ""]
