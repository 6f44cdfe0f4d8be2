"""SSH server glue: asyncssh in front of the transport-independent CLI :class:`Session`.

Password and keyboard-interactive authentication check the lab password; an interactive
shell gets the switch CLI, and an exec request (``ssh sw1 "show version"``) runs one command
at the user's login privilege, as IOS does.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Sequence
from pathlib import Path

import asyncssh

from switchsim.aoscx_cli import AoscxDialect
from switchsim.cli import Dialect, Session
from switchsim.device import Device
from switchsim.ios_cli import IosDialect

log = logging.getLogger(__name__)


def dialect_for(platform: str) -> Dialect:
    """The CLI dialect of ``platform`` (``cisco_ios`` or ``aruba_aoscx``)."""
    dialects: dict[str, type[Dialect]] = {"cisco_ios": IosDialect, "aruba_aoscx": AoscxDialect}
    if platform not in dialects:
        raise ValueError(f"unknown platform {platform!r}; choose one of {sorted(dialects)}")
    return dialects[platform]()


def load_host_key(path: Path) -> asyncssh.SSHKey:
    """Read the host key at ``path``, generating an Ed25519 key (and ``.pub``) if missing.

    Example: ``load_host_key(Path("/tmp/sw1.key")).export_public_key()``.
    """
    if path.exists():
        return asyncssh.read_private_key(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519", comment=path.stem)
    key.write_private_key(str(path))
    path.chmod(0o600)
    key.write_public_key(str(path) + ".pub")
    return key


class _ShellSession(asyncssh.SSHServerSession[str]):
    """One SSH channel: feeds typed data to the CLI and writes back its output."""

    def __init__(self, device: Device) -> None:
        self._device = device
        self._chan: asyncssh.SSHServerChannel[str] | None = None
        self._cli: Session | None = None
        self._command: str | None = None

    def connection_made(self, chan: asyncssh.SSHServerChannel[str]) -> None:
        """Remember the channel."""
        self._chan = chan

    def pty_requested(self, term_type: str, term_size: object, term_modes: object) -> bool:
        """Accept a terminal (netmiko asks for ``vt100``)."""
        return True

    def shell_requested(self) -> bool:
        """Accept an interactive shell."""
        return True

    def exec_requested(self, command: str) -> bool:
        """Accept a one-shot command."""
        self._command = command
        return True

    def session_started(self) -> None:
        """Show the banner and prompt, or run the one-shot command."""
        assert self._chan is not None
        username = str(self._chan.get_extra_info("username") or "")
        self._cli = Session(self._device, dialect_for(self._device.spec.platform), username)
        if self._command is None:
            self._chan.write(self._cli.greeting())
            return
        output = self._cli.run_exec(self._command)
        self._chan.write("".join(line + "\r\n" for line in output))
        self._chan.exit(0)

    def data_received(self, data: str, datatype: int | None) -> None:
        """Feed keystrokes to the CLI; close the channel when the CLI logs out."""
        if self._cli is None or self._chan is None:
            return
        try:
            self._chan.write(self._cli.feed(data))
        except Exception:  # keep serving: log the simulator bug, answer like a device
            log.exception("switchsim: failed on input %r", data)
            self._chan.write("\r\n% Internal error\r\n" + self._cli.prompt())
        if self._cli.closed:
            self._chan.exit(0)

    def eof_received(self) -> bool:
        """Client sent EOF: close the channel."""
        return False


class _SwitchServer(asyncssh.SSHServer):
    """Authentication against the lab credentials; one shell session per channel."""

    def __init__(self, device: Device) -> None:
        self._device = device

    def begin_auth(self, username: str) -> bool:
        """Authentication is always required."""
        return True

    def password_auth_supported(self) -> bool:
        """Password authentication is offered."""
        return True

    def validate_password(self, username: str, password: str) -> bool:
        """Check the username and password (constant time)."""
        spec = self._device.spec
        same_user = hmac.compare_digest(username.encode(), spec.username.encode())
        same_password = hmac.compare_digest(password.encode(), spec.password.encode())
        return same_user and same_password

    def kbdint_auth_supported(self) -> bool:
        """Keyboard-interactive authentication is offered too."""
        return True

    def get_kbdint_challenge(
        self, username: str, lang: str, submethods: str
    ) -> tuple[str, str, str, list[tuple[str, bool]]]:
        """Ask for the password once."""
        return "", "", "", [("Password: ", False)]

    def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> bool:
        """Check the keyboard-interactive answer like a password."""
        return len(responses) == 1 and self.validate_password(username, responses[0])

    def session_requested(self) -> _ShellSession:
        """A new channel: a new CLI session on the shared device."""
        return _ShellSession(self._device)


async def serve(device: Device, host: str, port: int, host_key: Path) -> asyncssh.SSHAcceptor:
    """Start listening; returns the acceptor (close it to stop)."""
    key = load_host_key(host_key)
    return await asyncssh.create_server(
        lambda: _SwitchServer(device),
        host,
        port,
        server_host_keys=[key],
        line_editor=False,
        encoding="utf-8",
        errors="replace",
        reuse_address=True,
        login_timeout=30,
    )


async def run_forever(device: Device, host: str, port: int, host_key: Path) -> None:
    """Serve until cancelled (SIGTERM/SIGINT handled by the caller)."""
    acceptor = await serve(device, host, port, host_key)
    print(f"switchsim {device.spec.platform} {device.hostname} listening on {host}:{port}",
          flush=True)  # fmt: skip
    try:
        await asyncio.Event().wait()
    finally:
        acceptor.close()
        await acceptor.wait_closed()
