"""A school's endpoint refresh plan: the register rows being replaced and the delivered devices.

One YAML file per school, ``<trust>/refresh/<school>.yml`` (Ansible ignores ``refresh/``)::

    school: riverside-academy
    title: Summer 2026 staff laptops
    replaces:                     # asset tags of the school's register rows being replaced
      - MLT-RIV-00120
    delivery_notes:               # the supplier's delivery notes (CSV), relative to this file
      - riverside-academy-delivery.csv

Every problem (YAML, an unknown field, a tag not in the school's register, a bad note row) is
reported as ``path:line``, as for the rest of the inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from matops.inventory.model import Asset, Trust
from matops.refresh.delivery import DeliveredDevice, read_delivery_note
from matops.refresh.model import EndpointPlanView
from matops.source.problems import Problem
from matops.source.pydantic_errors import validate_node
from matops.source.yamlsrc import LineDict, LineList, YamlSyntaxError, load_yaml_file

PLAN_FOLDER = "refresh"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class PlanFile(BaseModel):
    """The plan file as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    school: Text
    title: str = ""
    replaces: list[Text] = []
    delivery_notes: list[Text] = []


@dataclass(frozen=True)
class ReplacedRow:
    """A register row being replaced, with the plan line that names it."""

    asset: Asset
    line: int


@dataclass
class EndpointPlan:
    """A validated plan: the school, its replaced register rows and its delivered devices."""

    path: Path
    school: str
    title: str
    replaced: list[ReplacedRow] = field(default_factory=list)
    new: list[DeliveredDevice] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def plan_path(trust_dir: Path, school: str) -> Path:
    """Where a school's endpoint refresh plan lives.

    >>> plan_path(Path("inventories/example-trust"), "riverside-academy")
    PosixPath('inventories/example-trust/refresh/riverside-academy.yml')
    """
    return trust_dir / PLAN_FOLDER / f"{school}.yml"


def _item_lines(node: object, key: str, count: int) -> list[int]:
    items = node.get(key) if isinstance(node, LineDict) else None
    if isinstance(items, LineList):
        return list(items.item_lines)
    line = node.key_lines.get(key, 1) if isinstance(node, LineDict) else 1
    return [line] * count


def load_plan(path: Path, trust: Trust) -> EndpointPlan:
    """Read and check one plan against the trust's registers; problems as ``path:line``."""
    try:
        node = load_yaml_file(path)
    except YamlSyntaxError as exc:
        return EndpointPlan(path, "", "", problems=[Problem(path, exc.line, str(exc))])
    except OSError as exc:
        problem = Problem(path, 1, f"cannot read the plan: {exc.strerror}")
        return EndpointPlan(path, "", "", problems=[problem])
    content, problems = validate_node(PlanFile, node if node is not None else LineDict(), path)
    if content is None:
        return EndpointPlan(path, "", "", problems=problems)
    plan = EndpointPlan(path, content.school, content.title)
    known = {s.id: s for s in trust.schools}
    school = known.get(content.school)
    if school is None:
        line = node.key_lines.get("school", 1) if isinstance(node, LineDict) else 1
        names = ", ".join(sorted(known))
        plan.problems.append(Problem(path, line, f"no school {content.school!r}; schools: {names}"))
        return plan
    _replaced(plan, content, node, school.assets, trust)
    _delivered(plan, content, node)
    return plan


def _replaced(
    plan: EndpointPlan, content: PlanFile, node: object, assets: list[Asset], trust: Trust
) -> None:
    by_tag = {a.asset_tag: a for a in assets}
    elsewhere = {a.asset_tag: s.id for s in trust.schools for a in s.assets}
    lines = _item_lines(node, "replaces", len(content.replaces))
    seen: dict[str, int] = {}
    for tag, line in zip(content.replaces, lines, strict=True):
        asset = by_tag.get(tag)
        if tag in seen:
            plan.problems.append(Problem(plan.path, line, f"{tag} is also on line {seen[tag]}"))
        elif asset is None:
            where = elsewhere.get(tag)
            detail = f"it is {where}'s" if where else "no register row has that asset tag"
            plan.problems.append(
                Problem(plan.path, line, f"{tag} is not in {plan.school}'s register ({detail})")
            )
        else:
            seen[tag] = line
            plan.replaced.append(ReplacedRow(asset, line))


def _delivered(plan: EndpointPlan, content: PlanFile, node: object) -> None:
    lines = _item_lines(node, "delivery_notes", len(content.delivery_notes))
    seen: dict[str, DeliveredDevice] = {}
    for name, line in zip(content.delivery_notes, lines, strict=True):
        note_path = plan.path.parent / name
        if not note_path.is_file():
            plan.problems.append(Problem(plan.path, line, f"no delivery note {note_path}"))
            continue
        note = read_delivery_note(note_path)
        plan.problems += note.problems
        chosen = ", ".join(f"{f} from {h!r}" for f, h in note.columns.items())
        if chosen:
            plan.notes.append(f"{note_path.name}: header on line {note.header_line}; {chosen}")
        plan.notes += [f"{note_path.name}: {n}" for n in note.notes]
        for device in note.devices:
            if device.serial in seen:
                first = seen[device.serial]
                plan.problems.append(
                    Problem(
                        note_path, device.line, f"serial {device.serial} is also at {first.where}"
                    )
                )
                continue
            seen[device.serial] = device
            plan.new.append(device)


def plan_view(trust_dir: Path, trust: Trust, school: str) -> EndpointPlanView | None:
    """The school's plan as ``refresh plan`` shows it; None when the school has none."""
    path = plan_path(trust_dir, school)
    if not path.is_file():
        return None
    plan = load_plan(path, trust)
    problems = [str(p) for p in plan.problems]
    if plan.school and plan.school != school:
        problems.append(f"{path}:1: the plan is for {plan.school}, but it is {school}'s file")
    return EndpointPlanView(
        path=str(path), replaced=len(plan.replaced), new=len(plan.new), problems=problems
    )
