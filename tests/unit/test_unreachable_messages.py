"""Unreachable targets are described in sentences, never Python reprs.

The messages come from real clients failing for real on loopback: OpenSSH's ``ssh`` (through
testinfra and ``LinuxHostProvider``) and netmiko/paramiko (through ``read_outputs``) against a
small paramiko SSH server that refuses every login, a closed port and a port that never speaks.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
import testinfra

from matops.connect.profile import build_profile
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.linux.shell import failure_reason
from matops.facts.model import Subject, TargetUnreachableError
from matops.facts.network.live import read_outputs
from matops.facts.redaction import redact_text
from matops.facts.unreachable import describe_exception, ssh_reason
from matops.inventory.model import Target, TargetVars
from matops.network.connect import ConnectionSettings
from matops.scan.live import LiveOptions, linux_connect

REPR = " object at 0x"


class _RefuseAll(paramiko.ServerInterface):
    def get_allowed_auths(self, username: str) -> str:
        return "publickey,password"

    def check_auth_password(self, username: str, password: str) -> int:
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        return paramiko.AUTH_FAILED


class _Server:
    """A loopback SSH server (paramiko) that accepts connections and refuses every login."""

    def __init__(self) -> None:
        self.key = paramiko.RSAKey.generate(2048)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.key)
            try:
                transport.start_server(server=_RefuseAll())
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()

    def known_hosts(self, path: Path) -> Path:
        path.write_text(f"[127.0.0.1]:{self.port} {self.key.get_name()} {self.key.get_base64()}\n")
        return path


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    running = _Server()
    yield running
    running.sock.close()


@pytest.fixture
def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return int(sock.getsockname()[1])  # closed again when the test connects


@pytest.fixture
def silent_port() -> Iterator[int]:
    """Accepts TCP connections and never says a word (no SSH banner)."""
    sock = socket.create_server(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


TARGET = Target(
    name="oak-srv01", kind="linux", school="oak",
    vars=TargetVars(ansible_host="198.18.10.11", platform="debian"),
)  # fmt: skip


def _linux_reason(tmp_path: Path, port: int, known_hosts: Path, timeout: int = 5) -> str:
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host oak-srv01\n  HostName 127.0.0.1\n  Port {port}\n  User matops\n"
        f"  UserKnownHostsFile {known_hosts}\n  StrictHostKeyChecking yes\n  BatchMode yes\n"
        "  IdentitiesOnly yes\n  IdentityFile /dev/null\n  ControlMaster no\n"
    )
    profile = build_profile(Path("trust"), ssh_config=config)
    connect = linux_connect(LiveOptions(profile, sudo=False, connect_timeout=timeout))
    with pytest.raises(TargetUnreachableError) as caught:
        LinuxHostProvider(connect).collect("passwd", Subject.of_target(TARGET))
    message = str(caught.value)
    assert message.startswith("cannot reach oak-srv01 (198.18.10.11): ") and REPR not in message
    assert redact_text(message) == message  # findings redact details: nothing here is a secret
    return message


def test_ssh_unknown_host_key(server: _Server, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("")
    message = _linux_reason(tmp_path, server.port, tmp_path / "empty")
    assert "host key is not in known_hosts: " in message
    assert f"host key is known for [127.0.0.1]:{server.port}" in message
    assert message.endswith(  # the fix: which file, which command
        "add it to the UserKnownHostsFile of your ssh_config once its fingerprint is confirmed: "
        f"ssh-keyscan -p {server.port} 127.0.0.1 >> that file (a lab target: run with --lab)"
    )


def test_ssh_authentication_refused(server: _Server, tmp_path: Path) -> None:
    message = _linux_reason(tmp_path, server.port, server.known_hosts(tmp_path / "known"))
    assert "authentication failed: " in message and "Permission denied (" in message


def test_ssh_connection_refused(closed_port: int, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("")
    message = _linux_reason(tmp_path, closed_port, tmp_path / "empty")
    assert "connection refused" in message


def test_ssh_silent_port_times_out(silent_port: int, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("")
    message = _linux_reason(tmp_path, silent_port, tmp_path / "empty", timeout=1)
    assert "connection timed out: " in message


def test_sudo_refused_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real ``sudo`` (a stub program on PATH) refusing: the probe says so."""
    folder = tmp_path / "bin"
    folder.mkdir()
    sudo = folder / "sudo"
    sudo.write_text("#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n")
    sudo.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    provider = LinuxHostProvider(lambda target: testinfra.get_host("local://", sudo=True))
    with pytest.raises(TargetUnreachableError) as caught:
        provider.collect("passwd", Subject.of_target(TARGET))
    assert str(caught.value) == (
        "oak-srv01 (198.18.10.11): `true` did not run: sudo refused: sudo: a password is required"
    )


def _switch(port: int, known_hosts: Path) -> ConnectionSettings:
    return ConnectionSettings(
        "oak-sw01", "cisco_ios", "127.0.0.1", port, "admin", known_hosts, "not-the-password"
    )


