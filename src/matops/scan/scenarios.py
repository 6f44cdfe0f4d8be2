"""Scenarios: data files beside each check, named by the outcome they expect.

``checks/<area>/<id>/tests/<what>.<status>.yml`` where ``<status>`` is ``pass``, ``fail``,
``not_applicable`` or ``error``::

    description: factory default config allows telnet on the VTY lines
    facts:
      running_config: {platform: cisco_ios, telnet_enabled: true}
    detail_contains: telnet        # optional: text the verdict's detail must include

Every fact the judge needs must be given; values are validated against the fact's declared type.
A switch config fact (``running_config``, ``startup_config``) may instead be given as the text a
device prints, parsed by matops' real parser when the scenario loads::

    facts:
      running_config:
        platform: cisco_ios
        text: |
          enable algorithm-type scrypt secret 9 $9$…
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from matops.facts.catalogue import FACTS
from matops.facts.network.parse import parse_config
from matops.scan.catalogue import Check
from matops.scan.verdict import JudgeStatus, Verdict
from matops.source.problems import Problem
from matops.source.pydantic_errors import validate_node
from matops.source.yamlsrc import YamlSyntaxError, line_of, load_yaml_file

STATUSES = {s.value for s in JudgeStatus}
CONFIG_TEXT_FACTS = frozenset({"running_config", "startup_config"})
"""Facts a scenario may give as raw config text (``{platform: …, text: …}``)."""


class ScenarioFile(BaseModel):
    """The content of a scenario file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str = Field(min_length=5)
    facts: dict[str, Any]
    detail_contains: list[str] = Field(default_factory=list)

    @field_validator("detail_contains", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> list[str]:
        """Scalars (dates and numbers included: YAML reads ``2025-10-31`` as a date) → text."""
        items = value if isinstance(value, list) else [value]
        return [str(item) for item in items]


class Scenario(BaseModel):
    """A loaded scenario: typed facts and the expected outcome."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    description: str
    facts: dict[str, Any]
    expect: JudgeStatus
    detail_contains: list[str]


def expected_status(path: Path) -> JudgeStatus | None:
    """The outcome a scenario file's name promises (``telnet_on.fail.yml`` → fail)."""
    parts = path.name.split(".")
    if len(parts) != 3 or parts[2] != "yml" or parts[1] not in STATUSES:
        return None
    return JudgeStatus(parts[1])


def _typed_facts(
    facts: dict[str, Any], node: Any, path: Path
) -> tuple[dict[str, Any], list[Problem]]:
    """Validate each fact value against its declared type; problems carry the YAML line."""
    typed: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in facts.items():
        if (
            name in CONFIG_TEXT_FACTS
            and isinstance(value, dict)
            and set(value) == {"platform", "text"}
        ):
            try:
                typed[name] = parse_config(str(value["platform"]), str(value["text"]))
            except ValueError as exc:
                problems.append(
                    Problem(path, line_of(node, ("facts", name)), f"facts.{name}: {exc}")
                )
            continue
        try:
            typed[name] = FACTS[name].adapter().validate_python(value)
        except ValidationError as exc:
            for error in exc.errors():
                loc = ("facts", name, *error["loc"])
                message = f"{'.'.join(map(str, loc))}: {error['msg']}"
                problems.append(Problem(path, line_of(node, loc), message))
    return typed, problems


def load_scenario(check: Check, path: Path) -> tuple[Scenario | None, list[Problem]]:
    """Load and type one scenario of ``check``; problems carry file and line."""
    expect = expected_status(path)
    if expect is None:
        valid = ", ".join(sorted(STATUSES))
        return None, [
            Problem(path, 1, f"scenario file must be named <what>.<status>.yml ({valid})")
        ]
    try:
        node = load_yaml_file(path)
    except YamlSyntaxError as exc:
        return None, [Problem(path, exc.line, str(exc))]
    content, problems = validate_node(ScenarioFile, node, path)
    if content is None:
        return None, problems
    missing = sorted(set(check.meta.facts) - set(content.facts))
    extra = sorted(set(content.facts) - set(check.meta.facts))
    if missing or extra:
        message = (
            f"scenario facts must be exactly {check.meta.facts}; missing {missing}, extra {extra}"
        )
        return None, [Problem(path, line_of(node, ("facts",)), message)]
    typed, problems = _typed_facts(content.facts, node, path)
    if problems:
        return None, problems
    scenario = Scenario(
        path=path,
        description=content.description,
        facts=typed,
        expect=expect,
        detail_contains=content.detail_contains,
    )
    return scenario, []


def run_scenario(check: Check, scenario: Scenario) -> Verdict:
    """Judge the scenario's facts with the check."""
    return check.judge(**scenario.facts)
