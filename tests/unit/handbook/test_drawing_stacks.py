"""A stacked switch (``stack_members``) is drawn as one group of its members: a graphviz cluster
in the SVG and a container in the draw.io file, labelled with the member count."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from matops.handbook.drawing import missing_from, school_drawing, stacks, svg_devices, to_svg
from matops.handbook.drawio import to_drawio
from matops.inventory.loader import load_trust

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "inventories" / "example-trust"
SVG = "{http://www.w3.org/2000/svg}"


def _clusters(svg: str) -> dict[str, str]:
    """Each cluster's graphviz name → its label text."""
    root = ET.fromstring(svg)
    return {
        group.findtext(f"{SVG}title") or "": " ".join(
            t.text or "" for t in group.iter(f"{SVG}text")
        )
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "cluster"
    }


def test_st_marys_core_stack_is_drawn_as_a_group_of_two() -> None:
    school = load_trust(EXAMPLE).school("st-marys-ce-primary")
    drawing = school_drawing(school)
    assert [n.id for n in stacks(drawing)["stm-sw01"]] == ["stm-sw01", "stm-sw01#2"]
    assert missing_from(school, drawing) == []
    svg = to_svg(drawing)
    assert _clusters(svg) == {"cluster_stack_stm-sw01": "stm-sw01: stack of 2 members"}
    assert {"stm-sw01", "stm-sw01#2", "stm-sw02"} <= svg_devices(svg)
    cells = ET.fromstring(to_drawio(drawing)).findall(".//mxCell")
    (container,) = [c for c in cells if c.get("id") == "s-stm-sw01"]
    assert container.get("value") == "stm-sw01: stack of 2 members"
    assert "container=1" in (container.get("style") or "")
    inside = [c.get("value", "").split("\n") for c in cells if c.get("parent") == "s-stm-sw01"]
    assert [(v[0], v[-1]) for v in inside] == [("stm-sw01", "member 1"), ("stm-sw01", "member 2")]
    # links still join the stack's first member, the switch matops manages
    assert any({x.a, x.b} == {"stm-sw01", "stm-sw02"} for x in drawing.links)


def test_the_member_count_comes_from_the_inventory(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root)
    path = root / "schools" / "st-marys-ce-primary.yml"
    text = path.read_text()
    assert text.count("stack_members: 2") == 1
    path.write_text(text.replace("stack_members: 2", "stack_members: 4"))
    drawing = school_drawing(load_trust(root).school("st-marys-ce-primary"))
    assert len(stacks(drawing)["stm-sw01"]) == 4
    assert "stm-sw01: stack of 4 members" in _clusters(to_svg(drawing)).values()


def test_a_single_switch_is_no_group() -> None:
    drawing = school_drawing(load_trust(EXAMPLE).school("oakfield-primary"))
    assert stacks(drawing) == {} and _clusters(to_svg(drawing)) == {}
    assert not any("s-" in (c.get("id") or "") for c in ET.fromstring(to_drawio(drawing)).iter())
