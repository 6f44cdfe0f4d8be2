"""Why a target could not be reached, as a sentence a technician can act on.

Two sources are read: the OpenSSH client's stderr (Linux hosts are reached with ``ssh``
through testinfra, which raises ``RuntimeError(CommandResult)`` when ssh exits 255) and the
exceptions paramiko, netmiko and the socket layer raise (switches). Never a Python repr: the
words come from a fixed list, with at most the first line of the tool's own message appended.
"""

from __future__ import annotations

import re
import socket

from paramiko.ssh_exception import (
    AuthenticationException,
    BadHostKeyException,
    NoValidConnectionsError,
    SSHException,
)

UNKNOWN_HOST_KEY = "host key is not in known_hosts"
"""The start of every reason given for a host whose key is not known."""


_SSH_MESSAGES: tuple[tuple[str, str], ...] = (
    # (pattern in OpenSSH's stderr, what it means); first match wins.
    (r"REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed",
     "the host key does not match known_hosts"),
    (r"host key is known for|Host key verification failed", UNKNOWN_HOST_KEY),
    (r"Could not resolve hostname", "the name does not resolve"),
    (r"Connection refused", "connection refused (is sshd running and listening?)"),
    (r"Connection timed out|timed out during banner exchange", "connection timed out"),
    (r"No route to host|Network is unreachable", "no route to the host"),
    (r"Permission denied \(", "authentication failed"),
    (r"Too many authentication failures", "authentication failed"),
    (r"Connection (closed|reset) by|kex_exchange_identification", "the host closed the connection"),
    (r"Can't open user config file|Bad configuration option|Unsupported option",
     "the ssh_config is unusable"),
    (r"too long for Unix domain socket", "the SSH control socket path is too long"),
)  # fmt: skip


def host_key_fix(host: str, known_hosts: str | None = None, port: int = 22) -> str:
    """How to make an unknown host key known: which file, which command.

    >>> host_key_fix("10.1.2.3", "/t/known_hosts")
    'add it to /t/known_hosts once its fingerprint is confirmed: ssh-keyscan -p 22 10.1.2.3 >> /t/known_hosts (a lab target: run with --lab)'
    """  # noqa: E501
    where = known_hosts or "the UserKnownHostsFile of your ssh_config"
    command = f"ssh-keyscan -p {port} {host} >> {known_hosts or 'that file'}"
    return (
        f"add it to {where} once its fingerprint is confirmed: {command} "
        "(a lab target: run with --lab)"
    )


def _ssh_fix(line: str) -> str:
    """The fix for OpenSSH's "No ... host key is known for HOST" (``[addr]:port`` or a name)."""
    named = re.search(r"(?:key is known for|key for) (?:\[([^\]]+)\]:(\d+)|(\S+))", line)
    if named is None:
        return host_key_fix("HOST")
    host = named[1] or named[3]
    return host_key_fix(host, port=int(named[2]) if named[2] else 22)


_PYINFRA_NO_KEY = re.compile(r"No host key for (\S+) found in known_hosts")


def pyinfra_reason(message: str, known_hosts: str | None = None) -> str:
    """What pyinfra's connect failure ("SSH error (...)", "Could not connect (...)") says went
    wrong; an unknown host key comes with the known_hosts file and the fix.

    >>> pyinfra_reason("SSH error (StrictPolicy: No host key for 198.18.10.11 found in "
    ...                "known_hosts)", "/lab/known_hosts").split(";")[0]
    'host key is not in known_hosts: No host key for 198.18.10.11 found in known_hosts'
    >>> pyinfra_reason("Could not connect ([Errno 111] Connection refused)")
    'could not connect: Could not connect ([Errno 111] Connection refused)'
    """
    text = _first_line(message)
    unknown = _PYINFRA_NO_KEY.search(text)
    if unknown is not None:
        return f"{UNKNOWN_HOST_KEY}: {unknown[0]}; {host_key_fix(unknown[1], known_hosts)}"
    return f"could not connect: {text}" if text else "could not connect (no reason given)"


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:200]


