"""Merging per-school results: what is combined, and every inconsistency that is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from matops.facts.network.neighbours import SwitchNeighbours
from matops.report.merge import MergeError, merge
from matops.scan.results import Results
from tests.support.results_factory import expired_attestation, expired_waiver, results

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def _oak(**kwargs: object) -> Results:
    return results(
        [
            ("oak", "switch_telnet_disabled", "oak-sw01", "fail", "high"),
            ("oak", "ssh_root_login_disabled", "oak-srv01", "pass", "high"),
        ],
        skipped=[("oak", "auditd_running", "oak-srv01")],
        started=kwargs.pop("started", T0),  # type: ignore[arg-type]
        expired_waivers=[expired_waiver("switch_snmp_v3_only", "switches")],
        expired_attestations=[expired_attestation("oak", "RPA-CYB-02")],
        **kwargs,  # type: ignore[arg-type]
    )


def _elm(**kwargs: object) -> Results:
    return results(
        [
            ("elm", "switch_telnet_disabled", "elm-sw01", "waived", "high"),
            ("elm", "asset_within_end_of_support", "MLT-ELM-1", "fail", "medium"),
        ],
        started=kwargs.pop("started", T0.replace(minute=30)),  # type: ignore[arg-type]
        expired_waivers=[expired_waiver("switch_snmp_v3_only", "switches")],
        **kwargs,  # type: ignore[arg-type]
    )


def test_merge_combines_findings_schools_and_recomputes_summary() -> None:
    merged = merge([("oak.json", _oak()), ("elm.json", _elm())])
    assert merged.scan.schools == ["oak", "elm"]
    assert [f.target for f in merged.findings] == ["oak-sw01", "oak-srv01", "elm-sw01", "MLT-ELM-1"]
    assert [s.check for s in merged.skipped] == ["auditd_running"]
    assert merged.summary.findings == 4
    assert merged.summary.by_status == {"fail": 2, "pass": 1, "waived": 1}
    assert merged.summary.failed_by_severity == {"high": 1, "medium": 1}
    assert merged.summary.skipped == 1
    assert set(merged.controls) == {"oak", "elm"}
    assert merged.scan.targets == ["oak-srv01", "oak-sw01", "MLT-ELM-1", "elm-sw01"]


def test_merge_takes_earliest_start_latest_end_and_dedupes_expiries() -> None:
    merged = merge([("elm.json", _elm()), ("oak.json", _oak())])
    assert merged.scan.started == T0
    assert merged.scan.finished == T0.replace(minute=31)
    assert len(merged.expired_waivers) == 1  # the same group waiver, reported by both schools
    assert [(a.school, a.control) for a in merged.expired_attestations] == [("oak", "RPA-CYB-02")]


def test_merge_one_input_keeps_it() -> None:
    oak = _oak()
    merged = merge([("oak.json", oak)])
    assert merged == oak


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"commit": "1" * 40}, "different inventory commits"),
        ({"dirty": True}, "different inventory dirty flags"),
        ({"trust": "other-trust"}, "different trusts"),
        ({"version": "0.2.0"}, "different matops versions"),
        ({"started": datetime(2026, 11, 23, 0, 5, tzinfo=UTC)}, "different scan dates"),
    ],
)
def test_merge_refuses_inconsistent_inputs(change: dict[str, object], message: str) -> None:
    with pytest.raises(MergeError) as caught:
        merge([("oak.json", _oak()), ("elm.json", _elm(**change))])
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.startswith(message)
    assert "oak.json" in problem and "elm.json" in problem


def test_merge_refuses_other_schema_version_mode_and_fail_on() -> None:
    elm = _elm()
    other = elm.model_copy(
        update={
            "schema_version": "2.0",
            "scan": elm.scan.model_copy(update={"mode": "live", "fail_on": "critical"}),
        }
    )
    with pytest.raises(MergeError) as caught:
        merge([("oak.json", _oak()), ("elm.json", other)])
    assert [p.split(" (")[0] for p in caught.value.problems] == [
        "different schema versions",
        "different scan modes",
        "different --fail-on thresholds",
    ]


def test_merge_refuses_a_school_twice() -> None:
    with pytest.raises(MergeError, match=r"school oak is in both a\.json and b\.json"):
        merge([("a.json", _oak()), ("b.json", _oak())])


def test_merge_refuses_nothing() -> None:
    with pytest.raises(MergeError, match="nothing to merge"):
        merge([])


def test_merge_lists_every_problem_at_once() -> None:
    with pytest.raises(MergeError) as caught:
        merge([("oak.json", _oak()), ("elm.json", _elm(commit=None, trust="x", version="9"))])
    assert len(caught.value.problems) == 3


def test_scan_date_is_kept() -> None:
    assert merge([("oak.json", _oak())]).scan.scan_date == date(2026, 11, 22)


def test_merge_keeps_every_schools_switch_neighbours() -> None:
    """The live scans' LLDP neighbours (results 1.4) of each school survive the merge."""

    def seen(school: str, device: str) -> SwitchNeighbours:
        return SwitchNeighbours(
            device=device, school=school, platform="cisco_ios", command="c", read=False,
            reason="LLDP is not enabled on the switch",
        )  # fmt: skip

    oak = _oak().model_copy(update={"neighbours": [seen("oak", "oak-sw01")]})
    elm = _elm().model_copy(update={"neighbours": [seen("elm", "elm-sw01")]})
    merged = merge([("oak.json", oak), ("elm.json", elm)])
    assert [n.device for n in merged.neighbours] == ["oak-sw01", "elm-sw01"]
