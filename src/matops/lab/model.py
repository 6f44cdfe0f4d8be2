"""Data model of the lab: what a target is, and the error users see.

Every target lives in 198.18.0.0/16 (RFC 2544 benchmarking space), the lab's only network.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

LAB_NETWORK = ipaddress.IPv4Network("198.18.0.0/16")
BRIDGE_ADDRESS = ipaddress.IPv4Address("198.18.0.1")
BRIDGE_NAME = "mtlab0"
#: Every lab resource name (namespace, veth, nspawn machine) starts with this prefix.
PREFIX = "mtl"

TargetKind = Literal["linux", "switch"]


class LabError(Exception):
    """A lab problem the user can act on; the message says what to do."""


@dataclass(frozen=True)
class LabTarget:
    """One lab machine: a Linux host (nspawn container) or a simulated switch.

    >>> t = LabTarget("oak-web1", "linux", "debian", ipaddress.IPv4Address("198.18.0.11"), "oak")
    >>> t.address in LAB_NETWORK
    True
    """

    name: str
    kind: TargetKind
    platform: str
    address: ipaddress.IPv4Address
    school: str
    model: str | None = None


_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def short_id(name: str) -> str:
    """Return an 8-character token, unique per target name, safe in interface names.

    Three readable characters of the name plus five hex digits of its hash.

    >>> short_id("oak-web1")
    'oak200ec'
    """
    readable = re.sub(r"[^a-z0-9]", "", name.lower())[:3]
    digest = hashlib.blake2s(name.encode(), digest_size=8).hexdigest()
    return (readable + digest)[:8]


def machine_name(name: str) -> str:
    """Return the nspawn machine name of a Linux target (<= 12 chars).

    systemd-nspawn names the host side of its veth ``vb-<machine>``; 3 + 12 = 15 fits IFNAMSIZ.

    >>> machine_name("oak-web1")
    'mtl-oak200ec'
    """
    return f"{PREFIX}-{short_id(name)}"


def host_veth_name(target: LabTarget) -> str:
    """Return the root-namespace side of the target's veth (<= 15 chars, unique per name)."""
    if target.kind == "linux":
        return f"vb-{machine_name(target.name)}"
    return f"{PREFIX}-{short_id(target.name)}"


def netns_name(name: str) -> str:
    """Return the name of the network namespace for a switch target (``ip netns`` name)."""
    return f"{PREFIX}-{short_id(name)}"


def validate_targets(targets: Iterable[LabTarget]) -> list[LabTarget]:
    """Check names and addresses; return the targets as a list or raise LabError.

    Addresses must be in 198.18.0.0/16, not the network, broadcast or bridge address, and
    unique; names must be valid hostnames, unique, and map to distinct interface names.
    """
    result = list(targets)
    seen_names: dict[str, str] = {}
    seen_addresses: dict[ipaddress.IPv4Address, str] = {}
    for target in result:
        _validate_one(target)
        if target.address in seen_addresses:
            other = seen_addresses[target.address]
            raise LabError(f"duplicate lab address {target.address}: {other} and {target.name}")
        token = short_id(target.name)
        if token in seen_names:
            other = seen_names[token]
            raise LabError(f"targets {other!r} and {target.name!r} map to the same lab id")
        seen_addresses[target.address] = target.name
        seen_names[token] = target.name
    return result


def _validate_one(target: LabTarget) -> None:
    """Raise LabError if one target's name, kind or address cannot be used in the lab."""
    if not _NAME_RE.match(target.name):
        raise LabError(
            f"target name {target.name!r} is not a valid hostname "
            "(lower-case letters, digits and '-', at most 63 characters)"
        )
    if target.kind not in ("linux", "switch"):
        raise LabError(f"target {target.name}: kind {target.kind!r} is not 'linux' or 'switch'")
    address = ipaddress.IPv4Address(target.address)
    if address not in LAB_NETWORK:
        raise LabError(
            f"target {target.name}: address {address} is outside the lab network {LAB_NETWORK}"
        )
    reserved = {LAB_NETWORK.network_address, LAB_NETWORK.broadcast_address, BRIDGE_ADDRESS}
    if address in reserved:
        raise LabError(f"target {target.name}: address {address} is reserved in the lab")