def ssh_reason(stderr: str) -> str:
    """What the OpenSSH client's stderr says went wrong.

    >>> ssh_reason("ssh: connect to host 198.18.10.11 port 22: No route to host\\r\\n")
    'no route to the host: ssh: connect to host 198.18.10.11 port 22: No route to host'
    >>> ssh_reason("")
    'ssh failed with no message'
    """
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip() and not ln.startswith("@")]
    naming = next((ln for ln in lines if re.search(r"[Hh]ost key (?:is known )?for ", ln)), None)
    for pattern, meaning in _SSH_MESSAGES:
        matching = next((ln for ln in lines if re.search(pattern, ln)), None)
        if matching is None:
            continue
        if "host key" in meaning and naming is not None:  # the line naming the host
            matching = naming
        if meaning == UNKNOWN_HOST_KEY:
            return f"{meaning}: {matching[:200]}; {_ssh_fix(matching)}"
        return f"{meaning}: {matching[:200]}"
    return f"ssh failed: {lines[0][:200]}" if lines else "ssh failed with no message"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from or during (netmiko wraps paramiko's)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _socket_reason(exc: BaseException, timeout_s: float | None) -> str | None:
    if isinstance(exc, NoValidConnectionsError):
        inner = list(getattr(exc, "errors", {}).values())
        return _socket_reason(inner[0], timeout_s) if inner else "no connection could be made"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout_s:g} s" if timeout_s else "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is SSH enabled and listening?)"
    if isinstance(exc, ConnectionResetError):
        return "the device closed the connection"
    if isinstance(exc, socket.gaierror):
        return "the name does not resolve"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"network error: {exc.strerror or exc}"
    return None


def _paramiko_reason(exc: BaseException) -> str | None:
    text = _first_line(str(exc))
    if isinstance(exc, BadHostKeyException):
        return f"the host key does not match known_hosts (for {exc.hostname})"
    if isinstance(exc, AuthenticationException):
        return "authentication failed (login refused: check the account and its credentials)"
    if "not found in known_hosts" in str(exc) or ("known_hosts" in text and "No host key" in text):
        return UNKNOWN_HOST_KEY
    if "No existing session" in str(exc):  # paramiko gave up before the SSH handshake ended
        return "no SSH session could be set up (no banner or no handshake in time)"
    if "Error reading SSH protocol banner" in str(exc):
        return "no SSH banner (the service answered but did not speak SSH in time)"
    if isinstance(exc, SSHException) and "TCP connection to device failed" not in str(exc):
        return f"SSH error: {text}" if text else None
    return None


def describe_exception(
    exc: BaseException,
    timeout_s: float | None = None,
    *,
    host: str | None = None,
    known_hosts: str | None = None,
    port: int = 22,
) -> str:
    """A sentence for a connection or command failure, never a Python repr.

    With ``host`` (and the ``known_hosts`` file that was checked), an unknown host key comes
    with its fix.

    >>> describe_exception(ConnectionRefusedError(111, "Connection refused"))
    'connection refused (is SSH enabled and listening?)'
    >>> describe_exception(TimeoutError(), 10)
    'timed out after 10 s'
    """
    reason = _describe(exc, timeout_s)
    if reason == UNKNOWN_HOST_KEY and host:
        return f"{reason}; {host_key_fix(host, known_hosts, port)}"
    return reason


def _describe(exc: BaseException, timeout_s: float | None) -> str:
    for link in _chain(exc):
        stderr = getattr(link.args[0], "stderr", None) if link.args else None
        if isinstance(stderr, str):  # testinfra: RuntimeError(CommandResult) when ssh exits 255
            return ssh_reason(stderr)
        reason = _paramiko_reason(link) or _socket_reason(link, timeout_s)
        if reason is not None:
            return reason
    text = _first_line(str(exc))
    if " object at 0x" in text or not text:
        return f"{type(exc).__name__} (no further detail)"
    return f"{type(exc).__name__}: {text}"
