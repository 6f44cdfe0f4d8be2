"""Find values in an inventory that look like plaintext secrets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from matops.source.problems import Problem, Severity
from matops.source.yamlsrc import LineDict, LineList, VaultValue, YamlSyntaxError, load_yaml_file

SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?|secret|community|(^|_)key$|token|psk|credential)", re.IGNORECASE
)
NOT_SECRET_KEY = re.compile(
    r"(ssh_keys?|public|_file$|_path$|_var$|key_type|keyboard)", re.IGNORECASE
)
"""Keys that name a secret without holding it; ``_var`` keys hold the name of an ansible-vault
or environment variable (how tenant credentials are given)."""
TEMPLATE = re.compile(r"^\s*\{\{.*\}\}\s*$", re.DOTALL)


def is_protected(value: Any) -> bool:
    """True when a value is vault-encrypted, a Jinja2 reference, or empty."""
    if value is None or isinstance(value, VaultValue | bool | int | float):
        return True
    return isinstance(value, str) and (not value.strip() or bool(TEMPLATE.match(value)))


def _walk(node: Any) -> Iterator[tuple[str, Any, int]]:
    if isinstance(node, LineDict):
        for key, value in node.items():
            yield str(key), value, node.key_lines[key]
            yield from _walk(value)
    elif isinstance(node, LineList):
        for item in node:
            yield from _walk(item)


def plaintext_secret_warnings(
    root: Path, parse: Callable[[Path], Any] = load_yaml_file
) -> list[Problem]:
    """Warnings for keys that look like secrets but hold plain text, in every YAML of a trust.

    Files that are wholly vault-encrypted are skipped; so are values that reference a variable
    (``{{ vault_radius_key }}``) or are inline ``!vault`` values. ``parse`` reads a file's YAML:
    the inventory loader passes its own, which hands back the documents it already parsed.
    """
    warnings = []
    for path in sorted(root.rglob("*.y*ml")):
        if path.read_bytes().startswith(b"$ANSIBLE_VAULT"):
            continue
        try:
            doc = parse(path)
        except (YamlSyntaxError, OSError):
            continue  # reported by the loader where it matters
        for key, value, line in _walk(doc):
            if (
                SECRET_KEY.search(key)
                and not NOT_SECRET_KEY.search(key)
                and not is_protected(value)
            ):
                if isinstance(value, LineDict | LineList):
                    continue
                message = (
                    f"{key!r} looks like a plaintext secret: encrypt it with ansible-vault "
                    "or reference a variable such as '{{ vault_... }}'"
                )
                warnings.append(Problem(path, line, message, Severity.WARNING))
    return warnings
