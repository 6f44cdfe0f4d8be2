"""Each role's README variable table, generated from ``meta/argument_specs.yml``.

The table sits between two markers in ``roles/<role>/README.md``; everything else in the README
is written by hand. Defaults are taken from ``defaults/main.yml`` (what the role really uses), and
a variable declared in one file but not the other is reported as a problem.

    python -m matops.deploy.role_docs            # rewrite every role's table
    python -m matops.deploy.role_docs --check    # exit 1 naming each stale README or problem
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from matops.deploy.variables import load_yaml_vars

BEGIN = (
    "<!-- BEGIN variables: generated from meta/argument_specs.yml by matops.deploy.role_docs -->"
)
END = "<!-- END variables -->"
ROLES_DIR = Path(__file__).resolve().parents[3] / "roles"


def load_options(role_dir: Path) -> dict[str, dict[str, Any]]:
    """The ``main`` entry point's options from ``meta/argument_specs.yml``."""
    spec = yaml.safe_load((role_dir / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    options = spec["argument_specs"]["main"].get("options") or {}
    return dict(options)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(value: Any) -> str:
    """A default as compact inline YAML-ish text (JSON for lists and mappings)."""
    if isinstance(value, str):
        return f'`"{value}"`' if value in ("yes", "no", "") else f"`{value}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{json.dumps(value)}`"


def variable_table(options: dict[str, dict[str, Any]], defaults: dict[str, Any]) -> str:
    """A Markdown table: variable, type, default, description.

    >>> print(variable_table({"x_port": {"type": "int", "description": "Port."}}, {"x_port": 22}))
    | variable | type | default | description |
    |---|---|---|---|
    | `x_port` | int | `22` | Port. |
    """
    rows = ["| variable | type | default | description |", "|---|---|---|---|"]
    for name, option in options.items():
        kind = str(option.get("type", "str"))
        if kind == "list" and "elements" in option:
            kind = f"list of {option['elements']}"
        default = _default(defaults[name]) if name in defaults else "(required)"
        if len(default) > 60:
            default = "see defaults/main.yml"
        description = option.get("description", "")
        if isinstance(description, list):
            description = " ".join(description)
        rows.append(f"| `{name}` | {kind} | {default} | {_cell(str(description))} |")
    return "\n".join(rows)


def problems(role_dir: Path) -> list[str]:
    """Variables in defaults/main.yml and the argument spec that do not match up."""
    options = load_options(role_dir)
    defaults = load_yaml_vars(role_dir / "defaults" / "main.yml")
    role = role_dir.name
    found = [f"{role}: {n} is in defaults/main.yml but not in meta/argument_specs.yml"
             for n in defaults if n not in options]  # fmt: skip
    found += [f"{role}: {n} does not start with the role name" for n in options
              if not n.startswith(f"{role}_")]  # fmt: skip
    return found


def updated_readme(role_dir: Path) -> str:
    """The README text with a freshly generated table between the markers."""
    readme = (role_dir / "README.md").read_text(encoding="utf-8")
    table = variable_table(
        load_options(role_dir), load_yaml_vars(role_dir / "defaults" / "main.yml")
    )
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{role_dir / 'README.md'}: markers {BEGIN!r} ... {END!r} not found")
    return f"{readme[: start + len(BEGIN)]}\n{table}\n{readme[end:]}"


def roles(roles_dir: Path) -> list[Path]:
    """Every role folder that has an argument spec."""
    return sorted(p.parent.parent for p in roles_dir.glob("*/meta/argument_specs.yml"))


def _refresh(role_dir: Path, check: bool) -> list[str]:
    """Problems of one role; rewrites its README table unless ``check``."""
    readme = role_dir / "README.md"
    if not readme.is_file():
        return [f"{readme} is missing (it needs the markers {BEGIN!r} ... {END!r})"]
    try:
        found = problems(role_dir)
        text = updated_readme(role_dir)
    except (ValueError, KeyError, yaml.YAMLError) as exc:
        return [f"{role_dir.name}: {exc}"]
    if readme.read_text(encoding="utf-8") != text:
        if check:
            found.append(f"{readme} is stale: run python -m matops.deploy.role_docs")
        else:
            readme.write_text(text, encoding="utf-8")
    return found


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the README table of every role, or of ``--role``."""
    parser = argparse.ArgumentParser(description="Generate role README variable tables.")
    parser.add_argument("--check", action="store_true", help="only report stale READMEs")
    parser.add_argument("--role", action="append", help="only this role (repeatable)")
    parser.add_argument("roles_dir", nargs="?", type=Path, default=ROLES_DIR)
    args = parser.parse_args(argv)
    found: list[str] = []
    for role_dir in roles(args.roles_dir):
        if not args.role or role_dir.name in args.role:
            found += _refresh(role_dir, args.check)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
