"""The schools' drawings match their inventories: every switch, host and port-role uplink."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from matops.handbook.drawing import (
    Health,
    Tier,
    missing_from,
    school_drawing,
    svg_devices,
    to_svg,
)
from matops.handbook.drawio import to_drawio
from matops.inventory.loader import load_trust
from matops.inventory.model import PortRole, School
from tests.support.results_factory import finding

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "inventories" / "example-trust"
SCHOOLS = [s.id for s in load_trust(EXAMPLE).schools]

NEW_SWITCH = """\
        riv-sw04:
          ansible_host: 198.18.20.6
          platform: aruba_aoscx
          model: 6100 JL679A
          device_role: access
          ports:
            - {name: 1/1/1-8, role: curriculum, description: music block}
            - {name: 1/1/15, role: uplink, description: riv-core01 1/1/52}
            - {name: 1/1/16, role: unused}
"""


def _school(school_id: str, root: Path = EXAMPLE) -> School:
    return load_trust(root).school(school_id)


def _uplinks(school: School) -> list[str]:
    return [
        f"{t.name} {g.name}"
        for t in school.targets
        if t.kind == "switch"
        for g in t.vars.ports
        if g.role is PortRole.UPLINK
    ]


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_every_switch_host_and_uplink_of_the_school_is_drawn(school_id: str) -> None:
    school = _school(school_id)
    drawing = school_drawing(school)
    assert missing_from(school, drawing) == []
    ids = {n.id for n in drawing.nodes}
    assert {t.name for t in school.targets} <= ids
    drawn = {p for link in drawing.links if link.uplink for p in link.ports}
    assert set(_uplinks(school)) <= drawn
    assert len(_uplinks(school)) >= 2
    assert {t.name for t in school.targets} <= svg_devices(to_svg(drawing))


@pytest.mark.parametrize("school_id", SCHOOLS)
def test_the_drawio_file_has_every_device_and_link(school_id: str) -> None:
    school = _school(school_id)
    drawing = school_drawing(school)
    root = ET.fromstring(to_drawio(drawing))
    cells = root.findall(".//mxCell")
    vertices = {c.get("id"): c.get("value", "").split("\n")[0] for c in cells if c.get("vertex")}
    edges = [
        (vertices[str(c.get("source"))], vertices[str(c.get("target"))])
        for c in cells
        if c.get("edge")
    ]
    assert {t.name for t in school.targets} <= set(vertices.values())
    assert len(edges) == len(drawing.links)
    for cell in cells:
        if cell.get("vertex"):
            geometry = cell.find("mxGeometry")
            assert geometry is not None and float(geometry.get("width", "0")) > 0


def test_the_example_schools_read_firewall_core_access() -> None:
    drawing = school_drawing(_school("riverside-academy"))
    tiers = {n.id: n.tier for n in drawing.nodes}
    assert tiers["riv-fw01"] is Tier.EDGE
    assert tiers["riv-core01"] is Tier.CORE
    assert {tiers[f"riv-sw0{i}"] for i in (1, 2, 3)} == {Tier.ACCESS}
    both_ends = [link for link in drawing.links if {link.a, link.b} == {"riv-core01", "riv-sw01"}]
    assert [link.ports for link in both_ends] == [("riv-core01 1/1/49", "riv-sw01 1/1/25")]


def test_a_switch_added_to_the_inventory_is_drawn(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root)
    before = school_drawing(_school("riverside-academy", root))
    path = root / "schools" / "riverside-academy.yml"
    text = path.read_text()
    anchor = "        riv-sw03:\n"
    assert anchor in text
    path.write_text(text.replace(anchor, NEW_SWITCH + anchor, 1))
    school = _school("riverside-academy", root)
    after = school_drawing(school)
    assert missing_from(school, after) == []
    assert "riv-sw04" in {n.id for n in after.nodes}
    assert "riv-sw04" in svg_devices(to_svg(after))
    assert "riv-sw04" not in svg_devices(to_svg(before))
    # the drawing made before the switch was added no longer matches the inventory
    assert missing_from(school, before) == ["device riv-sw04", "uplink riv-sw04 1/1/15"]


def test_an_uplink_to_no_known_device_is_still_drawn() -> None:
    school = _school("oakfield-primary")
    drawing = school_drawing(school)
    firewall = next(n for n in drawing.nodes if n.id == "oak-fw01")
    assert firewall.kind == "firewall" and firewall.tier is Tier.EDGE


def test_colours_follow_the_latest_findings() -> None:
    school = _school("oakfield-primary")
    findings = [
        finding("oakfield-primary", "switch_telnet_disabled", "oak-sw01", "fail"),
        finding("oakfield-primary", "switch_telnet_disabled", "oak-sw02", "pass"),
        finding("oakfield-primary", "ssh_root_login_disabled", "oak-srv01", "unreachable"),
        finding("other-school", "switch_telnet_disabled", "oak-ws01", "fail"),
    ]
    health = {n.id: n.health for n in school_drawing(school, findings).nodes}
    assert health["oak-sw01"] is Health.FAILING
    assert health["oak-sw02"] is Health.NO_FAILURES
    assert health["oak-srv01"] is Health.NOT_JUDGED
    assert health["oak-ws01"] is Health.NOT_ASSESSED


def test_the_readme_picture_is_riversides_current_drawing() -> None:
    """docs/img/handbook-drawing.svg is cut from the example trust's handbook: it must still hold
    every device of Riverside Academy's inventory (rebuild it when a device is added)."""
    picture = (REPO / "docs" / "img" / "handbook-drawing.svg").read_text()
    school = _school("riverside-academy")
    drawn = svg_devices(picture[picture.index("<svg") :])
    assert {n.id for n in school_drawing(school).nodes} == drawn
