"""The switch is managed over SSH version 2 only."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, errored, failed, passed


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail when SSH is off on the management lines or still accepts version 1."""
    if running_config.ssh_enabled is None:
        return errored("the configuration shows no VTY line, so SSH access cannot be told")
    if not running_config.ssh_enabled:
        return failed("SSH is not enabled on any management line")
    if running_config.ssh_version != 2:
        return failed("SSH accepts version 1 as well as 2 (set ip ssh version 2)")
    return passed("SSH version 2 only")
