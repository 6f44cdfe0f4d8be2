"""Query options: Graph's ``$select`` and ``$top``, Google's partial-response ``fields``.

>>> select({"id": "1", "displayName": "A", "mail": None}, ["displayName"])
{'displayName': 'A'}
>>> apply_fields({"users": [{"a": 1, "b": 2}], "kind": "k"}, parse_fields("users(a)"))
{'users': [{'a': 1}]}
>>> parse_fields("nextPageToken,users(name/fullName,isAdmin)")
{'nextPageToken': None, 'users': {'name': {'fullName': None}, 'isAdmin': None}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FieldTree = dict[str, "FieldTree | None"]


class QueryError(ValueError):
    """A query option the real API would also refuse (400)."""


def select(item: Mapping[str, Any], properties: list[str] | None) -> dict[str, Any]:
    """The item with only ``properties`` (all when None); absent properties come out null."""
    if properties is None:
        return dict(item)
    return {name: item.get(name) for name in properties}


def select_list(value: str | None) -> list[str] | None:
    """``$select=a,b`` as a list (None when absent).

    >>> select_list("id, accountEnabled")
    ['id', 'accountEnabled']
    """
    if value is None:
        return None
    names = [part.strip() for part in value.split(",") if part.strip()]
    if not names:
        raise QueryError("$select is empty")
    return names


def top(value: str | None, default: int, maximum: int) -> int:
    """The page size from ``$top``/``maxResults``/``pageSize``: default, capped at ``maximum``.

    >>> top(None, 100, 999), top("5000", 100, 999), top("10", 100, 999)
    (100, 999, 10)
    """
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise QueryError(f"invalid page size {value!r}") from None
    if number < 0:
        raise QueryError(f"invalid page size {value!r}")
    return min(number, maximum) if number else default


def parse_fields(text: str) -> FieldTree:
    """Google's ``fields`` expression as a tree (None leaf: the whole value)."""
    tree, rest = _parse(text.replace(" ", ""), 0)
    if rest != len(text.replace(" ", "")):
        raise QueryError(f"invalid fields expression {text!r}")
    return tree


def _parse(text: str, pos: int) -> tuple[FieldTree, int]:
    tree: FieldTree = {}
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos].split("/")
        if not all(path):
            raise QueryError(f"invalid fields expression {text!r}")
        sub: FieldTree | None = None
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise QueryError(f"unbalanced parentheses in {text!r}")
            pos += 1
        node = tree
        for name in path[:-1]:
            child = node.get(name)
            if child is None:
                child = {}
                node[name] = child
            node = child
        node[path[-1]] = sub
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return tree, pos


def apply_fields(value: Any, tree: FieldTree | None) -> Any:
    """``value`` cut down to the fields in ``tree`` (lists: each element)."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [apply_fields(v, tree) for v in value]
    if isinstance(value, dict):
        return {k: apply_fields(value[k], sub) for k, sub in tree.items() if k in value}
    return value
