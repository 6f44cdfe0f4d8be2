"""Turn pydantic validation errors into line-numbered problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from matops.inventory.problems import Problem
from matops.inventory.yamlsrc import line_of


def describe(error: Any) -> str:
    """A one-line, human message for one pydantic error dict."""
    loc = [str(p) for p in error["loc"]]
    where = ".".join(loc[:-1]) if loc else ""
    field = loc[-1] if loc else ""
    kind = error["type"]
    if kind == "extra_forbidden":
        suffix = f" in {where}" if where else ""
        return f"unknown field {field!r}{suffix}"
    if kind == "missing":
        suffix = f" in {where}" if where else ""
        return f"missing required field {field!r}{suffix}"
    message = str(error["msg"]).removeprefix("Value error, ")
    dotted = ".".join(loc)
    value = error.get("input")
    if kind.startswith(("ip_v4", "ip_any")) or "IPv4" in message:
        return f"{dotted}: {value!r} is not a valid IPv4 address or network"
    return f"{dotted}: {message}" if dotted else message


M = TypeVar("M", bound=BaseModel)


def validate_node(
    model: type[M],
    node: Any,
    path: Path,
    prefix: tuple[int | str, ...] = (),
) -> tuple[M | None, list[Problem]]:
    """Validate ``node`` as ``model``; problems carry the YAML line of each bad value.

    ``prefix`` is where ``node`` sits in its document, so messages can name the full path,
    e.g. ``school.network.vlans.1.id``.
    """
    try:
        return model.model_validate(node), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            line = line_of(node, error["loc"], default=getattr(node, "line", 1))
            full = {**error, "loc": (*prefix, *error["loc"])}
            problems.append(Problem(path, line, describe(full)))
        return None, problems
