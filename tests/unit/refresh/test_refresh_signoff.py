"""The sign-off record (Markdown through Jinja2) and the progress display, from data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from matops.refresh.model import Event, EventKind, StepName
from matops.refresh.progress import ProgressModel, plain_line
from matops.refresh.signoff import render_record

RECORD = {
    "run": "abc123", "trust": "example-trust", "dry_run": False,
    "compliance": {"before (pre-scan)": {"pass": 8, "fail": 38},
                   "after (post-scan)": {"pass": 43, "fail": 5}},
    "network": [{"device": "stm-sw01", "outcome": "applied", "summary": "applied: 417 commands",
                 "commands": ["no ip http server"]}],
    "hosts": [{"host": "stm-srv01", "changed": 3, "failed": 0, "unreachable": False,
               "changes": ["ssh_hardening: sshd drop-in"]}],
    "hosts_note": "",
    "failures": [{"where": "stm-sw02", "step": "network-push", "unreachable": True,
                  "summary": "stm-sw02: unreachable at 198.18.30.3"}],
    "waivers": [{"check": "switch_support_at_purchase", "target": "MLT-STM-00003",
                 "approver": "Tom Brennan", "expires": "2027-08-31", "reason": "low risk"}],
}  # fmt: skip
SCHOOL = {"id": "st-marys-ce-primary", "name": "St Mary's", "wave": 1}


def test_the_record_shows_before_after_changes_failures_and_waivers(tmp_path: Path) -> None:
    md, data = render_record(RECORD, SCHOOL, tmp_path)
    text = md.read_text()
    assert "| before (pre-scan) | 8 | 38 |" in text
    assert "| after (post-scan) | 43 | 5 |" in text
    assert "**stm-sw01**: applied: 417 commands" in text
    assert "**stm-srv01**: 3 changed, 0 failed" in text
    assert "  - ssh_hardening: sshd drop-in" in text
    assert "stm-sw02 network-push: stm-sw02: unreachable at 198.18.30.3 (unreachable)" in text
    assert "`switch_support_at_purchase` on MLT-STM-00003: approved by Tom Brennan" in text
    assert json.loads(data.read_text()) == RECORD


def test_an_empty_record_says_so(tmp_path: Path) -> None:
    note = "The host deploy step did not record results."
    empty = {**RECORD, "network": [], "hosts": [], "failures": [], "waivers": [],
             "hosts_note": note, "dry_run": True}  # fmt: skip
    text = render_record(empty, SCHOOL, tmp_path)[0].read_text()
    assert "dry run: nothing was changed" in text
    assert "No network change was recorded." in text
    assert "The host deploy step did not record results." in text
    assert text.count("None.") == 2


def _event(kind: EventKind, step: StepName, device: str | None = None) -> Event:
    return Event(time=datetime.now(UTC), event=kind, run="r", school="stm", device=device,
                 step=step, wave=1, summary="why")  # fmt: skip


def test_progress_counts_per_school_and_notes_a_halt() -> None:
    model = ProgressModel()
    model.add(_event(EventKind.STEP_STARTED, StepName.PRE_SCAN))
    model.add(_event(EventKind.STEP_FINISHED, StepName.PRE_SCAN))
    model.add(_event(EventKind.STEP_STARTED, StepName.NETWORK_PUSH, "stm-sw01"))
    assert model.schools["stm"].current == "stm-sw01 network-push"
    model.add(_event(EventKind.STEP_FAILED, StepName.NETWORK_PUSH, "stm-sw01"))
    model.add(_event(EventKind.STEP_SKIPPED, StepName.POST_SCAN))
    model.add(Event(time=datetime.now(UTC), event=EventKind.WAVE_HALTED, run="r", wave=1,
                    summary="2 device(s) failed"))  # fmt: skip
    school = model.schools["stm"]
    assert (school.finished, school.failed, school.skipped) == (1, 1, 1)
    console = Console(width=120, record=True)
    console.print(model.table())
    text = console.export_text()
    assert "wave_halted: 2 device(s) failed" in text
    assert "stm" in text and "post-scan: skipped" in text
    line = plain_line(_event(EventKind.STEP_FAILED, StepName.NETWORK_PUSH, "stm-sw01"), 12.0)
    assert line == "[  12.0s] wave 1 stm stm-sw01 network-push: step_failed — why"


def test_the_record_lists_the_leavers_disabled_and_still_enabled(tmp_path: Path) -> None:
    from matops.refresh.signoff import refresh_record
    from tests.support.results_factory import results, tenant_findings

    post = results([("stm", "c", "stm-sw01", "pass")], extra=tenant_findings(["stm", "oak"]))
    journal = tmp_path / "journal.jsonl"
    journal.write_text("")
    record = refresh_record(tmp_path, journal, "stm", None, post)
    assert record["leavers"] == [
        {"tenant": "contoso-m365", "platform": "Microsoft 365", "leavers": 2,
         "disabled": ["k.osei@contoso.example"], "still_enabled": ["p.quinn@contoso.example"],
         "disabled_count": 1, "still_enabled_count": 1}
    ]  # fmt: skip
    text = render_record(record, SCHOOL, tmp_path)[0].read_text()
    assert "**contoso-m365** (Microsoft 365): 2 leavers; 1 disabled, 1 still enabled." in text
    assert "  - Disabled: k.osei@contoso.example" in text
    assert "  - **Still enabled:** p.quinn@contoso.example" in text
    no_tenant = refresh_record(tmp_path, journal, "stm", None, results([]))
    assert no_tenant["leavers"] == []
    assert (
        "No tenant's leavers were judged"
        in render_record(no_tenant, SCHOOL, tmp_path)[0].read_text()
    )
