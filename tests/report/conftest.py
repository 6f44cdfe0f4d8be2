"""Shared report fixtures: one offline scan of the example trust with saved switch configs that
carry planted secrets and its tenants exported from the tenant simulator, a previous scan
derived from it with known changes, and one full report.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matops.cli import app

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "tests" / "fixtures" / "configs"
EXAMPLE = REPO / "inventories" / "example-trust"
DAY = "2026-11-22"

PLANTED = {
    "ios": [
        "snmp-server community Pl4ntedC0mmunity RO",
        "enable password Pl4ntedEn4ble",
        "radius-server host 198.18.0.5 key Pl4ntedR4diusKey",
        "username tech privilege 15 secret 0 Pl4ntedUs3rPw",
    ],
    "aoscx": [
        "radius-server host 198.18.0.5 key plaintext Pl4ntedAosRadius",
        "snmp-server community Pl4ntedAosC0mm",
        "user tech group administrators password plaintext Pl4ntedAosUserPw",
    ],
}
SECRETS = ["Pl4nted"]
"""Every planted secret contains this marker; none may appear in any report file."""

SWITCHES = {
    "oakfield-primary": {"oak-sw01": "ios", "oak-sw02": "ios"},
    "riverside-academy": {"riv-core01": "aoscx", "riv-sw01": "aoscx"},
    "st-marys-ce-primary": {"stm-sw01": "ios"},
}


def plant_configs(folder: Path) -> Path:
    """Saved configs (insecure fixtures plus planted secret lines) laid out for --configs."""
    for school, switches in SWITCHES.items():
        for name, family in switches.items():
            base = (CONFIGS / f"{family}_insecure.cfg").read_text()
            path = folder / school / f"{name}.cfg"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(base.rstrip("\n") + "\n" + "\n".join(PLANTED[family]) + "\n")
            (folder / school / f"{name}.version.txt").write_text(
                (CONFIGS / f"{family}_show_version.txt").read_text()
            )
    return folder


def export_tenants(folder: Path) -> Path:
    """The example trust's tenants as ``matops tenant export`` saves them, read from the tenant
    simulator (loopback, real HTTPS and OAuth) serving the example trust's data."""
    from matops.facts.tenant.collect import live_source
    from matops.facts.tenant.export import export_tenant
    from matops.inventory.loader import load_trust
    from tests.support.tenantsim import SimTenants
    from tests.tenants.conftest import lab_profile

    trust = load_trust(EXAMPLE)
    sim = SimTenants(folder / "sim").start()
    try:
        profile = lab_profile(sim, folder / "lab", list(trust.settings.tenants))
        sources = live_source(profile, EXAMPLE)
        for tenant in trust.settings.tenants:
            source = sources(tenant)
            try:
                export_tenant(tenant, source, folder / "export" / tenant.name)
            finally:
                source.close()
    finally:
        sim.stop()
    return folder / "export"


def scan(configs: Path, output: Path, tenants: Path | None = None) -> dict[str, Any]:
    extra = ["--tenants", str(tenants)] if tenants is not None else []
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(EXAMPLE),
            "--offline",
            "--configs",
            str(configs),
            *extra,
            "--scan-date",
            DAY,
            "--fail-on",
            "never",
            "--output",
            str(output),
        ],
    )
    assert output.is_file(), result.output
    data: dict[str, Any] = json.loads(output.read_text())
    return data


def _first(findings: list[dict[str, Any]], status: str, skip: set[int]) -> int:
    for i, f in enumerate(findings):
        if f["status"] == status and i not in skip and f["subject"] == "target":
            return i
    for i, f in enumerate(findings):
        if f["status"] == status and i not in skip:
            return i
    raise AssertionError(f"no {status} finding to derive a change from")


@dataclass(frozen=True)
class Planned:
    """The previous scan and the changes it was built to show."""

    path: Path
    regressed: dict[str, Any]
    new_failure: dict[str, Any]
    fixed: dict[str, Any]
    newly_waived: dict[str, Any]


def previous_of(current: dict[str, Any], path: Path) -> Planned:
    """A previous scan: one failure passed before, one was absent, one pass failed, one waived
    finding failed; and no expired waivers or attestations yet."""
    data = json.loads(json.dumps(current))
    findings = data["findings"]
    used: set[int] = set()
    regressed = _first(findings, "fail", used)
    used.add(regressed)
    new = _first(findings, "fail", used)
    used.add(new)
    fixed = _first(findings, "pass", used)
    waived = _first(findings, "waived", used)
    findings[regressed] = {**findings[regressed], "status": "pass"}
    findings[fixed] = {**findings[fixed], "status": "fail"}
    findings[waived] = {**findings[waived], "status": "fail", "waiver": None}
    planned = Planned(
        path,
        current["findings"][regressed],
        current["findings"][new],
        current["findings"][fixed],
        current["findings"][waived],
    )
    del findings[new]
    data["expired_waivers"] = []
    data["expired_attestations"] = []
    path.write_text(json.dumps(data))
    return planned


@dataclass(frozen=True)
class Scans:
    current: Path
    data: dict[str, Any]
    previous: Planned


@pytest.fixture(scope="session")
def tenant_export_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example trust's tenants exported from the simulator (once per session)."""
    return export_tenants(tmp_path_factory.mktemp("tenants"))


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory, tenant_export_folder: Path) -> Scans:
    """The current scan (planted configs, the simulator's tenants) and a previous one with
    known differences."""
    tmp = tmp_path_factory.mktemp("scans")
    current = tmp / "current.json"
    data = scan(plant_configs(tmp / "configs"), current, tenant_export_folder)
    return Scans(current, data, previous_of(data, tmp / "previous.json"))


@pytest.fixture(scope="session")
def full_report(scans: Scans, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format, written by the CLI with the previous scan."""
    out = tmp_path_factory.mktemp("report") / "out"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(scans.current),
            "--previous",
            str(scans.previous.path),
            "--output",
            str(out),
            "--inventory",
            str(EXAMPLE),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def finding_id(f: dict[str, Any]) -> str:
    """The HTML id of a finding on a school page."""
    from matops.report.text import slug

    return f"f-{f['check']}-{slug(f['target'])}"


def copy_report(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
