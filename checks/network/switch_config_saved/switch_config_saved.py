"""The running configuration is saved to the startup configuration."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, failed, passed


def judge(running_config: NetworkConfig, startup_config: NetworkConfig | None) -> Verdict:
    """Compare the digests of the normalised running and startup configurations."""
    if startup_config is None:
        return failed(
            "no startup configuration was ever saved: the switch would boot with its factory "
            "configuration; save it with write memory"
        )
    if running_config.digest == startup_config.digest:
        return passed("running and startup configurations match")
    return failed(
        f"running config ({running_config.line_count} lines) differs from startup "
        f"({startup_config.line_count} lines): save it with write memory"
    )
