"""The import rule between ``matops`` and the simulators in ``src/``, checked on the source (AST).

* ``switchsim`` and ``tenantsim`` never import ``matops``: each is a simulated device or
  service, not a client of the tool it is used to test, and runs with its own dependencies
  (the ``lab`` extra).
* ``matops`` imports them only from its lab layer (``matops.lab``), which starts the
  simulators; nothing that talks to real switches or tenants may depend on a simulator.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def imported_modules(path: Path, root: Path = SRC) -> set[str]:
    """Every module ``path`` (below ``root``) imports, absolute names, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module or ""]).rstrip("."))
            elif node.module:
                found.add(node.module)
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def test_imported_modules_sees_every_form(tmp_path: Path) -> None:
    """The walker finds plain, from-, nested and relative imports (so the rules can fail)."""
    module = tmp_path / "switchsim" / "sub" / "probe.py"
    module.parent.mkdir(parents=True)
    source = "import os\nfrom matops.lab import switches\ndef f():\n    import matops.cli\n"
    source += "from . import device\nfrom ..server import run_forever\n"
    module.write_text(source)
    found = imported_modules(module, tmp_path)
    assert found == {"os", "matops.lab", "matops.cli", "switchsim.sub", "switchsim.server"}


SIMULATORS = ("switchsim", "tenantsim")


@pytest.mark.parametrize(
    "path", sorted(p for s in SIMULATORS for p in (SRC / s).rglob("*.py")), ids=str
)
def test_simulators_never_import_matops(path: Path) -> None:
    assert not any(_top(m) == "matops" for m in imported_modules(path))


def test_the_simulators_are_walked() -> None:
    for simulator in SIMULATORS:
        assert (SRC / simulator / "__main__.py").is_file(), simulator


@pytest.mark.parametrize("simulator", SIMULATORS)
def test_matops_imports_simulators_only_from_the_lab_layer(simulator: str) -> None:
    users = {
        path.relative_to(SRC).as_posix()
        for path in (SRC / "matops").rglob("*.py")
        if any(_top(m) == simulator for m in imported_modules(path))
    }
    outside = sorted(u for u in users if not u.startswith("matops/lab/"))
    assert outside == [], f"only matops.lab may import {simulator}; also imported by {outside}"
    if simulator == "switchsim":  # matops.lab.fakeswitch uses its host-key helper
        assert users, "the walk found no import of switchsim at all"
