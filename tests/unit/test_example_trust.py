"""The built-in example trust: valid, realistic, and readable by Ansible unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app
from matops.inventory import load
from tests.conftest import EXAMPLE_TRUST, REPO

BIN = Path(sys.executable).parent


def test_example_trust_validates_without_problems() -> None:
    result = CliRunner().invoke(app, ["inventory", "validate", str(EXAMPLE_TRUST)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # not even a warning


def test_example_trust_is_realistic() -> None:
    trust = load(EXAMPLE_TRUST).trust
    assert trust is not None
    phases = sorted(s.info.phase.value for s in trust.schools)
    assert phases == ["primary", "primary", "secondary"]
    assert len(trust.targets("linux")) >= 8
    switches = trust.targets("switch")
    assert len(switches) >= 8
    assert {t.platform for t in switches} == {"cisco_ios", "aruba_aoscx"}
    assets = [a for s in trust.schools for a in s.assets]
    assert len(assets) >= 300
    today = __import__("datetime").date(2026, 11, 22)
    assert any(a.warranty_end and a.warranty_end < today for a in assets)
    assert any(a.end_of_support and a.end_of_support < today for a in assets)
    # every address the trust names (its services) is one of its own lab targets
    addresses = {t.address for t in trust.targets()}
    services = trust.settings.services
    named = [*services.ntp, *services.syslog, *services.dns, *(r.address for r in services.radius)]
    assert set(named) <= addresses
    assert all(str(a).startswith("198.18.") for a in addresses)


def test_ansible_inventory_graph_shows_schools_and_kinds() -> None:
    # run from the repository root, as the README does, with no extra environment
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    done = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", "inventories/example-trust", "--graph"],
        cwd=REPO, capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    graph = done.stdout
    assert "[WARNING]" not in done.stderr, done.stderr
    for group in (
        "@oakfield_primary:",
        "@oakfield_primary_linux:",
        "@oakfield_primary_switches:",
        "@riverside_academy:",
        "@st_marys_ce_primary:",
        "@linux:",
        "@switches:",
    ):
        assert group in graph, group
    assert "|--oak-srv01" in graph and "|--riv-core01" in graph
    assert "asset_tag" not in graph  # registers are not read as inventory
