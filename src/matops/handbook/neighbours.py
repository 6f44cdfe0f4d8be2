"""Drawn links compared with the LLDP neighbours the last live scan read (pure).

A drawn uplink is *confirmed* when every switch at its ends whose neighbours were read hears
the device at the other end on that port; *drawn only* when one of them hears nothing there or
something else. A neighbour no drawn link explains is *discovered only*, unless it is an end
device where one belongs: a neighbour on an ``ap_uplink`` port, or a device that is no switch
of the school on a user port (staff, curriculum, phone, CCTV), which the drawing does not show
one by one. A neighbour on an uplink or unused port, on a port the inventory does not list, or
naming one of the school's switches is always compared. Links to hosts and access points are
not compared. A switch whose neighbours were not read leaves its links as drawn, and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from matops.facts.network.neighbours import Neighbour, SwitchNeighbours, device_key, port_key
from matops.handbook.drawing import Drawing, Link, Node, Tier
from matops.handbook.linkstyles import LinkState
from matops.inventory.model import PortRole, School
from matops.report.templates import clean

END_DEVICE_ROLES = (PortRole.STAFF, PortRole.CURRICULUM, PortRole.PHONE, PortRole.CCTV)
"""Ports where a neighbour that is no switch is an end device, not a link to draw."""

NO_RESULTS = "LLDP neighbours were not read: no results of a live scan were given."


def _port_roles(school: School) -> dict[tuple[str, str], PortRole]:
    return {
        (switch.name, port_key(port)): group.role
        for switch in school.targets
        if switch.kind == "switch"
        for group in switch.vars.ports
        for port in group.port_names()
    }


def _at(seen: SwitchNeighbours, port: str) -> list[Neighbour]:
    return [n for n in seen.neighbours if port_key(n.local_port) == port_key(port)]


def _heard(found: list[Neighbour]) -> str:
    if not found:
        return "nothing"
    return ", ".join(f"{n.name or 'an unnamed device'}" for n in found)


def _judge_link(
    link: Link, read: dict[str, SwitchNeighbours], used: set[tuple[str, str]]
) -> tuple[Link, str | None]:
    """The link with its state, and the difference in words when it is drawn only."""
    observed, wrong = 0, []
    for end in link.ports:
        switch, _, port = end.partition(" ")
        if switch not in read:
            continue
        other = link.b if switch == link.a else link.a
        found = _at(read[switch], port)
        observed += 1
        if any(device_key(n.name) == other for n in found):
            used.add((switch, port_key(port)))
        else:
            wrong.append(f"{switch} hears {_heard(found)} on {port}")
    if not observed:
        return link, None
    if not wrong:
        return replace(link, state=LinkState.CONFIRMED), None
    said = f"{link.a} – {link.b} is drawn ({', '.join(link.ports)}) but not discovered: "
    return replace(link, state=LinkState.DRAWN_ONLY), said + "; ".join(wrong) + "."


def _explained(
    switch: str, n: Neighbour, roles: dict[tuple[str, str], PortRole], switches: set[str]
) -> bool:
    role = roles.get((switch, port_key(n.local_port)))
    if role is PortRole.AP_UPLINK:
        return True
    return role in END_DEVICE_ROLES and device_key(n.name) not in switches


def _discovered(
    school: School, drawing: Drawing, read: dict[str, SwitchNeighbours], used: set[tuple[str, str]]
) -> tuple[list[Node], list[Link], list[str]]:
    roles = _port_roles(school)
    switches = {t.name for t in school.targets if t.kind == "switch"}
    ids = {node.id for node in drawing.nodes}
    nodes: dict[str, Node] = {}
    ports: dict[frozenset[str], set[str]] = {}
    for switch, seen in sorted(read.items()):
        for n in seen.neighbours:
            if (switch, port_key(n.local_port)) in used or _explained(switch, n, roles, switches):
                continue
            peer = device_key(n.name) or f"?lldp:{switch}@{n.local_port}"  # never a host name
            if peer not in ids and peer not in nodes:
                label = f"{clean(n.name or 'unnamed device')}\nnot in the inventory"
                nodes[peer] = Node(peer, label, Tier.ACCESS, "unknown")
            named = ports.setdefault(frozenset((switch, peer)), set())
            named.add(f"{switch} {n.local_port}")
            if n.port and not peer.startswith("?"):
                named.add(f"{peer} {n.port}")
    links, said = [], []
    for pair, named in sorted(ports.items(), key=lambda item: sorted(item[0])):
        a, b = sorted(pair)
        links.append(Link(a, b, tuple(sorted(named)), True, LinkState.DISCOVERED_ONLY))
        shown = b if not b.startswith("?") else "an unnamed device"
        said.append(
            f"{a} – {shown} is discovered ({', '.join(sorted(named))}) but not drawn: "
            "the inventory has no uplink there."
        )
    return list(nodes.values()), links, said


def compare_neighbours(
    school: School,
    drawing: Drawing,
    seen: Sequence[SwitchNeighbours] | None,
    unread: str = NO_RESULTS,
) -> Drawing:
    """``drawing`` with its uplinks judged against ``seen`` (the results' neighbours), the
    links only discovered added, and the differences and unread switches in words.

    ``seen`` None (no results, or an offline scan's) only adds ``unread`` as a note.
    """
    if seen is None:
        return replace(drawing, notes=(unread,))
    own = {s.device: s for s in seen if s.school == school.id}
    read = {device: s for device, s in own.items() if s.read}
    notes = [f"{device}: {s.summary}." for device, s in sorted(own.items()) if not s.read]
    for switch in sorted(t.name for t in school.targets if t.kind == "switch"):
        if switch not in own:
            notes.append(f"{switch}: neighbours not read: not in the results of the live scan.")
    used: set[tuple[str, str]] = set()
    links, differences = [], []
    for link in drawing.links:
        if not link.uplink:
            links.append(link)
            continue
        judged, said = _judge_link(link, read, used)
        links.append(judged)
        if said:
            differences.append(said)
    nodes, found, more = _discovered(school, drawing, read, used)
    return replace(
        drawing,
        nodes=drawing.nodes + tuple(nodes),
        links=tuple(links + found),
        differences=tuple(differences + more),
        notes=tuple(notes),
    )
