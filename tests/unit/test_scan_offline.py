"""End to end: ``matops scan --offline`` over the scan fixture trust and fixture configs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from matops.cli import app

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
CONFIGS = FIXTURES / "configs"
SCHEMA = json.loads((REPO / "schemas" / "results.schema.json").read_text())
DAY = "2026-11-22"

BACKUPS = {
    "alpha-primary/alpha-sw01.cfg": "ios_hardened.cfg",
    "alpha-primary/alpha-sw01.startup.cfg": "ios_hardened.cfg",
    "alpha-primary/alpha-sw01.version.txt": "ios_show_version.txt",
    "alpha-primary/alpha-sw02.cfg": "ios_insecure.cfg",
    "alpha-primary/alpha-sw02.version.txt": "ios_show_version_old.txt",
    "beta-academy/beta-sw01.cfg": "aoscx_hardened.cfg",
    "beta-academy/beta-sw01.startup.cfg": "aoscx_insecure.cfg",
    "beta-academy/beta-sw01.version.txt": "aoscx_show_version.txt",
    "beta-academy/beta-sw02.cfg": "aoscx_insecure.cfg",
}


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    """A copy of the scan fixture trust with saved configs under backups/."""
    root = tmp_path / "scan"
    shutil.copytree(FIXTURES / "trusts" / "scan", root)
    for target, source in BACKUPS.items():
        (root / "backups" / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CONFIGS / source, root / "backups" / target)
    return root


def scan(root: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    output = root.parent / "results.json"
    result = CliRunner().invoke(
        app,
        ["scan", str(root), "--offline", "--scan-date", DAY, "--output", str(output), *args],
        terminal_width=200,
    )
    data = json.loads(output.read_text()) if output.is_file() else {}
    return result.exit_code, data, result.output


def status(data: dict[str, Any], target: str, check: str) -> str:
    (found,) = [f for f in data["findings"] if f["target"] == target and f["check"] == check]
    return str(found["status"])


def control(data: dict[str, Any], school: str, framework: str, control_id: str) -> dict[str, Any]:
    (found,) = [c for c in data["controls"][school][framework] if c["id"] == control_id]
    return found


def test_results_validate_against_the_schema(trust: Path) -> None:
    code, data, _ = scan(trust, "--fail-on", "never")
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        data
    )
    assert data["schema_version"] == "1.4" and data["scan"]["mode"] == "offline"
    assert code == 1  # an expired waiver fails the scan even with --fail-on never


def test_schema_rejects_a_broken_document(trust: Path) -> None:
    _, data, _ = scan(trust, "--fail-on", "never")
    data["findings"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_hardened_configs_pass_every_network_check(trust: Path) -> None:
    _, data, _ = scan(trust, "--fail-on", "never")
    for target in ("alpha-sw01", "beta-sw01"):
        network = [f for f in data["findings"] if f["target"] == target and f["area"] == "network"]
        assert len(network) >= 20
        bad = {
            f["check"]: f["detail"]
            for f in network
            if f["status"] not in ("pass", "not_applicable")
        }
        expected = {"switch_config_saved"} if target == "beta-sw01" else set()
        assert set(bad) == expected, bad


INSECURE_FAILS = {
    "switch_snmp_no_default_communities",
    "switch_http_server_disabled",
    "switch_named_local_admins",
    "switch_aaa_radius",
    "switch_bpdu_guard_edge_ports",
    "switch_dhcp_snooping_user_vlans",
    "switch_idle_timeout",
    "switch_no_user_ports_in_vlan1",
    "switch_ntp_trust_servers",
    "switch_snmp_v3_only",
    "switch_syslog_trust_servers",
    "switch_unused_ports_parked",
    "switch_login_banner",
}
IOS_ONLY_FAILS = {
    "switch_cdp_off_lldp_on",  # IOS runs CDP unless told not to; AOS-CX does not send it
    "switch_telnet_disabled",
    "switch_ssh_v2_only",
    "switch_enable_secret_strong",
    "switch_no_weak_password_storage",
    "switch_spanning_tree_rapid",
}


def test_factory_configs_fail_the_expected_checks(trust: Path) -> None:
    _, data, _ = scan(trust, "--fail-on", "never")
    for target, expected in (
        ("alpha-sw02", INSECURE_FAILS | IOS_ONLY_FAILS),
        ("beta-sw02", INSECURE_FAILS),
    ):
        failing = {
            f["check"] for f in data["findings"] if f["target"] == target and f["status"] == "fail"
        }
        assert failing == expected, (target, failing ^ expected)


def test_waivers_valid_and_expired(trust: Path) -> None:
    _, data, output = scan(trust, "--fail-on", "never")
    assert status(data, "alpha-sw02", "switch_firmware_minimum") == "waived"
    lapsed = [
        f for f in data["findings"] if f["check"] == "switch_snmp_v3_only" and f["status"] == "fail"
    ]
    assert {f["target"] for f in lapsed} == {"alpha-sw02", "beta-sw02"}
    assert all(f["waiver"]["expired"] for f in lapsed)
    (expired,) = data["expired_waivers"]
    assert expired["check"] == "switch_snmp_v3_only" and expired["source"].endswith(
        "waivers.yml:10"
    )
    assert "waiver for switch_snmp_v3_only expired on 2026-10-31" in output


def test_register_findings_are_per_asset(trust: Path) -> None:
    _, data, _ = scan(trust, "--fail-on", "never")
    assert status(data, "ALP-0002", "asset_within_end_of_support") == "fail"
    assert status(data, "ALP-0001", "asset_within_end_of_support") == "pass"
    assert status(data, "ALP-0006", "network_kit_in_inventory") == "fail"
    assert status(data, "BET-0002", "switch_support_at_purchase") == "fail"
    assert status(data, "ALP-0005", "asset_register_fields_complete") == "fail"
    assert status(data, "alpha-sw01", "target_in_asset_register") == "pass"
    assert status(data, "ALP-0007", "disposed_asset_not_in_inventory") == "pass"
    (finding,) = [
        f
        for f in data["findings"]
        if f["target"] == "ALP-0002" and f["check"] == "asset_under_warranty"
    ]
    assert finding["subject"] == "asset" and finding["kind"] == "switch"
    assert finding["evidence"][0]["source"].endswith("assets/alpha-primary.csv#ALP-0002")


def test_linux_checks_are_skipped_offline(trust: Path) -> None:
    _, data, output = scan(trust, "--fail-on", "never")
    skipped = {(s["check"], s["target"]) for s in data["skipped"]}
    assert ("ssh_root_login_disabled", "alpha-srv01") in skipped
    assert ("switch_config_saved", "alpha-sw02") in skipped  # no saved startup config
    assert ("switch_firmware_minimum", "beta-sw02") in skipped  # no show version output
    assert not [f for f in data["findings"] if f["area"] == "host"]
    assert "not assessed" in output


def test_control_status_from_findings_and_attestations(trust: Path) -> None:
    _, data, _ = scan(trust, "--fail-on", "never")
    assert control(data, "alpha-primary", "rpa_cyber", "RPA-CYB-04")["status"] == "met"
    expired = control(data, "alpha-primary", "rpa_cyber", "RPA-CYB-02")
    assert expired["status"] == "not_met" and expired["attestation"]["expired"]
    assert control(data, "beta-academy", "rpa_cyber", "RPA-CYB-04")["status"] == "not_assessed"
    assert control(data, "alpha-primary", "dfe_standards", "DFE-SW-02.1")["status"] == "met"
    assert control(data, "beta-academy", "dfe_standards", "DFE-SW-02.1")["status"] == "partly_met"
    # partial control, attested: alpha-sw01 passes its checks, alpha-sw02 fails them
    assert control(data, "alpha-primary", "dfe_standards", "DFE-SW-03.3")["status"] == "partly_met"
    assert control(data, "beta-academy", "dfe_standards", "DFE-SW-03.3")["status"] == "partly_met"
    # narrowed to switches: ALP-0002 (switch) fails; the iPad ALP-0005 is not counted
    sw = control(data, "alpha-primary", "dfe_standards", "DFE-SW-02.2")
    assert sw["checks"] == {"fail": 1, "not_applicable": 1, "pass": 2}
    assert sw["status"] == "partly_met"
    assert (
        control(data, "alpha-primary", "dfe_standards", "DFE-CYBER-03.9")["status"]
        == "not_assessed"
    )
    (att,) = data["expired_attestations"]
    assert att["control"] == "RPA-CYB-02" and att["source"].endswith("alpha-primary.yml:8")


def test_evidence_is_redacted(trust: Path) -> None:
    _, data, _ = scan(trust, "--fail-on", "never")
    text = json.dumps(data)
    for secret in ("$9$", "0822455D0A16", "AQBap", "Sch00lNet", "070C285F4D06"):
        assert secret not in text, secret
    excerpts = [e for f in data["findings"] if f["target"] == "alpha-sw02" for e in f["evidence"]]
    assert excerpts and all(len(e["sha256"]) == 64 for e in excerpts)


def test_exit_codes(trust: Path) -> None:
    (trust / "waivers.yml").unlink()
    code, data, _ = scan(trust, "--target", "alpha-sw01", "--checks", "management-plane")
    assert (
        code == 0
        and data["findings"]
        and {f["status"] for f in data["findings"]} <= {"pass", "not_applicable"}
    )
    code, _, _ = scan(
        trust, "--target", "alpha-sw02", "--checks", "switch_cdp_off_lldp_on", "--fail-on", "medium"
    )
    assert code == 0  # a low failure under --fail-on medium
    code, _, _ = scan(
        trust, "--target", "alpha-sw02", "--checks", "switch_cdp_off_lldp_on", "--fail-on", "low"
    )
    assert code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--checks", "no_such_check"], "'no_such_check' is not a check ID, tag or area"),
        (["--school", "gamma"], "no school 'gamma'"),
        (["--fail-on", "severe"], "--fail-on must be one of"),
        (["--target", "nothing-here"], "no target or asset matches"),
        (["--scan-date", "22/11/2026"], "is not a date"),
    ],
)
def test_usage_errors_exit_2(trust: Path, args: list[str], message: str) -> None:
    code, _, output = scan(trust, *args)
    assert code == 2 and message in output


def test_bad_waiver_file_exits_2_with_line(trust: Path) -> None:
    path = trust / "waivers.yml"
    path.write_text(path.read_text().replace("check: switch_snmp_v3_only", "check: snmp_off"))
    code, _, output = scan(trust)
    assert code == 2 and "waivers.yml:10: waiver names unknown check 'snmp_off'" in output


def test_live_mode_usage_errors(trust: Path, tmp_path: Path) -> None:
    """Live mode needs a reachable setup: a missing lab or ssh_config is a usage error (2)."""
    no_lab = CliRunner().invoke(app, ["scan", str(trust), "--lab-dir", str(tmp_path)])
    assert no_lab.exit_code == 2 and "no running lab" in no_lab.output
    missing = tmp_path / "missing_ssh_config"
    no_file = CliRunner().invoke(app, ["scan", str(trust), "--ssh-config", str(missing)])
    assert no_file.exit_code == 2 and "is not a file" in no_file.output
    both = CliRunner().invoke(app, ["scan", str(trust), "--offline", "--ssh-config", str(missing)])
    assert both.exit_code == 2 and "connects to nothing" in both.output
    # --offline --lab judges saved outputs of the lab's switches with the lab's secrets: the lab
    # must be there
    no_lab_offline = CliRunner().invoke(
        app, ["scan", str(trust), "--offline", "--lab-dir", str(tmp_path)]
    )
    assert no_lab_offline.exit_code == 2 and "no running lab" in no_lab_offline.output


def test_example_trust_records_load_and_include_expired_ones() -> None:
    from datetime import date

    from matops.inventory import load_trust
    from matops.scan.catalogue import load_catalogue
    from matops.scan.session import ScanRequest, load_records

    root = REPO / "inventories" / "example-trust"
    catalogue = load_catalogue()
    request = ScanRequest(
        root=root, trust=load_trust(root), catalogue=catalogue, checks=list(catalogue)
    )
    records = load_records(request)
    today = date(2026, 11, 22)
    assert {w.waiver.expires < today for w in records.waivers} == {True, False}
    assert {a.attestation.expires < today for a in records.attestations} == {True, False}
    assert {a.school for a in records.attestations} == {s.id for s in request.trust.schools}
