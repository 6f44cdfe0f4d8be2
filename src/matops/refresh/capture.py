"""Read-only reads from devices: reachability, and the configs a scan judges.

The refresh scans a school before and after its changes, live by default. With offline scans
(``--offline-scans``: no Linux host is contacted) a scan step first reads each switch's running
config, startup config and ``show version`` into the run's folder (redacted), then judges those
files. :func:`matops.refresh.steps.scan_request` is the one place that chooses.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from matops.facts.network.validate import no_startup_config
from matops.network.backup import BACKUPS, write_backup
from matops.network.connect import ConnectError, NetmikoSession, connect
from matops.network.push import DeviceJob
from matops.network.redact import redact
from matops.platforms import config_reader


def reachable(host: str, port: int = 22, timeout: float = 3.0) -> bool:
    """Whether a TCP connection to ``host:port`` opens within ``timeout`` seconds.

    >>> reachable("127.0.0.1", 9)  # doctest: +SKIP
    False
    """
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class DeviceConfigs:
    """What one switch showed: running, startup (None if it has none) and version output."""

    running: str
    startup: str | None
    version: str | None


def read_configs(job: DeviceJob) -> DeviceConfigs:
    """Open a session and read the configs (read-only). Raises ConnectError and others."""
    session = connect(job.settings)
    try:
        running = session.running_config()
        startup = version = None
        if isinstance(session, NetmikoSession):
            conn = session._conn  # the session's netmiko connection, for two read-only shows
            shows = config_reader(job.target.platform).shows
            startup = str(conn.send_command(shows.startup_config, read_timeout=60))
            version = str(conn.send_command(shows.software_version, read_timeout=60))
            if no_startup_config(startup):
                startup = None
        return DeviceConfigs(running, startup, version)
    finally:
        session.close()


def capture(job: DeviceJob, folder: Path) -> Path:
    """Save a switch's configs under ``folder/<school>/`` in the offline scan's layout.

    ``folder`` is a :func:`scan_configs` folder (its name is ``backups``).

    Returns the running config's path. Raises ConnectError when the switch cannot be reached.
    """
    if not reachable(job.settings.host, job.settings.port):
        raise ConnectError(f"{job.target.name}: unreachable at {job.settings.host}")
    configs = read_configs(job)
    school, name = job.target.school, job.target.name
    saved = write_backup(folder.parent, school, name, configs.running).path
    if configs.startup is not None:
        (saved.parent / f"{name}.startup.cfg").write_text(redact(configs.startup))
    if configs.version is not None:
        (saved.parent / f"{name}.version.txt").write_text(configs.version)
    return saved


def scan_configs(run_dir: Path, phase: str) -> Path:
    """The folder a scan phase (``pre-scan``, ``post-scan``) captures into and judges.

    >>> scan_configs(Path("run"), "pre-scan")
    PosixPath('run/captures/pre-scan/backups')
    """
    return run_dir / "captures" / phase / BACKUPS
