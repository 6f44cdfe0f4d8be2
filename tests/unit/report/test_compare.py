"""Comparison between two scans, tested with data: each transition lands in exactly one list."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from matops.report.compare import NOT_ASSESSED, Change, Changes, classify, compare, load_results
from matops.scan.results import write_results
from tests.support.results_factory import expired_attestation, expired_waiver, results

OAK, ELM = "oakfield-primary", "elm-academy"

# (school, check, target, previous status or None/skipped, current status or None/skipped, list)
CASES: list[tuple[str, str, str, str | None, str | None, str | None]] = [
    (OAK, "ssh_root_login_disabled", "oak-srv01", "pass", "fail", "regressed"),
    (OAK, "switch_telnet_disabled", "oak-sw01", "fail", "pass", "fixed"),
    (OAK, "switch_snmp_v3_only", "oak-sw01", "fail", "waived", "newly_waived"),
    (OAK, "asset_within_end_of_support", "MLT-OAK-5", "waived", "fail", "new_failures"),
    (OAK, "switch_ntp_configured", "oak-sw01", None, "fail", "new_failures"),
    (OAK, "auditd_running", "oak-srv01", NOT_ASSESSED, "fail", "new_failures"),
    (OAK, "firewall_default_deny", "oak-srv01", "unreachable", "fail", "new_failures"),
    (OAK, "ntp_synchronised", "oak-srv01", "error", "fail", "new_failures"),
    (OAK, "switch_config_saved", "oak-sw01", "fail", "fail", None),
    (OAK, "switch_login_banner", "oak-sw01", "pass", "pass", None),
    (OAK, "switch_ssh_v2_only", "oak-sw01", "unreachable", "pass", None),
    (ELM, "ssh_root_login_disabled", "elm-srv01", "pass", "unreachable", "unverified"),
    (ELM, "ntp_synchronised", "elm-srv01", "fail", "error", "unverified"),
    (ELM, "switch_telnet_disabled", "elm-sw01", "fail", None, "dropped"),
    (ELM, "auditd_running", "elm-srv01", "fail", NOT_ASSESSED, "dropped"),
    (ELM, "usb_storage_disabled", "elm-srv01", "fail", "not_applicable", "dropped"),
    (ELM, "switch_snmp_v3_only", "elm-sw01", "waived", "pass", "fixed"),
    (ELM, "switch_login_banner", "elm-sw01", "pass", "waived", "newly_waived"),
    (ELM, "asset_within_end_of_support", "MLT-ELM-1", None, "waived", "newly_waived"),
    (ELM, "switch_config_saved", "elm-sw01", "waived", "waived", None),
    (ELM, "switch_ssh_v2_only", "elm-sw01", "pass", None, None),
    (ELM, "unattended_upgrades_enabled", "elm-srv01", NOT_ASSESSED, "pass", None),
]


def _side(index: int) -> tuple[list[tuple[str, str, str, str, str]], list[tuple[str, str, str]]]:
    rows, skipped = [], []
    for case in CASES:
        school, check, target, status = case[0], case[1], case[2], case[index]
        if status == NOT_ASSESSED:
            skipped.append((school, check, target))
        elif status is not None:
            rows.append((school, check, target, status, "high"))
    return rows, skipped


@pytest.fixture
def changes() -> Changes:
    prev_rows, prev_skipped = _side(3)
    cur_rows, cur_skipped = _side(4)
    previous = results(
        prev_rows,
        skipped=prev_skipped,
        expired_waivers=[expired_waiver("switch_snmp_v3_only", "oak-sw02", line=20)],
    )
    current = results(
        cur_rows,
        skipped=cur_skipped,
        expired_waivers=[
            expired_waiver("switch_snmp_v3_only", "oak-sw02", line=24),  # moved, same waiver
            expired_waiver("asset_within_end_of_support", "MLT-OAK-5"),
        ],
        expired_attestations=[expired_attestation(ELM, "DFE-CYBER-06.3")],
    )
    return compare(previous, current)


def _listed(changes: Changes) -> dict[tuple[str, str, str], str]:
    found: dict[tuple[str, str, str], str] = {}
    for name in ("new_failures", "regressed", "fixed", "newly_waived", "unverified", "dropped"):
        for change in getattr(changes, name):
            key = (change.school, change.check, change.target)
            assert key not in found, f"{key} listed twice"
            found[key] = name
    return found


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[3]}->{c[4]}:{c[1]}")
def test_each_transition_lands_in_its_list(changes: Changes, case: tuple[str, ...]) -> None:
    school, check, target, _before, _after, expected = case
    assert _listed(changes).get((school, check, target)) == expected


def test_nothing_else_is_listed(changes: Changes) -> None:
    expected = {(c[0], c[1], c[2]) for c in CASES if c[5] is not None}
    assert set(_listed(changes)) == expected


def test_change_records_before_after_and_detail(changes: Changes) -> None:
    regressed = changes.regressed[0]
    assert (regressed.before, regressed.after, regressed.severity) == ("pass", "fail", "high")
    assert regressed.detail == "ssh_root_login_disabled on oak-srv01: fail"
    assert regressed.title == "ssh_root_login_disabled holds"
    gone = next(c for c in changes.dropped if c.check == "switch_telnet_disabled")
    assert (gone.before, gone.after) == ("fail", None)
    assert gone.detail == "switch_telnet_disabled on elm-sw01: fail"  # the previous detail
    skipped_now = next(c for c in changes.dropped if c.check == "auditd_running")
    assert skipped_now.after == NOT_ASSESSED and skipped_now.severity == "high"
    skipped_before = next(c for c in changes.new_failures if c.check == "auditd_running")
    assert skipped_before.before == NOT_ASSESSED


def test_expired_waivers_and_attestations_only_when_new(changes: Changes) -> None:
    assert [(w.check, w.name) for w in changes.expired_waivers] == [
        ("asset_within_end_of_support", "MLT-OAK-5")
    ]
    assert [(a.school, a.control) for a in changes.expired_attestations] == [
        (ELM, "DFE-CYBER-06.3")
    ]


def test_worst_severity_first() -> None:
    previous = results([])
    current = results(
        [
            (OAK, "a_low", "t1", "fail", "low"),
            (OAK, "b_critical", "t1", "fail", "critical"),
            (ELM, "c_medium", "t1", "fail", "medium"),
            (OAK, "a_critical", "t2", "fail", "critical"),
        ]
    )
    order = [(c.severity, c.check) for c in compare(previous, current).new_failures]
    assert order == [
        ("critical", "a_critical"),
        ("critical", "b_critical"),
        ("medium", "c_medium"),
        ("low", "a_low"),
    ]


def test_same_results_is_empty() -> None:
    prev_rows, prev_skipped = _side(3)
    same = results(prev_rows, skipped=prev_skipped, expired_waivers=[expired_waiver("x", "y")])
    changes = compare(same, same)
    assert changes.is_empty()
    assert all(count == 0 for count in changes.counts().values())
    assert changes.previous_scan == same.scan.started.isoformat()


def test_no_previous_scan_counts_everything_as_new() -> None:
    current = results(
        [
            (OAK, "a", "t", "fail", "high"),
            (OAK, "b", "t", "waived", "low"),
            (OAK, "c", "t", "pass", "low"),
        ],
        expired_waivers=[expired_waiver("b", "t")],
    )
    changes = compare(None, current)
    assert [c.check for c in changes.new_failures] == ["a"]
    assert [c.check for c in changes.newly_waived] == ["b"]
    assert len(changes.expired_waivers) == 1
    assert changes.previous_scan is None
    assert not changes.is_empty()


def test_classify_is_total_and_only_moves_count() -> None:
    standings: list[str | None] = [
        None,
        NOT_ASSESSED,
        "pass",
        "fail",
        "error",
        "unreachable",
        "not_applicable",
        "waived",
    ]
    lists = set(Changes.model_fields) - {"expired_waivers", "expired_attestations", "previous_scan"}
    for before, after in itertools.product(standings, standings):
        bucket = classify(before, after)
        assert bucket is None or bucket in lists
        if before == after:
            assert bucket is None
        if after == "fail" and before != "fail":
            assert bucket in {"new_failures", "regressed"}, (before, after)
        if bucket == "fixed":
            assert after == "pass"


def test_compare_real_scan_files_round_trip(tmp_path: Path) -> None:
    prev_rows, prev_skipped = _side(3)
    cur_rows, cur_skipped = _side(4)
    write_results(results(prev_rows, skipped=prev_skipped), tmp_path / "old.json")
    write_results(results(cur_rows, skipped=cur_skipped), tmp_path / "new.json")
    changes = compare(load_results(tmp_path / "old.json"), load_results(tmp_path / "new.json"))
    assert len(changes.regressed) == 1
    assert isinstance(changes.regressed[0], Change)
    assert Changes.model_validate_json(changes.model_dump_json()) == changes
