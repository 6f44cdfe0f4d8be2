"""HPE Aruba AOS-CX exec commands and prompts (netmiko device_type ``aruba_aoscx``).

An administrator lands in the manager context (``sw1# ``). ``show``, ``write memory`` and
``copy running-config startup-config`` also work inside configuration contexts, and
``configure terminal`` from a sub-context returns to ``(config)``; netmiko's driver relies
on both after a push that ends inside an interface context.
"""

from __future__ import annotations

from collections.abc import Callable

from switchsim import lldp, show_aoscx
from switchsim.cli import Command, Dialect, Handler, Session
from switchsim.configmode import ConfigMode
from switchsim.device import Device


def _logout(session: Session, args: list[str]) -> list[str]:
    """``exit`` in the manager context closes the session."""
    session.closed = True
    return []


def _nothing(session: Session, args: list[str]) -> list[str]:
    """Accepted silently (``no page``, ``page``, ``end`` outside configuration)."""
    return []


def _configure(session: Session, args: list[str]) -> list[str]:
    """``configure terminal`` (from any context)."""
    session.config = ConfigMode(session.device, session.username)
    return []


def _running(session: Session, args: list[str]) -> list[str]:
    """``show running-config``."""
    device = session.device
    return show_aoscx.config_lines(device, device.syntax.render(device.running, show=True))


def _startup(session: Session, args: list[str]) -> list[str]:
    """``show startup-config``."""
    startup = session.device.startup()
    if startup is None:
        return ["No startup-config present"]
    body = session.device.syntax.render(startup, show=True)
    return ["Startup configuration:", *show_aoscx.config_lines(session.device, body)[1:]]


def _write(session: Session, args: list[str]) -> list[str]:
    """``write memory`` / ``copy running-config startup-config``."""
    session.device.save()
    return ["Copying configuration: [Success]"]


def _show(render: Callable[[Device], list[str]]) -> Handler:
    """Adapt a ``show_aoscx`` function taking a device to a command handler."""

    def run(session: Session, args: list[str]) -> list[str]:
        """Render for the session's device."""
        return render(session.device)

    return run


def _everywhere(words: tuple[str, ...], run: Handler, args: bool = False) -> Command:
    """A command available in the manager context and in every configuration context."""
    return Command(words, run, args=args, in_config=True)


class AoscxDialect(Dialect):
    """AOS-CX prompts (``sw1# ``, ``sw1(config-if)# ``) and commands."""

    banner_any_position = False
    commands = (
        Command(("exit",), _logout, level=1),
        Command(("end",), _nothing, level=1),
        Command(("no", "page"), _nothing, level=1),
        Command(("page",), _nothing, level=1),
        _everywhere(("configure",), _configure),
        _everywhere(("configure", "terminal"), _configure),
        _everywhere(("show", "running-config"), _running),
        _everywhere(("show", "startup-config"), _startup),
        _everywhere(("show", "version"), _show(show_aoscx.show_version)),
        _everywhere(("show", "system"), _show(show_aoscx.show_system)),
        _everywhere(("show", "vlan"), _show(show_aoscx.show_vlan)),
        _everywhere(("show", "interface", "brief"), _show(show_aoscx.show_interface_brief)),
        _everywhere(("show", "lldp", "neighbor-info", "detail"), _show(lldp.show_aoscx)),
        _everywhere(("write", "memory"), _write),
        _everywhere(("copy", "running-config", "startup-config"), _write),
    )

    def prompt(self, hostname: str, level: int, mode: str | None) -> str:
        """``host# `` or ``host(config-if)# ``."""
        if mode is not None:
            return f"{hostname}({mode})# "
        return f"{hostname}{'#' if level >= 15 else '>'} "

    def invalid(self, line: str, column: int, prompt: str) -> list[str]:
        """AOS-CX names the first word it did not understand."""
        word = line[column:].split()[:1] or [line.strip()]
        return [f"Invalid input: {word[0]}"]

    def banner_intro(self, delim: str) -> list[str]:
        """AOS-CX ends a banner with a line holding only the delimiter."""
        return [
            "Enter a new banner, when you are done enter a new line containing only your "
            "chosen delimiter."
        ]

    def greeting(self, session: Session) -> list[str]:
        """The MOTD banner, if configured."""
        node = session.device.running.child("banner motd")
        if node is None or node.body is None:
            return []
        return [*node.body.strip("\n").split("\n"), ""]
