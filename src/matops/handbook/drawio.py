"""A school's drawing as an editable draw.io (diagrams.net) file, in graphviz's layout.

The file is uncompressed mxGraph XML: one vertex per device, one edge per link (uplinks drawn
thicker and labelled with their ports), placed where graphviz put them, so a technician opens it
in draw.io and moves, adds or annotates from there.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from matops.handbook.drawing import (
    COLOURS,
    Drawing,
    layout,
    stack_label,
    stacks,
)
from matops.handbook.linkstyles import LEGEND, LINK_STYLES, legend_states

_DASHES = {"solid": "", "dashed": "dashed=1;", "dotted": "dashed=1;dashPattern=1 3;"}

_SHAPES = {
    "switch": "rounded=1;whiteSpace=wrap;",
    "firewall": "shape=cube;whiteSpace=wrap;size=6;",
    "linux": "shape=component;whiteSpace=wrap;",
    "access_points": "ellipse;whiteSpace=wrap;",
    "unknown": "shape=note;whiteSpace=wrap;",
}


def to_drawio(drawing: Drawing) -> str:
    """The mxGraph XML of ``drawing`` (``<mxfile>``), positions from :func:`layout`.

    Cells are ``n<i>`` (devices, in drawing order) and ``e<i>`` (links); a device's label
    (``value``) starts with its inventory name.
    """
    placed = layout(drawing)
    mxfile = ET.Element("mxfile", host="matops", type="device")
    diagram = ET.SubElement(mxfile, "diagram", id=drawing.school, name=drawing.title)
    model = ET.SubElement(diagram, "mxGraphModel", grid="1", gridSize="10", page="0")
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    ids = {}
    containers = _containers(root, drawing, placed)
    for i, node in enumerate(drawing.nodes):
        ids[node.id] = f"n{i}"
        x, y, width, height = placed[node.id]
        parent, (left, top) = containers.get(node.stack or "", ("1", (0.0, 0.0)))
        x, y = x - left, y - top
        style = _SHAPES.get(node.kind, "rounded=0;whiteSpace=wrap;")
        cell = ET.SubElement(
            root,
            "mxCell",
            {
                "id": ids[node.id],
                "value": node.label,
                "style": f"{style}fillColor={COLOURS[node.health]};fontSize=10;",
                "vertex": "1",
                "parent": parent,
            },
        )
        geometry = {
            "x": f"{x - width / 2:.0f}",
            "y": f"{y - height / 2:.0f}",
            "width": f"{width:.0f}",
            "height": f"{height:.0f}",
            "as": "geometry",
        }
        ET.SubElement(cell, "mxGeometry", geometry)
    for i, link in enumerate(drawing.links):
        stroke = "3" if link.uplink else "1"
        colour, dash, _ = LINK_STYLES[link.state]
        cell = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"e{i}",
                "value": "\n".join(link.ports) if link.uplink else "",
                "style": f"endArrow=none;strokeWidth={stroke};strokeColor={colour};"
                f"{_DASHES[dash]}fontSize=8;",
                "tooltip": LINK_STYLES[link.state][2] if link.uplink else "",
                "edge": "1",
                "parent": "1",
                "source": ids[link.a],
                "target": ids[link.b],
            },
        )
        ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
    _legend(root, drawing, placed)
    ET.indent(mxfile)
    return ET.tostring(mxfile, encoding="unicode") + "\n"


def _containers(
    root: ET.Element, drawing: Drawing, placed: dict[str, tuple[float, float, float, float]]
) -> dict[str, tuple[str, tuple[float, float]]]:
    """One draw.io container per stack (cell ``s-<switch>``, where graphviz put its cluster);
    stack name → (container id, its top-left corner), for its members' relative geometry."""
    found: dict[str, tuple[str, tuple[float, float]]] = {}
    for name, members in stacks(drawing).items():
        x, y, width, height = placed[f"cluster_stack_{name}"]
        cell = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"s-{name}",
                "value": stack_label(name, len(members)),
                "style": "rounded=1;dashed=1;container=1;collapsible=0;fillColor=none;"
                "verticalAlign=top;fontSize=9;strokeColor=#1f3a5f;",
                "vertex": "1",
                "parent": "1",
            },
        )
        left, top = x - width / 2, y - height / 2
        box = {"x": f"{left:.0f}", "y": f"{top:.0f}", "width": f"{width:.0f}"}
        ET.SubElement(cell, "mxGeometry", {**box, "height": f"{height:.0f}", "as": "geometry"})
        found[name] = (f"s-{name}", (round(left), round(top)))
    return found


def _legend(
    root: ET.Element, drawing: Drawing, placed: dict[str, tuple[float, float, float, float]]
) -> None:
    """The key to the lines where graphviz put it, when links were compared: per state, a short
    line in its style (``legend-<state>``) and its words beside it (``legend-<state>-words``)."""
    states = legend_states(drawing)
    if not states or LEGEND not in placed:
        return
    x, y, width, _ = placed[LEGEND]
    left, top = x - width / 2, y - 10 * len(states)
    for i, state in enumerate(states):
        colour, dash, words = LINK_STYLES[state]
        row = top + 20 * i
        line = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"legend-{state.value}",
                "value": "",
                "style": f"endArrow=none;strokeWidth=3;strokeColor={colour};{_DASHES[dash]}",
                "edge": "1",
                "parent": "1",
            },
        )
        geometry = ET.SubElement(line, "mxGeometry", {"relative": "1", "as": "geometry"})
        for name, at in (("sourcePoint", left), ("targetPoint", left + 40)):
            ET.SubElement(geometry, "mxPoint", {"x": f"{at:.0f}", "y": f"{row:.0f}", "as": name})
        text = ET.SubElement(
            root,
            "mxCell",
            {
                "id": f"legend-{state.value}-words",
                "value": words,
                "style": "text;align=left;verticalAlign=middle;fontSize=9;",
                "vertex": "1",
                "parent": "1",
            },
        )
        box = {"x": f"{left + 48:.0f}", "y": f"{row - 8:.0f}", "width": "260", "height": "16"}
        ET.SubElement(text, "mxGeometry", {**box, "as": "geometry"})
