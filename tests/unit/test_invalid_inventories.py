"""Each invalid inventory fixture exits 2 with the expected ``path:line: message`` lines.

The fixtures in tests/fixtures/invalid/ are data: edits applied to a copy of the valid mini
trust, and the exact problem lines ``matops inventory validate`` must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from matops.cli import app
from tests.conftest import FIXTURES

CASES = sorted((FIXTURES / "invalid").glob("*.yml"))


def apply_edits(root: Path, edits: list[dict[str, Any]]) -> None:
    """Apply a fixture's text edits; each must match exactly once."""
    for edit in edits:
        path = root / edit["file"]
        text = path.read_text()
        assert text.count(edit["replace"]) == 1, f"edit does not match once: {edit}"
        path.write_text(text.replace(edit["replace"], edit["with"]))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_inventory_is_reported_with_file_and_line(case: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load(case.read_text())
    root = tmp_path / "trust"
    shutil.copytree(FIXTURES / "trusts" / "mini", root)
    apply_edits(root, spec["edits"])

    result = CliRunner().invoke(app, ["inventory", "validate", str(root)])

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line.replace(f"{root}/", "") for line in result.stderr.splitlines()]
    for expected in spec["expect"]:
        assert expected in lines, f"{expected!r} not in:\n" + "\n".join(lines)


def test_every_problem_class_has_a_fixture() -> None:
    names = {c.stem for c in CASES}
    required = {
        "yaml_syntax_error", "unknown_field", "missing_field", "invalid_address", "invalid_cidr",
        "vlan_out_of_range", "duplicate_hostname", "duplicate_address", "overlapping_subnets",
        "address_outside_management", "unknown_platform", "duplicate_asset_tag",
        "duplicate_serial", "bad_date", "warranty_before_purchase", "port_unknown_vlan",
        "tenant_unknown_school", "tenant_break_glass_outside_domains", "tenant_duplicate_name",
        "tenant_secret_value", "tenant_unknown_provider", "tenant_delegated_admin_outside_domains",
        "staff_bad_date", "staff_missing_column", "staff_bad_email",
    }  # fmt: skip
    assert required <= names
