"""The import rule between the two packages in ``src/``, checked on the source (AST).

* ``switchsim`` never imports ``matops``: it is a simulated switch, not a client of the tool it
  is used to test, and runs with its own dependencies (the ``lab`` extra).
* ``matops`` imports ``switchsim`` only from its lab layer (``matops.lab``), which starts the
  simulators; nothing that talks to real switches may depend on the simulator.
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


@pytest.mark.parametrize("path", sorted((SRC / "switchsim").rglob("*.py")), ids=str)
def test_switchsim_never_imports_matops(path: Path) -> None:
    assert not any(_top(m) == "matops" for m in imported_modules(path))


def test_matops_imports_switchsim_only_from_the_lab_layer() -> None:
    users = {
        path.relative_to(SRC).as_posix()
        for path in (SRC / "matops").rglob("*.py")
        if any(_top(m) == "switchsim" for m in imported_modules(path))
    }
    outside = sorted(u for u in users if not u.startswith("matops/lab/"))
    assert outside == [], f"only matops.lab may import switchsim; also imported by {outside}"
    assert users, "the lab layer is expected to use switchsim (the walk found no import at all)"
