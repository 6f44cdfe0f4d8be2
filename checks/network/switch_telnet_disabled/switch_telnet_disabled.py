"""Telnet is disabled on the switch's management lines."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, errored, failed, listing, passed


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail when a VTY line accepts telnet (explicitly, via ``all``, or by the old default)."""
    if running_config.telnet_enabled is None:
        return errored("the configuration shows no VTY line, so telnet access cannot be told")
    if not running_config.telnet_enabled:
        return passed("no management line accepts telnet")
    lines = [
        line.name
        for line in running_config.lines
        if line.name.startswith("vty")
        and (not line.transport_input or {"telnet", "all"} & set(line.transport_input))
    ]
    where = f"line {listing(lines)}" if lines else "the device"
    return failed(f"telnet accepted on {where}; allow only ssh (transport input ssh)")
