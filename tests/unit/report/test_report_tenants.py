"""The tenant section's figures from results documents built in code (no scan): one reading per
tenant however many schools it serves, counts for every audience, staff names only in the
technician's part, nothing measured shown as not measured (never as zero or full coverage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matops.report.build import build_report
from matops.report.compare import compare
from matops.report.formats import render_json, render_markdown
from matops.report.html import render_html
from matops.report.model import Report
from matops.report.tenants import coverage_bars, tenant_views
from matops.scan.catalogue import load_catalogue
from matops.scan.results import Results
from matops.scan.scenarios import load_scenario, run_scenario
from tests.support.results_factory import results, tenant_finding, tenant_findings


def _report(document: Results) -> Report:
    return build_report(
        document, {}, {}, None, compare(None, document),
        has_previous=False, generated="2026-11-22 03:00 UTC", tool_version="0.1.0",
    )  # fmt: skip


def _document() -> Results:
    return results(
        [("oak", "c", "oak-sw01", "pass"), ("elm", "c", "elm-sw01", "pass")],
        extra=tenant_findings(["oak", "elm"]),
        schools=["elm", "oak", "yew"],
    )


def test_a_tenant_serving_two_schools_is_read_once_and_shown_at_both() -> None:
    report = _report(_document())
    [tenant] = report.tenants
    tf = tenant.figures
    assert (tf.tenant, tf.platform, tf.schools) == ("contoso-m365", "Microsoft 365", ["elm", "oak"])
    assert [(c.group, c.registered, c.required, c.percent) for c in tf.mfa] == [
        ("staff", 13, 14, 92), ("administrators", 3, 4, 75)
    ]  # fmt: skip
    assert (tf.admins, tf.top_admins, tf.leavers, tf.leavers_enabled) == (4, 6, 2, 1)
    assert tenant.leavers_enabled == ["p.quinn@contoso.example"]
    assert len(tenant.top_admin_accounts) == 6
    by_school = {s.id: [t.figures.tenant for t in s.tenants] for s in report.schools}
    assert by_school == {"elm": ["contoso-m365"], "oak": ["contoso-m365"], "yew": []}
    assert [(b.label, b.width) for b in coverage_bars(tenant)] == [
        ("staff", 334.3), ("administrators", 270.0)
    ]  # fmt: skip


def test_what_no_check_measured_stays_unmeasured() -> None:
    only_leavers = [
        tenant_finding("oak", "google_leavers_suspended", "g", "pass",
                       {"leavers": 1, "leavers_enabled": 0, "leavers_disabled": 1})
    ]  # fmt: skip
    [view] = tenant_views(only_leavers)
    assert view.figures.mfa == [] and view.figures.admins is None
    assert view.figures.platform == "Google Workspace"
    assert tenant_views(results([("oak", "c", "oak-sw01", "fail")]).findings) == []


def test_governors_formats_carry_counts_and_the_school_page_names_staff(tmp_path: Path) -> None:
    report = _report(_document())
    render_markdown(report, tmp_path)
    row = next(
        line
        for line in (tmp_path / "summary.md").read_text().splitlines()
        if line.startswith("| contoso-m365 |")
    )
    assert "13 of 14 (92%)" in row and "3 of 4 (75%)" in row and "| 1 of 2 |" in row
    assert "@" not in row
    render_json(report, tmp_path)
    tenants = json.loads((tmp_path / "report.json").read_text())["tenants"]
    assert tenants[0]["leavers_enabled"] == 1 and "@" not in json.dumps(tenants)
    render_html(report, tmp_path)
    page = (tmp_path / "schools" / "oak.html").read_text()
    assert "Leavers still enabled (1):</b> p.quinn@contoso.example" in page
    assert 'aria-label="MFA coverage in contoso-m365"' in page
    overview = (tmp_path / "index.html").read_text()
    section = overview[overview.index('<section id="tenants">') :]
    section = section[: section.index("</section>")]
    assert "92%</b> staff with MFA (13 of 14)" in section and "@" not in section
    yew = (tmp_path / "schools" / "yew.html").read_text()
    assert "No cloud identity tenant was read for this school in this scan." in yew


@pytest.mark.parametrize(
    ("check", "scenario", "figures", "accounts"),
    [
        ("google_2sv_enforced_for_staff", "enforced.pass.yml", {"staff": 2, "staff_mfa": 1}, {}),
        (
            "google_2sv_enforced_for_admins",
            "admins_enforced.pass.yml",
            {"admins": 3, "admins_mfa": 3},
            {"admins": ["adm-a@north.example", "adm-b@north.example", "office@north.example"]},
        ),
    ],
)
def test_tenant_checks_give_the_figures_reports_draw(
    check: str, scenario: str, figures: dict[str, int], accounts: dict[str, list[str]]
) -> None:
    """Counted from the scenario's accounts: suspended staff and pupils left out, pupils never
    named (the scenarios hold a pupil account each)."""
    found = load_catalogue().get(check)
    loaded, problems = load_scenario(found, found.folder / "tests" / scenario)
    assert loaded is not None, problems
    verdict = run_scenario(found, loaded)
    assert (verdict.figures, verdict.staff_accounts) == (figures, accounts)
    assert "pupil" not in json.dumps(verdict.staff_accounts)
