"""A school's network drawing, made from its inventory and laid out by graphviz.

What is drawn, and where each part comes from:

* **switches**: every ``switch`` target, in the tier its ``device_role`` names (``core``,
  ``distribution``, ``access``; any other role is drawn with the access switches);
* **uplinks**: every port group with the role ``uplink``. The first word of its description
  names the device at the other end (``riv-sw01 science block``); an uplink described from both
  ends is one line carrying both port names. A peer that is not a target is drawn as a
  firewall when its description says so, otherwise as an unknown device;
* **servers and hosts**: the ``linux`` targets, joined to the switch port whose description
  starts with their name (else drawn without a line, "port not recorded");
* **access points**: one box per switch with ``ap_uplink`` ports (which ports); the register's
  count of access points is given beside the drawing (:func:`registered_access_points`).

Tiers become graphviz ranks (``rank=same`` subgraphs: edge, core, distribution, access, then
access points and servers); graphviz places every node. The drawing is coloured by the latest
scan's findings per target when results are given. No positions are written in code: the
draw.io file (:mod:`matops.handbook.drawio`) takes graphviz's own layout.
"""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import graphviz

from matops.handbook.linkstyles import LINK_STYLES, LinkState, draw_legend
from matops.inventory.model import AssetType, PortRole, School, Target, peer_name
from matops.report.templates import clean
from matops.scan.model import Finding, Status


class Tier(StrEnum):
    """Where a device sits in the drawing, top to bottom."""

    EDGE = "edge"
    CORE = "core"
    DISTRIBUTION = "distribution"
    ACCESS = "access"
    ACCESS_POINTS = "access_points"
    SERVERS = "servers"


SWITCH_TIERS = {"core": Tier.CORE, "distribution": Tier.DISTRIBUTION, "access": Tier.ACCESS}
"""A switch's ``device_role`` → its tier; any other role is drawn as an access switch."""


class Health(StrEnum):
    """A device's colour: the latest scan's findings for it, worst first."""

    FAILING = "failing"
    NOT_JUDGED = "not_judged"
    NO_FAILURES = "no_failures"
    NOT_ASSESSED = "not_assessed"


COLOURS = {
    Health.FAILING: "#ffcdd2",
    Health.NOT_JUDGED: "#ffe0b2",
    Health.NO_FAILURES: "#c8e6c9",
    Health.NOT_ASSESSED: "#eeeeee",
}
"""Fill colours (light shades of the reports' status colours, so labels stay readable)."""

HEALTH_WORDS = {
    Health.FAILING: "a check failed",
    Health.NOT_JUDGED: "a check could not be judged",
    Health.NO_FAILURES: "no failing check",
    Health.NOT_ASSESSED: "not assessed (not scanned, or no results given)",
}


@dataclass(frozen=True)
class Node:
    """One box of the drawing."""

    id: str
    label: str
    tier: Tier
    kind: str
    """``switch``, ``linux``, ``firewall``, ``access_points`` or ``unknown``."""
    health: Health = Health.NOT_ASSESSED
    anchor: str | None = None
    """The id of the device's row on the school page, when it has one."""
    stack: str | None = None
    """The stacked switch this box is a member of (its first member is the switch itself)."""


@dataclass(frozen=True)
class Link:
    """One line: an uplink between two devices, or a device on a switch port."""

    a: str
    b: str
    ports: tuple[str, ...]
    """The ports named at either end (``riv-core01 1/1/49``)."""
    uplink: bool
    state: LinkState = LinkState.DRAWN


@dataclass(frozen=True)
class Drawing:
    """A school's drawing before layout."""

    school: str
    title: str
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    differences: tuple[str, ...] = ()
    """Drawn and discovered links that disagree, in words."""
    notes: tuple[str, ...] = ()
    """Switches whose neighbours were not read, and why."""


def health_of(statuses: Iterable[Status]) -> Health:
    """A device's colour from the statuses of its findings.

    >>> health_of([Status.PASS, Status.FAIL]).value, health_of([Status.PASS, Status.ERROR]).value
    ('failing', 'not_judged')
    >>> health_of([Status.WAIVED, Status.NOT_APPLICABLE]).value, health_of([]).value
    ('no_failures', 'not_assessed')
    """
    ran = {s for s in statuses if s.ran}
    if Status.FAIL in ran:
        return Health.FAILING
    if any(s.not_judged for s in ran):
        return Health.NOT_JUDGED
    return Health.NO_FAILURES if ran else Health.NOT_ASSESSED


def _switch_label(target: Target) -> str:
    counts: dict[str, int] = {}
    for group in target.vars.ports:
        if group.role not in (PortRole.UPLINK, PortRole.UNUSED):
            counts[group.role.value] = counts.get(group.role.value, 0) + len(group.port_names())
    summary = ", ".join(f"{n} {role.replace('_uplink', '')}" for role, n in counts.items())
    lines = [target.name, target.vars.model or "", str(target.address), summary]
    return "\n".join(clean(line) for line in lines if line)


