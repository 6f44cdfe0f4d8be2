"""Redaction removes every planted secret; backups are redacted unless asked, then 0600."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from matops.network.backup import backup_path, write_backup
from matops.network.redact import REDACTED, redact, redact_line

PLANTED = (Path(__file__).parent / "data" / "planted_secrets.cfg").read_text()
TYPE7 = ("0822455D0A16", "02050D480809", "02000D581F0F", "110A1016141D")


def _secrets() -> list[str]:
    tokens = re.findall(r"\S*PLANTED\S*", PLANTED.split("\n", 1)[1])
    assert len(tokens) == 23
    return [*tokens, *TYPE7]


def test_every_planted_secret_is_redacted() -> None:
    redacted = redact(PLANTED)
    for secret in _secrets():
        assert secret not in redacted, secret
    assert len(redacted.splitlines()) == len(PLANTED.splitlines())


def test_redaction_keeps_the_config_readable() -> None:
    redacted = redact(PLANTED).splitlines()
    for line in (
        "enable secret 9 <redacted>", "username cisco privilege 15 password 7 <redacted>",
        "snmp-server community <redacted> RO", " key 7 <redacted>", "key chain OSPF", " key 1",
        "snmp-server user mon G v3 auth sha <redacted> priv aes 128 <redacted>",
        "radius-server host 198.18.20.12 key plaintext <redacted> vrf default",
        "This banner is public text and stays.", " ip address 198.18.10.2 255.255.255.0",
    ):  # fmt: skip
        assert line in redacted, line
    assert redact_line("hostname sw1") == "hostname sw1"
    assert redact(redact(PLANTED)) == redact(PLANTED)


def test_backup_is_redacted_by_default(tmp_path: Path) -> None:
    backup = write_backup(tmp_path, "oakfield-primary", "oak-sw01", PLANTED)
    assert backup.redacted
    assert backup.path == tmp_path / "backups" / "oakfield-primary" / "oak-sw01.cfg"
    saved = backup.path.read_text()
    assert REDACTED in saved
    for secret in _secrets():
        assert secret not in saved, secret
    assert list(backup.path.parent.iterdir()) == [backup.path]


def test_unredacted_backup_only_on_request_and_private(tmp_path: Path) -> None:
    write_backup(tmp_path, "oakfield-primary", "oak-sw01", "hostname old\n")
    backup = write_backup(tmp_path, "oakfield-primary", "oak-sw01", PLANTED, unredacted=True)
    assert not backup.redacted and backup.path.read_text() == PLANTED
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600


@pytest.mark.parametrize("bad", ["../x", ".hidden", ""])
def test_backup_path_refuses_odd_names(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid name"):
        backup_path(Path("/trust"), "school", bad)
