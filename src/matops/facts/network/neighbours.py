"""A switch's LLDP neighbours, as its neighbour command prints them, parsed or refused.

The outputs are parsed with ntc-templates' TextFSM templates (``cisco_ios`` ``show lldp
neighbors detail``, ``aruba_aoscx`` ``show lldp neighbor-info detail``); why ntc-templates is
written in docs/architecture.md. Those templates stop quietly on a rejected command (IOS's
template reads ``% Invalid input`` as the end of the output) and return no rows for a blank
output, which would read as "no neighbours". So this module fails closed before and after the
template: a refusal, an output without the device's neighbour count, a count that disagrees
with the entries parsed, or an entry that does not name its local port gives a
:class:`SwitchNeighbours` with ``read=False`` and the reason, never an empty list.

Neighbours are not a fact any check judges: they feed the handbook's drawings only, so reading
them can never change a verdict.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_REJECTED = "the switch rejected the command"
_REFUSALS = (
    (re.compile(r"^\s*%?\s*Invalid input", re.M), _REJECTED),
    (re.compile(r"^\s*%?\s*(Ambiguous|Incomplete|Unknown|Unrecognized) command", re.M | re.I),
     _REJECTED),
    (re.compile(r"^\s*%?\s*LLDP is not enabled", re.M | re.I), "LLDP is not enabled on the switch"),
)  # fmt: skip

_TOTALS = {
    "cisco_ios": re.compile(r"^\s*Total entries displayed\s*:\s*(\d+)\s*$", re.M),
    "aruba_aoscx": re.compile(r"^\s*Total Neighbor Entries\s*:\s*(\d+)\s*$", re.M),
}
"""Each platform's own count of the entries it printed (IOS prints it last, AOS-CX first)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Neighbour(_Frozen):
    """One device a switch port hears over LLDP."""

    local_port: str
    """The switch's own port, as the command prints it (IOS ``Gi1/0/1``, AOS-CX ``1/1/1``)."""
    name: str | None
    """The neighbour's system name (None when it does not advertise one)."""
    port: str | None
    """The neighbour's port: its port ID, or its description when the ID is a MAC address."""
    chassis: str | None = None


class SwitchNeighbours(_Frozen):
    """What one switch said about its neighbours in a live scan: read, or not read and why."""

    device: str
    school: str
    platform: str
    command: str
    read: bool
    reason: str | None = None
    """Why they were not read (``read`` is False); None when read."""
    neighbours: list[Neighbour] = Field(default_factory=list)

    @property
    def summary(self) -> str:
        """``neighbours not read: <reason>`` or how many were read.

        >>> SwitchNeighbours(device="a", school="s", platform="cisco_ios", command="c",
        ...     read=False, reason="LLDP is not enabled on the switch").summary
        'neighbours not read: LLDP is not enabled on the switch'
        """
        if not self.read:
            return f"neighbours not read: {self.reason}"
        return f"{len(self.neighbours)} neighbours read"


class NeighboursNotReadError(ValueError):
    """The output cannot be trusted as the switch's neighbour list; the message says why."""


_MAC = re.compile(r"^([0-9a-fx]{2}[:-]){5}[0-9a-fx]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$", re.I)


def _row_neighbour(row: dict[str, Any]) -> Neighbour:
    port_id = (row.get("neighbor_port_id") or "").strip() or None
    described = (row.get("neighbor_interface") or "").strip() or None
    port = described if (port_id is None or _MAC.match(port_id)) and described else port_id
    return Neighbour(
        local_port=str(row.get("local_interface") or "").strip(),
        name=(row.get("neighbor_name") or "").strip() or None,
        port=port,
        chassis=(row.get("chassis_id") or "").strip() or None,
    )


def parse_neighbours(platform: str, command: str, text: str) -> list[Neighbour]:
    """The neighbours in ``text`` (the output of ``command``), or :class:`NeighboursNotReadError`.

    >>> parse_neighbours("cisco_ios", "show lldp neighbors detail", "Total entries displayed: 0")
    []
    >>> parse_neighbours("cisco_ios", "show lldp neighbors detail", "% LLDP is not enabled")
    Traceback (most recent call last):
    ...
    matops.facts.network.neighbours.NeighboursNotReadError: LLDP is not enabled on the switch
    """
    from ntc_templates.parse import parse_output

    if platform not in _TOTALS:
        raise NeighboursNotReadError(f"no neighbour parser for platform {platform}")
    if not text.strip():
        raise NeighboursNotReadError("the command printed nothing")
    for pattern, reason in _REFUSALS:
        if pattern.search(text):
            raise NeighboursNotReadError(reason)
    totals = _TOTALS[platform].findall(text)
    if len(totals) != 1:
        raise NeighboursNotReadError(
            "the output does not give the switch's neighbour count once (cut off, or not "
            f"the output of {command!r})"
        )
    try:
        rows = parse_output(platform=platform, command=command, data=text)
    except Exception as exc:  # textfsm raises its own errors on lines it cannot place
        raise NeighboursNotReadError(f"unparseable output: {type(exc).__name__}: {exc}") from exc
    found = [_row_neighbour(row) for row in rows]
    if len(found) != int(totals[0]):
        raise NeighboursNotReadError(
            f"the switch counts {totals[0]} neighbours but {len(found)} entries were read"
        )
    unplaced = sum(1 for n in found if not n.local_port)
    if unplaced:
        raise NeighboursNotReadError(
            f"{unplaced} of {len(found)} entries do not name the switch's own port"
        )
    return found


def neighbours_of(
    device: str, school: str, platform: str, command: str, text: str
) -> SwitchNeighbours:
    """``text`` parsed into a :class:`SwitchNeighbours` (``read=False`` with the reason when the
    output cannot be trusted)."""
    base = {"device": device, "school": school, "platform": platform, "command": command}
    try:
        found = parse_neighbours(platform, command, text)
    except NeighboursNotReadError as exc:
        return SwitchNeighbours(**base, read=False, reason=str(exc))
    return SwitchNeighbours(**base, read=True, neighbours=found)


def not_read(
    device: str, school: str, platform: str, command: str, reason: str
) -> SwitchNeighbours:
    """A switch whose neighbours could not be read at all (no session, a failed command)."""
    return SwitchNeighbours(
        device=device, school=school, platform=platform, command=command, read=False, reason=reason
    )


_LETTERS = re.compile(r"^([A-Za-z-]*)(.*)$")


def port_key(name: str) -> str:
    """A port name reduced so that IOS's long and short forms compare equal.

    >>> port_key("GigabitEthernet1/0/25") == port_key("Gi1/0/25"), port_key("1/1/49")
    (True, '1/1/49')
    """
    match = _LETTERS.match(name.strip())
    assert match is not None  # the pattern matches any string
    letters, rest = match.groups()
    return letters[:2].lower() + rest


def device_key(name: str | None) -> str | None:
    """A system name reduced to the inventory's form: first DNS label, lower case.

    >>> device_key("OAK-SW01.oakfield.example"), device_key(None)
    ('oak-sw01', None)
    """
    if not name or not name.strip():
        return None
    return name.strip().split(".")[0].lower()
