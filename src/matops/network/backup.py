"""Save switches' running configs under ``<trust>/backups/<school>/<device>.cfg``.

Names are stable (one file per device, replaced by the next backup) so the folder can be diffed
or kept in version control. Secrets are redacted unless asked otherwise; an unredacted backup is
created with mode 0600 from the start (never world-readable, not even for a moment).

Given the device's ``platform``, a config that is not whole (empty, binary, cut off, another
platform's: :mod:`matops.facts.network.validate`) is refused before anything is written, so a bad
read never replaces a good backup.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from matops.facts.network.validate import check_config
from matops.network.redact import redact

BACKUPS = "backups"


@dataclass(frozen=True)
class Backup:
    """A saved running config."""

    device: str
    path: Path
    redacted: bool


def backup_path(trust_dir: Path, school: str, device: str) -> Path:
    """Where a device's backup lives.

    >>> backup_path(Path("inventories/example-trust"), "oakfield-primary", "oak-sw01")
    PosixPath('inventories/example-trust/backups/oakfield-primary/oak-sw01.cfg')
    """
    for part in (school, device):
        if not part or "/" in part or part.startswith("."):
            raise ValueError(f"invalid name for a backup path: {part!r}")
    return trust_dir / BACKUPS / school / f"{device}.cfg"


def write_backup(
    trust_dir: Path,
    school: str,
    device: str,
    running: str,
    *,
    unredacted: bool = False,
    platform: str | None = None,
) -> Backup:
    """Write ``running`` (redacted unless ``unredacted``) atomically to the device's backup file.

    With ``platform``, :class:`~matops.facts.network.validate.InvalidConfigError` (a ValueError)
    is raised instead when ``running`` is not a whole config of it; the old backup stays.

    >>> write_backup(Path("/tmp/t"), "oak", "oak-sw01", "hostname oak-sw01\\n")  # doctest: +SKIP
    Backup(device='oak-sw01', path=PosixPath('/tmp/t/backups/oak/oak-sw01.cfg'), redacted=True)
    """
    path = backup_path(trust_dir, school, device)
    if platform is not None:
        check_config(platform, running, f"the running config read from {device}")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = running if unredacted else redact(running)
    mode = 0o600 if unredacted else 0o644
    fd, temporary = tempfile.mkstemp(prefix=f".{device}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Backup(device=device, path=path, redacted=not unredacted)