def _switch_nodes(target: Target, health: Health) -> list[Node]:
    """A switch's box; a stack's members are boxes of one group, the first being the switch
    (which its links join) and the others ``name#2`` … (never a host name)."""
    tier = SWITCH_TIERS.get(target.vars.device_role or "", Tier.ACCESS)
    members = target.vars.stack_members
    if members is None:
        return [
            Node(target.name, _switch_label(target), tier, "switch", health, f"t-{target.name}")
        ]
    first = Node(
        target.name,
        f"{_switch_label(target)}\nmember 1",
        tier,
        "switch",
        health,
        f"t-{target.name}",
        target.name,
    )
    model = clean(target.vars.model or "")
    others = [
        Node(
            f"{target.name}#{i}",
            f"{target.name}\n{model}\nmember {i}".replace("\n\n", "\n"),
            tier,
            "switch",
            health,
            f"t-{target.name}",
            target.name,
        )
        for i in range(2, members + 1)
    ]
    return [first, *others]


def stacks(drawing: Drawing) -> dict[str, list[Node]]:
    """Each stacked switch of the drawing → its member boxes, first member first."""
    found: dict[str, list[Node]] = {}
    for node in drawing.nodes:
        if node.stack is not None:
            found.setdefault(node.stack, []).append(node)
    return found


def stack_label(name: str, members: int) -> str:
    """A stack's group label.

    >>> stack_label("stm-sw01", 2)
    'stm-sw01: stack of 2 members'
    """
    return f"{name}: stack of {members} members"


def _uplinks(school: School, names: set[str]) -> tuple[list[Node], list[Link]]:
    """Every uplink port group as a link, one per pair of devices described from either end."""
    extra: dict[str, Node] = {}
    pairs: dict[frozenset[str], list[str]] = {}
    for switch in (t for t in school.targets if t.kind == "switch"):
        for group in switch.vars.ports:
            if group.role is not PortRole.UPLINK:
                continue
            peer = peer_name(group.description)
            if peer is None or peer == switch.name:
                peer = f"?{switch.name}@{group.name}"  # never a host name
            if peer not in names and peer not in extra:
                firewall = "firewall" in (group.description or "").lower()
                label = clean(group.description or "unnamed uplink")
                extra[peer] = Node(
                    peer,
                    label if not firewall else f"{peer}\nfirewall",
                    Tier.EDGE if firewall else Tier.ACCESS,
                    "firewall" if firewall else "unknown",
                )
            pairs.setdefault(frozenset((switch.name, peer)), []).append(
                f"{switch.name} {group.name}"
            )
    links = []
    for pair, ports in pairs.items():
        a, b = sorted(pair)
        links.append(Link(a, b, tuple(sorted(ports)), True))
    return list(extra.values()), links


def _hosts(school: School, by_target: dict[str, Health]) -> tuple[list[Node], list[Link]]:
    nodes, links = [], []
    ports = {
        peer_name(g.description): (s.name, g.name)
        for s in school.targets
        if s.kind == "switch"
        for g in s.vars.ports
        if g.role is not PortRole.UPLINK
    }
    for host in (t for t in school.targets if t.kind != "switch"):
        where = ports.get(host.name)
        role = host.vars.device_role or host.kind
        note = "" if where else "\nport not recorded"
        label = f"{host.name}\n{clean(role)}\n{host.address}{note}"
        nodes.append(
            Node(
                host.name,
                label,
                Tier.SERVERS,
                str(host.kind),
                by_target.get(host.name, Health.NOT_ASSESSED),
                f"t-{host.name}",
            )
        )
        if where:
            links.append(Link(where[0], host.name, (f"{where[0]} {where[1]}",), False))
    return nodes, links


def registered_access_points(school: School) -> int:
    """Access points in the school's register that are not disposed of."""
    return sum(
        1 for a in school.assets if a.type is AssetType.ACCESS_POINT and a.disposed_date is None
    )


def _access_points(school: School) -> tuple[list[Node], list[Link]]:
    nodes, links = [], []
    for switch in (t for t in school.targets if t.kind == "switch"):
        groups = [g.name for g in switch.vars.ports if g.role is PortRole.AP_UPLINK]
        if not groups:
            continue
        node_id = f"aps@{switch.name}"  # never a host name
        label = "access points\non " + ", ".join(groups)
        nodes.append(Node(node_id, label, Tier.ACCESS_POINTS, "access_points"))
        links.append(Link(switch.name, node_id, tuple(f"{switch.name} {g}" for g in groups), False))
    return nodes, links


def school_drawing(school: School, findings: Sequence[Finding] = ()) -> Drawing:
    """The school's drawing from its inventory, coloured by ``findings`` (the latest scan's)."""
    by_target: dict[str, list[Finding]] = {}
    for f in findings:
        if f.school == school.id:
            by_target.setdefault(f.target, []).append(f)
    health = {name: health_of(f.status for f in rows) for name, rows in by_target.items()}
    switches = [
        node
        for t in school.targets
        if t.kind == "switch"
        for node in _switch_nodes(t, health.get(t.name, Health.NOT_ASSESSED))
    ]
    names = {t.name for t in school.targets}
    peers, uplinks = _uplinks(school, names)
    hosts, host_links = _hosts(school, health)
    aps, ap_links = _access_points(school)
    return Drawing(
        school.id,
        school.info.name,
        tuple(switches + peers + hosts + aps),
        tuple(uplinks + host_links + ap_links),
    )


