"""Turn pydantic validation errors into line-numbered problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from matops.source.problems import Problem
from matops.source.yamlsrc import LineDict, LineList, YamlSyntaxError, line_of, load_yaml_file


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


def validate_list_file(
    model: type[M], path: Path, key: str
) -> tuple[M | None, list[int], list[Problem]]:
    """Load a YAML file whose entries are listed under ``key`` and validate it as ``model``.

    An empty file is an empty mapping. Returns the content (``None`` when invalid), the line of
    each entry under ``key`` (1 when unknown) and the problems.
    """
    try:
        node = load_yaml_file(path)
    except YamlSyntaxError as exc:
        return None, [], [Problem(path, exc.line, str(exc))]
    content, problems = validate_node(model, node if node is not None else LineDict(), path)
    if content is None:
        return None, [], problems
    items = node.get(key) if isinstance(node, LineDict) else None
    count = len(getattr(content, key))
    lines = items.item_lines if isinstance(items, LineList) else [1] * count
    return content, lines, problems
