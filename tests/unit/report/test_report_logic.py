"""Pure report logic with data: lifecycle bands, area status, verdicts, formats, slugs."""

from __future__ import annotations

from datetime import date

import pytest

from matops.inventory.model import Asset
from matops.report.build import area_status
from matops.report.html import lifecycle_bars
from matops.report.lifecycle import lifecycle, months_between
from matops.report.registry import parse_formats
from matops.report.text import slug, verdict
from matops.scan.controls import AttestationRef, ControlResult, ControlStatus
from matops.scan.frameworks import area_of

TODAY = date(2026, 11, 22)
S = ControlStatus


def asset(tag: str, support: date | None, warranty: date | None = None, **kw: object) -> Asset:
    return Asset.model_validate(
        {
            "asset_tag": tag,
            "type": "laptop",
            "model": "X",
            "end_of_support": support,
            "warranty_end": warranty,
            **kw,
        }
    )


def test_lifecycle_bands_are_cumulative_and_skip_disposed() -> None:
    assets = [
        asset("past", date(2026, 1, 1)),
        asset("m6", date(2027, 5, 1)),
        asset("m18", date(2028, 5, 1)),
        asset("m30", date(2029, 5, 1)),
        asset("m40", date(2030, 3, 1)),
        asset("nodate", None),
        asset("gone", date(2027, 1, 1), disposed_date=date(2026, 6, 1)),
    ]
    bands, items = lifecycle({"oak": assets}, TODAY)
    support = next(b for b in bands if b.measure == "support")
    assert (support.already, support.within_12, support.within_24, support.within_36) == (
        1,
        1,
        2,
        3,
    )
    assert support.unknown == 1
    assert [i.asset_tag for i in items if i.measure == "support"] == ["past", "m6", "m18", "m30"]
    warranty = next(b for b in bands if b.measure == "warranty")
    assert warranty.unknown == 6


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 11, 22), date(2027, 11, 22), 12),
        (date(2026, 11, 22), date(2027, 11, 21), 11),
        (date(2026, 11, 22), date(2026, 10, 30), 0),
        (date(2026, 11, 22), date(2026, 9, 1), -2),
    ],
)
def test_months_between(start: date, end: date, months: int) -> None:
    assert months_between(start, end) == months


def test_lifecycle_bars_stack_to_the_36_month_total() -> None:
    bands, _ = lifecycle(
        {"a": [asset("1", date(2027, 1, 1)), asset("2", date(2029, 1, 1))], "b": []}, TODAY
    )
    bars = {b.school: b for b in lifecycle_bars(bands, "support")}
    assert bars["a"].total == 2 and bars["b"].total == 0
    widths = [w for _, n, _, w in bars["a"].segments if n]
    assert sum(widths) == pytest.approx(520.0, abs=0.2)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([S.MET, S.MET], S.MET),
        ([S.MET, S.ACCEPTED_RISK], S.ACCEPTED_RISK),
        ([S.MET, S.NOT_ASSESSED], S.PARTLY_MET),
        ([S.NOT_MET, S.NOT_ASSESSED], S.NOT_MET),
        ([S.NOT_MET, S.MET], S.PARTLY_MET),
        ([S.NOT_ASSESSED], S.NOT_ASSESSED),
        ([S.PARTLY_MET], S.PARTLY_MET),
    ],
)
def test_area_status(statuses: list[ControlStatus], expected: ControlStatus) -> None:
    assert area_status(statuses) is expected


def _result(status: str, automation: str = "automated", **kw: object) -> ControlResult:
    return ControlResult.model_validate(
        {
            "id": "CE-FW-01",
            "title": "Firewall on",
            "automation": automation,
            "status": status,
            "checks": kw.pop("checks", {}),
            **kw,
        }
    )


def test_verdicts_read_as_plain_english() -> None:
    assert verdict(_result("met", checks={"pass": 4})) == (
        "In place. 4 of 4 automated checks passed."
    )
    text = verdict(_result("partly_met", checks={"pass": 2, "fail": 1, "unreachable": 1}))
    assert text.startswith("Partly in place") and "1 failed" in text and "1 could not" in text
    expired = AttestationRef(
        statement="s",
        evidence="e",
        by="Head",
        date=date(2025, 1, 1),
        expires=date(2026, 1, 1),
        expired=True,
    )
    manual = verdict(_result("not_met", "manual", attestation=expired))
    assert (
        manual
        == "Not in place. The confirmation from Head expired on 2026-01-01 and needs renewing."
    )
    assert "Nobody has yet confirmed" in verdict(_result("not_assessed", "manual"))


def test_formats_area_codes_and_slugs() -> None:
    assert parse_formats(["html, PDF", "html"]) == ["html", "pdf"]
    with pytest.raises(ValueError, match="choose from html, pdf"):
        parse_formats(["word"])
    assert area_of("DFE-WL-03.3") == "WL" and area_of("RPA-CYB-01") == "CYB"
    unsafe = slug("../../etc/passwd")
    assert "/" not in unsafe and not unsafe.startswith(".")