def missing_from(school: School, drawing: Drawing) -> list[str]:
    """What the inventory has and the drawing lacks: switches, hosts and uplink ports.

    An empty list means every switch, every host and every port-role uplink is drawn.
    """
    ids = {n.id for n in drawing.nodes}
    drawn_ports = {p for link in drawing.links if link.uplink for p in link.ports}
    missing = [f"device {t.name}" for t in school.targets if t.name not in ids]
    for switch in (t for t in school.targets if t.kind == "switch"):
        for group in switch.vars.ports:
            port = f"{switch.name} {group.name}"
            if group.role is PortRole.UPLINK and port not in drawn_ports:
                missing.append(f"uplink {port}")
    return missing


SHAPES = {
    "switch": "box",
    "firewall": "box3d",
    "linux": "component",
    "access_points": "ellipse",
    "unknown": "note",
}


def to_graph(drawing: Drawing) -> graphviz.Graph:
    """The drawing as a graphviz graph: one ``rank=same`` subgraph per tier, top to bottom."""
    graph = graphviz.Graph(drawing.school, engine="dot")
    graph.attr(rankdir="TB", nodesep="0.35", ranksep="0.7", fontname="DejaVu Sans")
    graph.attr("node", style="filled,rounded", fontname="DejaVu Sans", fontsize="10")
    graph.attr("edge", fontname="DejaVu Sans", fontsize="8", color="#1f3a5f")
    for tier in Tier:
        members = [n for n in drawing.nodes if n.tier is tier]
        if not members:
            continue
        with graph.subgraph(name=f"tier_{tier.value}") as sub:
            sub.attr(rank="same")
            for node in members:
                if node.stack is None:
                    _node(sub, node)
    for name, group in stacks(drawing).items():
        # a cluster is drawn only at the top level, so a stack is not inside its tier's
        # subgraph: its members share a rank, and its links place it among the tiers
        with graph.subgraph(name=f"cluster_stack_{name}") as box:
            box.attr(label=stack_label(name, len(group)), style="rounded,dashed", rank="same")
            box.attr(color="#1f3a5f", fontsize="9", fontname="DejaVu Sans")
            for node in group:
                _node(box, node)
            for left, right in itertools.pairwise(group):
                box.edge(left.id, right.id, style="invis")  # members left to right, in order
    rank = {n.id: list(Tier).index(n.tier) for n in drawing.nodes}
    for link in drawing.links:
        upper, lower = sorted((link.a, link.b), key=lambda n: (rank.get(n, 99), n))
        colour, style, words = LINK_STYLES[link.state]
        extra = {} if link.state is LinkState.DRAWN else {"color": colour, "style": style}
        graph.edge(
            upper,
            lower,
            label="\n".join(link.ports) if link.uplink else "",
            penwidth="2.4" if link.uplink else "1",
            tooltip=words if link.uplink else "",
            **extra,
        )
    draw_legend(graph, drawing)
    return graph


def _node(graph: graphviz.Graph, node: Node) -> None:
    extra = {"URL": f"#{node.anchor}", "target": "_top"} if node.anchor else {}
    graph.node(
        node.id,
        node.label,
        shape=SHAPES.get(node.kind, "box"),
        fillcolor=COLOURS[node.health],
        tooltip=f"{node.id}: {HEALTH_WORDS[node.health]}",
        **extra,
    )


def to_svg(drawing: Drawing) -> str:
    """The drawing as an SVG element for a page (no XML prolog or doctype)."""
    text = str(to_graph(drawing).pipe(format="svg", encoding="utf-8"))
    return text[text.index("<svg") :]


_SVG = "{http://www.w3.org/2000/svg}"


def svg_devices(svg: str) -> set[str]:
    """The node names an SVG drawing holds (graphviz titles each node's group with its id)."""
    root = ET.fromstring(svg)  # noqa: S314 - graphviz's own output, made by this module
    return {
        (group.findtext(f"{_SVG}title") or "")
        for group in root.iter(f"{_SVG}g")
        if group.get("class") == "node"
    }


def layout(drawing: Drawing) -> dict[str, tuple[float, float, float, float]]:
    """graphviz's placement of every node (and of every cluster, by its graphviz name
    ``cluster_…``): id → (centre x, centre y, width, height) in points, y downwards (as draw.io
    counts)."""
    data = json.loads(to_graph(drawing).pipe(format="json", encoding="utf-8"))
    height = float(data["bb"].split(",")[3])
    placed = {}
    for obj in data.get("objects", []):
        if "pos" not in obj:
            if str(obj.get("name", "")).startswith("cluster_") and "bb" in obj:
                x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
                placed[obj["name"]] = ((x0 + x1) / 2, height - (y0 + y1) / 2, x1 - x0, y1 - y0)
            continue  # a subgraph
        x, y = (float(v) for v in obj["pos"].split(","))
        placed[obj["name"]] = (x, height - y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    return placed
