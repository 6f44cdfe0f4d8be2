"""Finding statuses are defined once (``matops.scan.model.Status``); every count reads them."""

from __future__ import annotations

import pytest

from matops.report.standing import not_judged_by_status, standing_of
from matops.scan.model import Status


@pytest.mark.parametrize("status", list(Status))
def test_every_status_is_judged_not_judged_or_did_not_apply(status: Status) -> None:
    kinds = [status.judged, status.not_judged, not status.ran]
    assert kinds.count(True) == 1


def test_problems_are_failures_and_statuses_without_a_verdict() -> None:
    problems = {s for s in Status if s.is_problem}
    assert problems == {Status.FAIL} | {s for s in Status if s.not_judged}


@pytest.mark.parametrize(
    ("status", "element"),
    [
        (Status.PASS, ""),
        (Status.FAIL, "failure"),
        (Status.ERROR, "error"),
        (Status.UNREACHABLE, "error"),
        (Status.NOT_APPLICABLE, "skipped"),
        (Status.WAIVED, "skipped"),
    ],
)
def test_junit_element_follows_the_status(status: Status, element: str) -> None:
    assert status.junit == element


def test_headline_counts_come_from_the_one_definition() -> None:
    counts = {s.value: 1 for s in Status}
    assert list(not_judged_by_status(counts)) == ["unreachable", "error"]
    assert standing_of({"waived": 2}).value == "no_failures"
    assert standing_of({"waived": 2, "error": 1}).value == "incomplete"
