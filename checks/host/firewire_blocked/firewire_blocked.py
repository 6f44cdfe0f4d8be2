"""FireWire cannot be loaded (firewire-core and firewire-ohci refused)."""

from __future__ import annotations

from matops.facts.linux.model import ModprobeRules
from matops.scan.verdict import Verdict, failed, listing, passed

MODULES = ("firewire_core", "firewire_ohci")
"""The FireWire stack (every FireWire driver needs firewire_core) and its controller driver, as
``modprobe -c`` names them (underscores)."""
REFUSING = ("/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true")


def judge(modprobe_rules: ModprobeRules) -> Verdict:
    """Pass when each module has an ``install`` rule that runs ``false``/``true`` instead: a
    blacklist alone only stops loading by device id, not ``modprobe firewire_ohci``."""
    loadable = [
        name for name in MODULES
        if modprobe_rules.install.get(name, "").split()[:1] not in [[cmd] for cmd in REFUSING]
    ]  # fmt: skip
    if loadable:
        return failed(f"can still be loaded: {listing(loadable)}")
    return passed(f"{', '.join(MODULES)} refused by install rules")
