"""How the drawings' lines look: each link's state against the LLDP neighbours, its style,
and the key that explains them (in the SVG here, in the draw.io file by
:mod:`matops.handbook.drawio`)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import graphviz

if TYPE_CHECKING:
    from matops.handbook.drawing import Drawing


class LinkState(StrEnum):
    """A link against the last live scan's LLDP neighbours (:mod:`matops.handbook.neighbours`)."""

    DRAWN = "drawn"
    """From the inventory; not compared (neighbours not read, or not an uplink)."""
    CONFIRMED = "confirmed"
    DRAWN_ONLY = "drawn_only"
    DISCOVERED_ONLY = "discovered_only"


LINK_STYLES: dict[LinkState, tuple[str, str, str]] = {
    LinkState.DRAWN: ("#1f3a5f", "solid", "uplink from the inventory"),
    LinkState.CONFIRMED: ("#2e7d32", "solid", "uplink confirmed by LLDP"),
    LinkState.DRAWN_ONLY: ("#c62828", "dashed", "uplink in the inventory, not discovered"),
    LinkState.DISCOVERED_ONLY: ("#6a1b9a", "dotted", "discovered by LLDP, not in the inventory"),
}
"""Each state's line colour, graphviz style and words in the legend."""


LEGEND = "legend"
"""The id of the drawing's key (never a host name: it has no hyphen or digit, and is drawn
only when links were compared)."""


def legend_states(drawing: Drawing) -> list[LinkState]:
    """The link states the key explains: none when no link was compared with neighbours."""
    states = {link.state for link in drawing.links if link.uplink}
    if states <= {LinkState.DRAWN}:
        return []
    return [s for s in LinkState if s is not LinkState.DRAWN]


def draw_legend(graph: graphviz.Graph, drawing: Drawing) -> None:
    """Add the key to the lines (node :data:`LEGEND`, at the bottom) when links were compared."""
    states = legend_states(drawing)
    if not states:
        return
    marks = {"solid": "━━━━", "dashed": "━ ━ ━", "dotted": "┅┅┅┅"}
    rows = "".join(
        f'<tr><td align="left"><font color="{LINK_STYLES[s][0]}">'
        f"{marks[LINK_STYLES[s][1]]}</font> {LINK_STYLES[s][2]}</td></tr>"
        for s in states
    )
    with graph.subgraph(name="tier_legend") as sub:
        sub.attr(rank="sink")
        sub.node(
            LEGEND,
            f'<<table border="0" cellborder="0">{rows}</table>>',
            shape="box",
            style="rounded",
            fillcolor="#ffffff",
            tooltip="key to the lines",
        )
