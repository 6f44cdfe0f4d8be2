"""YAML loading that remembers where every value came from.

Mappings load as :class:`LineDict` and sequences as :class:`LineList`; both know the line of each
key or item, so a validation error deep inside a document can name its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml


class VaultValue(str):
    """An ansible-vault encrypted value (``!vault |``): opaque to matops, decrypted by Ansible."""

    __slots__ = ()


class LineDict(dict[Any, Any]):
    """A dict that knows the line of the mapping itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that records 1-based line numbers and understands ``!vault``."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_vault(loader: _Loader, node: yaml.Node) -> VaultValue:
    return VaultValue(loader.construct_scalar(node))  # type: ignore[arg-type]


def _construct_unsafe(loader: _Loader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("!vault", _construct_vault)
_Loader.add_constructor("!unsafe", _construct_unsafe)


class YamlSyntaxError(Exception):
    """A YAML document could not be parsed; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text into LineDict/LineList values.

    >>> load_yaml_text("a:\\n  b: 1\\n").key_lines
    {'a': 1}
    """
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise YamlSyntaxError(line, f"YAML syntax error: {problem}{context}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML syntax error: {exc}") from exc


def load_yaml_file(path: Path) -> Any:
    """Read and parse one YAML file (see :func:`load_yaml_text`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(1, f"file is not UTF-8 text: {exc.reason}") from exc
    return load_yaml_text(text)


class ParsedFiles:
    """Parses each YAML file at most once and hands back the same document (or raises the same
    error) on every later request: one trust load reads a file for its model and again for its
    warnings.

    >>> parsed = ParsedFiles()
    >>> parsed.load(Path("inventories/example-trust/waivers.yml")) is parsed.load(
    ...     Path("inventories/example-trust/waivers.yml"))
    True
    """

    def __init__(self) -> None:
        self._done: dict[Path, Any] = {}
        self._failed: dict[Path, YamlSyntaxError | OSError] = {}

    def load(self, path: Path) -> Any:
        """The document of ``path`` (see :func:`load_yaml_file`), parsed on the first call."""
        if path in self._failed:
            raise self._failed[path]
        if path not in self._done:
            try:
                self._done[path] = load_yaml_file(path)
            except (YamlSyntaxError, OSError) as exc:
                self._failed[path] = exc
                raise
        return self._done[path]


def line_of(node: Any, loc: Sequence[int | str], default: int = 1) -> int:
    """The line of the deepest value along ``loc`` (a pydantic error location) inside ``node``.

    Missing keys resolve to the line of the mapping that should have held them.

    >>> doc = load_yaml_text("school:\\n  vlans:\\n    - id: 1\\n    - id: 9000\\n")
    >>> line_of(doc, ("school", "vlans", 1, "id"))
    4
    >>> line_of(doc, ("school", "vlans", 1, "vlan_model", "id"))  # a tagged union's member
    4
    """
    line = getattr(node, "line", default)
    current = node
    for index, part in enumerate(loc):
        if isinstance(current, LineDict) and part in current:
            line = current.key_lines.get(part, line)
            current = current[part]
        elif isinstance(current, LineList) and isinstance(part, int) and part < len(current):
            line = current.item_lines[part]
            current = current[part]
        elif isinstance(current, LineDict) and index + 1 < len(loc) and loc[index + 1] in current:
            continue  # a tagged union's member name, which pydantic puts in the location
        else:
            break
    return line
