"""The lab's cabling: what each simulated switch hears over LLDP.

The lab cables every uplink the inventory describes from both ends between two of its switches
(``riv-core01`` port ``1/1/49`` described ``riv-sw01 …`` and ``riv-sw01`` port ``1/1/25``
described ``riv-core01 …``), as the handbook draws them. A trust's ``lab/cabling.yml`` adds
what the inventory cannot say: the devices outside the lab that speak LLDP to a switch (the
firewalls), and the lab's planted differences between the inventory and the cables (a cable
unplugged, a patch lead nobody recorded), for the handbook's drawings to find::

    outside:
      - {switch: oak-sw01, port: GigabitEthernet1/0/1, name: oak-fw01, their_port: port1,
         description: Firewall appliance}
    unplugged: ["riv-core01 1/1/51"]        # the cable on that port, both ends
    patched: [["riv-sw02 1/1/26", "riv-sw03 1/1/16"]]

:func:`write_cabling` writes each switch's list to ``<state>/switches/<name>/neighbours.json``,
which the simulator reads on every ``show lldp`` command (``switchsim.lldp``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from matops.inventory.model import PortRole, Target, Trust, peer_name
from matops.lab.model import LabError
from switchsim.views import short_name

CABLING = Path("lab") / "cabling.yml"
"""Where a trust keeps its lab cabling, beside its inventory (ignored by Ansible)."""

End = Annotated[str, StringConstraints(pattern=r"^\S+ \S+$")]
"""``switch port``."""

PLATFORM_TEXT = {
    "cisco_ios": "Cisco IOS Software, Catalyst L2 Switch Software",
    "aruba_aoscx": "Aruba ArubaOS-CX switch",
}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Outside(_Strict):
    """A device the lab does not run that a switch hears over LLDP."""

    switch: str
    port: str
    name: str
    their_port: str
    description: str = ""


class Cabling(_Strict):
    """A trust's ``lab/cabling.yml``."""

    outside: list[Outside] = Field(default_factory=list)
    unplugged: list[End] = Field(default_factory=list)
    patched: list[tuple[End, End]] = Field(default_factory=list)


def load_cabling(trust_root: Path) -> Cabling:
    """The trust's lab cabling file, or none (an empty one) when it has no such file."""
    path = trust_root / CABLING
    if not path.is_file():
        return Cabling()
    try:
        return Cabling.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (ValidationError, yaml.YAMLError) as exc:
        raise LabError(f"{path}: not a valid lab cabling file: {exc}") from exc


def _uplink_ports(switch: Target) -> list[tuple[str, str | None]]:
    return [
        (port, peer_name(group.description))
        for group in switch.vars.ports
        if group.role is PortRole.UPLINK
        for port in group.port_names()
    ]


def inventory_cables(trust: Trust) -> list[tuple[str, str]]:
    """Every uplink described from both ends between two switches, as (``a port``, ``b port``).

    Ports of a range are paired in order.
    """
    switches = {t.name: t for s in trust.schools for t in s.targets if t.kind == "switch"}
    cables: list[tuple[str, str]] = []
    for name, switch in sorted(switches.items()):
        for peer in sorted({p for _, p in _uplink_ports(switch) if p in switches and p > name}):
            mine = [port for port, p in _uplink_ports(switch) if p == peer]
            theirs = [port for port, p in _uplink_ports(switches[peer]) if p == name]
            cables += [(f"{name} {a}", f"{peer} {b}") for a, b in zip(mine, theirs, strict=False)]
    return cables


def _advertised(target: Target, port: str) -> dict[str, str]:
    """What ``target`` says about itself and ``port`` over LLDP."""
    ios = target.platform == "cisco_ios"
    return {
        "name": target.name,
        "port_id": short_name(port) if ios else port,
        "port_description": port,
        "description": PLATFORM_TEXT.get(target.platform, target.platform),
        "address": str(target.address),
    }


def lab_cabling(trust_root: Path, trust: Trust) -> dict[str, list[dict[str, str]]]:
    """Switch name → the neighbours it hears: the inventory's cables, less those unplugged,
    plus those patched, plus the devices outside the lab. Raises LabError on a cabling file
    naming a switch the trust does not have.
    """
    cabling = load_cabling(trust_root)
    switches = {t.name: t for s in trust.schools for t in s.targets if t.kind == "switch"}
    named = [e.split(" ")[0] for e in cabling.unplugged + [x for p in cabling.patched for x in p]]
    named += [o.switch for o in cabling.outside]
    unknown = sorted(set(named) - set(switches))
    if unknown:
        raise LabError(f"{trust_root / CABLING}: no such switch: {', '.join(unknown)}")
    gone = set(cabling.unplugged)
    cables = [c for c in inventory_cables(trust) if not gone & set(c)] + list(cabling.patched)
    heard: dict[str, list[dict[str, str]]] = {name: [] for name in sorted(switches)}
    for a, b in cables:
        for near, far in ((a, b), (b, a)):
            me, my_port = near.split(" ")
            it, its_port = far.split(" ")
            heard[me].append({"port": my_port, **_advertised(switches[it], its_port)})
    for o in cabling.outside:
        heard[o.switch].append(
            {"port": o.port, "name": o.name, "port_id": o.their_port,
             "port_description": o.their_port, "description": o.description}
        )  # fmt: skip
    return heard


def write_cabling(state_dir: Path, heard: dict[str, list[dict[str, str]]]) -> None:
    """Write each switch's neighbours where its simulator reads them (switches not started
    are skipped)."""
    for name, entries in heard.items():
        folder = state_dir / "switches" / name
        if folder.is_dir():
            (folder / "neighbours.json").write_text(json.dumps(entries, indent=1) + "\n")
