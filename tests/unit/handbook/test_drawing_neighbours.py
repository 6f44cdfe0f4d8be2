"""Drawn links against the LLDP neighbours of a live scan: confirmed, drawn only, discovered only,
in the SVG, the draw.io file and the school page's words; without results, as before."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from matops.facts.network.neighbours import Neighbour, SwitchNeighbours, not_read
from matops.handbook.context import HandbookContext
from matops.handbook.drawing import Drawing, school_drawing, to_svg
from matops.handbook.drawio import to_drawio
from matops.handbook.linkstyles import LINK_STYLES, LinkState
from matops.handbook.neighbours import NO_RESULTS, compare_neighbours
from matops.handbook.pages import OFFLINE_RESULTS, school_drawing_of, school_drawing_section
from matops.inventory.loader import load_trust
from matops.inventory.model import School
from matops.report.compare import load_results
from matops.scan.results import Results
from tests.support.results_factory import results

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "inventories" / "example-trust"
OAK = "oakfield-primary"
CMD = "show lldp neighbors detail"


def _school() -> School:
    return load_trust(EXAMPLE).school(OAK)


def _seen(device: str, *entries: tuple[str, str | None, str | None]) -> SwitchNeighbours:
    found = [Neighbour(local_port=p, name=n, port=q) for p, n, q in entries]
    return SwitchNeighbours(
        device=device, school=OAK, platform="cisco_ios", command=CMD, read=True, neighbours=found
    )


SW01 = _seen(
    "oak-sw01",
    ("Gi1/1/1", "oak-sw02.oakfield.example", "Gi1/0/25"),  # the drawn uplink, from this end
    ("Gi1/0/1", "oak-fw01", "port1"),  # the firewall
    ("Gi1/0/17", "AP-Hall", "eth0"),  # an access point on an ap_uplink port
    ("Gi1/0/5", "Staff-PC-3", None),  # an end device on a staff port
    ("Gi1/0/24", "rogue-sw", "Gi0/1"),  # a cable on an unused port
)
SW02_CONFIRMS = _seen("oak-sw02", ("Gi1/0/25", "OAK-SW01", "Gi1/1/1"))
SW02_EMPTY = _seen("oak-sw02")


def _state(drawing: Drawing, a: str, b: str) -> LinkState:
    (link,) = [x for x in drawing.links if {x.a, x.b} == {a, b}]
    return link.state


def test_matching_neighbours_confirm_and_an_unknown_cable_is_discovered_only() -> None:
    school = _school()
    drawing = compare_neighbours(school, school_drawing(school), [SW01, SW02_CONFIRMS])
    assert _state(drawing, "oak-sw01", "oak-sw02") is LinkState.CONFIRMED
    assert _state(drawing, "oak-sw01", "oak-fw01") is LinkState.CONFIRMED
    rogue = [x for x in drawing.links if "rogue-sw" in (x.a, x.b)]
    assert [(x.state, x.ports) for x in rogue] == [
        (LinkState.DISCOVERED_ONLY, ("oak-sw01 Gi1/0/24", "rogue-sw Gi0/1"))
    ]
    assert "rogue-sw" in {n.id for n in drawing.nodes}
    # access points and end devices on user ports are not links to draw
    assert not {"ap-hall", "staff-pc-3"} & {n.id for n in drawing.nodes}
    assert drawing.differences == (
        "oak-sw01 – rogue-sw is discovered (oak-sw01 Gi1/0/24, rogue-sw Gi0/1) but not drawn: "
        "the inventory has no uplink there.",
    )
    assert drawing.notes == ()


def test_an_uplink_nobody_hears_is_drawn_only_and_said() -> None:
    school = _school()
    drawing = compare_neighbours(school, school_drawing(school), [SW01, SW02_EMPTY])
    assert _state(drawing, "oak-sw01", "oak-sw02") is LinkState.DRAWN_ONLY
    assert any(
        "oak-sw01 – oak-sw02 is drawn" in d
        and "oak-sw02 hears nothing on GigabitEthernet1/0/25" in d
        for d in drawing.differences
    )


def test_a_switch_not_read_leaves_its_links_as_drawn_and_says_why() -> None:
    school = _school()
    unread = not_read("oak-sw01", OAK, "cisco_ios", CMD, "LLDP is not enabled on the switch")
    drawing = compare_neighbours(school, school_drawing(school), [unread, SW02_CONFIRMS])
    # oak-sw02 confirms the shared uplink; the firewall link has no observed end
    assert _state(drawing, "oak-sw01", "oak-sw02") is LinkState.CONFIRMED
    assert _state(drawing, "oak-sw01", "oak-fw01") is LinkState.DRAWN
    assert drawing.notes == ("oak-sw01: neighbours not read: LLDP is not enabled on the switch.",)
    missing = compare_neighbours(school, school_drawing(school), [SW02_CONFIRMS])
    assert missing.notes == ("oak-sw01: neighbours not read: not in the results of the live scan.",)


def test_styles_and_legend_in_the_svg_and_the_drawio_file() -> None:
    school = _school()
    drawing = compare_neighbours(school, school_drawing(school), [SW01, SW02_EMPTY])
    svg = to_svg(drawing)
    for state in (LinkState.DRAWN_ONLY, LinkState.DISCOVERED_ONLY):
        colour, _, words = LINK_STYLES[state]
        assert f'stroke="{colour}"' in svg and words in svg
    assert 'stroke-dasharray="5,2"' in svg  # dashed: drawn only
    cells = ET.fromstring(to_drawio(drawing)).findall(".//mxCell")
    by_id = {c.get("id"): c for c in cells}
    styles = [c.get("style", "") for c in cells if c.get("edge") and c.get("source")]
    assert any(LINK_STYLES[LinkState.DRAWN_ONLY][0] in s and "dashed=1" in s for s in styles)
    assert any("dashPattern=1 3" in s for s in styles)
    for state in (LinkState.CONFIRMED, LinkState.DRAWN_ONLY, LinkState.DISCOVERED_ONLY):
        words = by_id[f"legend-{state.value}-words"]
        assert words.get("value") == LINK_STYLES[state][2]
        assert LINK_STYLES[state][0] in by_id[f"legend-{state.value}"].get("style", "")


def _live(neighbours: list[SwitchNeighbours]) -> Results:
    base = results([])
    scan = base.scan.model_copy(update={"mode": "live"})
    return base.model_copy(update={"scan": scan, "neighbours": neighbours})


def test_the_school_page_lists_the_differences_in_words() -> None:
    trust = load_trust(EXAMPLE)
    ctx = HandbookContext(root=EXAMPLE, trust=trust, results=_live([SW01, SW02_EMPTY]))
    page = str(school_drawing_section(ctx, trust.school(OAK)))
    assert "Drawn and discovered links differ" in page
    assert "oak-sw01 – rogue-sw is discovered" in page
    assert "oak-sw02 hears nothing on GigabitEthernet1/0/25" in page
    assert LINK_STYLES[LinkState.DISCOVERED_ONLY][2] in page


def test_without_live_results_the_drawing_is_as_before_and_says_so() -> None:
    trust = load_trust(EXAMPLE)
    school = trust.school(OAK)
    plain = to_svg(school_drawing(school))
    for given, note in ((None, NO_RESULTS), (results([]), OFFLINE_RESULTS)):
        ctx = HandbookContext(root=EXAMPLE, trust=trust, results=given)
        drawing = school_drawing_of(ctx, school)
        assert to_svg(drawing) == plain and drawing.notes == (note,)
        assert {x.state for x in drawing.links} == {LinkState.DRAWN}
        assert note in str(school_drawing_section(ctx, school))


def test_results_of_schema_1_3_still_read(tmp_path: Path) -> None:
    data = json.loads(_live([SW01]).model_dump_json())
    data["schema_version"] = "1.3"
    del data["neighbours"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    assert load_results(path).neighbours == []


def test_neighbours_in_results_meet_the_schema() -> None:
    schema = json.loads((REPO / "schemas" / "results.schema.json").read_text())
    unread = not_read("oak-sw01", OAK, "cisco_ios", CMD, "the command failed: timed out")
    data = json.loads(_live([SW01, unread]).model_dump_json())
    assert data["schema_version"] == "1.4"
    jsonschema.Draft202012Validator(schema).validate(data)