def _switch_reason(settings: ConnectionSettings, timeout: float = 5) -> str:
    with pytest.raises(TargetUnreachableError) as caught:
        read_outputs(settings, "oak", timeout)
    message = str(caught.value)
    assert message.startswith("cannot reach oak-sw01 (127.0.0.1): ") and REPR not in message
    assert "Common causes" not in message  # netmiko's multi-line advice is not repeated
    assert redact_text(message) == message  # findings redact details: nothing here is a secret
    return message


def test_switch_unknown_host_key(server: _Server, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("")
    assert _switch_reason(_switch(server.port, tmp_path / "empty")).endswith(
        f"host key is not in known_hosts; add it to {tmp_path / 'empty'} once its fingerprint is "
        f"confirmed: ssh-keyscan -p {server.port} 127.0.0.1 >> {tmp_path / 'empty'} "
        "(a lab target: run with --lab)"
    )


def test_switch_authentication_refused(server: _Server, tmp_path: Path) -> None:
    settings = _switch(server.port, server.known_hosts(tmp_path / "known"))
    assert "authentication failed" in _switch_reason(settings)


def test_switch_connection_refused(closed_port: int, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("")
    assert "connection refused" in _switch_reason(_switch(closed_port, tmp_path / "empty"))


def test_switch_silent_port(silent_port: int, tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("")
    message = _switch_reason(_switch(silent_port, tmp_path / "empty"), timeout=1)
    assert re.search(r"no SSH (banner|session)|timed out after 1 s", message), message


# ---- the mapping itself, over OpenSSH's own messages (OpenSSH 9.x wording) ------------------

SSH_STDERR = {
    "ssh: connect to host 198.18.10.11 port 22: Connection refused\r\n": "connection refused",
    "ssh: connect to host 198.18.10.11 port 22: Connection timed out\r\n": "connection timed out",
    "Connection timed out during banner exchange\r\nConnection to 198.18.10.11 port 22 timed "
    "out\r\n": "connection timed out",
    "ssh: connect to host 198.18.10.11 port 22: No route to host\r\n": "no route to the host",
    "ssh: Could not resolve hostname oak-srv01: Name or service not known\r\n": "does not resolve",
    "No ED25519 host key is known for oak-srv01 and you have requested strict checking.\r\n"
    "Host key verification failed.\r\n": "host key is not in known_hosts: No ED25519 host key "
    "is known for oak-srv01",
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
    "Add correct host key in /root/.ssh/known_hosts to get rid of this message.\r\n"
    "Host key for oak-srv01 has changed and you have requested strict checking.\r\n"
    "Host key verification failed.\r\n": "does not match known_hosts: Host key for oak-srv01 "
    "has changed",
    "matops@198.18.10.11: Permission denied (publickey).\r\n": "authentication failed",
    "kex_exchange_identification: read: Connection reset by peer\r\n": "closed the connection",
    'unix_listener: path "/tmp/x/ctl" too long for Unix domain socket\r\n': "too long",
    "": "ssh failed with no message",
}


@pytest.mark.parametrize(("stderr", "expected"), SSH_STDERR.items())
def test_ssh_stderr_is_a_sentence(stderr: str, expected: str) -> None:
    assert expected in ssh_reason(stderr)


def test_testinfra_runtime_error_is_unwrapped() -> None:
    """testinfra raises RuntimeError(CommandResult) when ssh exits 255: read its stderr."""
    backend: Any = testinfra.get_host("local://").backend
    result = backend.result(255, b"ssh x true", b"", b"ssh: connect to host x port 22: Connection "
                            b"refused\n")  # fmt: skip
    exc = RuntimeError(result)
    assert REPR in str(exc)  # what used to reach the findings
    assert describe_exception(exc) == (
        "connection refused (is sshd running and listening?): "
        "ssh: connect to host x port 22: Connection refused"
    )


def test_unknown_exception_never_shows_a_repr() -> None:
    assert describe_exception(RuntimeError(object())) == "RuntimeError (no further detail)"
    assert describe_exception(ValueError("bad thing\nmore")) == "ValueError: bad thing"


@pytest.mark.parametrize(
    ("status", "stderr", "expected"),
    [
        (1, "sudo: a terminal is required to read the password", "sudo refused: "),
        (1, "Sorry, user matops is not allowed to execute '/bin/sh -c true' as root on oak-srv01.",
         "sudo refused: Sorry, user matops"),
        (1, "matops is not in the sudoers file.  This incident will be reported.\nsudo: x",
         "sudo refused: "),
        (126, "timeout: failed to run command 'ss': Permission denied", "permission denied"),
        (127, "timeout: failed to run command 'ss': No such file or directory", "missing command"),
        (137, "", "timed out after 60 s"),
        (2, "", "exit status 2: nothing on stderr"),
    ],
)  # fmt: skip
def test_command_failure_reasons(status: int, stderr: str, expected: str) -> None:
    assert expected in failure_reason(status, stderr)
