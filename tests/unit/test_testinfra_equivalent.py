"""The scan benchmark's pytest-testinfra side covers every host check of the catalogue.

``benchmarks/testinfra_equivalent.py`` is what ``benchmarks/scan.py`` measures the live scan
against; the comparison is only like for like when it judges every host check the scan judges.
Each of its tests names the check it stands for as the first word of its docstring
(``<check_id>: what it asserts``). The list of host checks comes from the catalogue.
"""

from __future__ import annotations

import ast
import re

from matops.scan.catalogue import load_catalogue
from matops.scan.meta import Area
from tests.conftest import REPO

EQUIVALENT = REPO / "benchmarks" / "testinfra_equivalent.py"
HOST_CHECKS = {check.id for check in load_catalogue() if check.meta.area is Area.HOST}
_NAMED = re.compile(r"^([a-z0-9_]+):\s")


def stands_for(source: str) -> dict[str, str | None]:
    """Test function name → the check ID its docstring starts with (None when it names none)."""
    found: dict[str, str | None] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            match = _NAMED.match(ast.get_docstring(node) or "")
            found[node.name] = match[1] if match else None
    return found


def uncovered(checks: set[str], source: str) -> list[str]:
    """The checks no test in ``source`` stands for."""
    return sorted(checks - set(stands_for(source).values()))


def test_the_catalogue_has_host_checks() -> None:
    assert len(HOST_CHECKS) >= 40


def test_every_host_check_has_a_testinfra_equivalent() -> None:
    missing = uncovered(HOST_CHECKS, EQUIVALENT.read_text(encoding="utf-8"))
    assert not missing, f"host checks with no test in {EQUIVALENT.name}: {', '.join(missing)}"


def test_every_testinfra_test_names_a_host_check() -> None:
    named = stands_for(EQUIVALENT.read_text(encoding="utf-8"))
    wrong = {test: check for test, check in named.items() if check not in HOST_CHECKS}
    assert named and not wrong, f"tests naming no host check (or an unknown one): {wrong}"


def test_a_check_without_a_test_is_found() -> None:
    source = (
        'def test_banner(host):\n    """ssh_login_banner: a banner."""\n'
        'def test_other(host):\n    """Not naming a check."""\n'
        'def helper(host):\n    """ssh_max_auth_tries: not a test."""\n'
    )
    checks = {"ssh_login_banner", "ssh_max_auth_tries"}
    assert uncovered(checks, source) == ["ssh_max_auth_tries"]
    assert stands_for(source) == {"test_banner": "ssh_login_banner", "test_other": None}
