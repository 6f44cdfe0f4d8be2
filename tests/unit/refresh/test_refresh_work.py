"""Waves and step order from the inventory; the stop rule."""

from __future__ import annotations

import pytest

from matops.inventory import load_trust
from matops.refresh.model import STEP_ORDER, StepName
from matops.refresh.work import SelectionError, StopRule, build_waves
from tests.conftest import EXAMPLE_TRUST

TRUST = load_trust(EXAMPLE_TRUST)


def test_waves_in_ascending_order_with_their_schools() -> None:
    waves = build_waves(TRUST, [], [], STEP_ORDER)
    assert [(w.number, [s.school for s in w.schools]) for w in waves] == [
        (1, ["oakfield-primary", "st-marys-ce-primary"]),
        (2, ["riverside-academy"]),
    ]


def test_a_school_backs_up_every_switch_before_pushing_any() -> None:
    (wave,) = build_waves(TRUST, ["st-marys-ce-primary"], [], STEP_ORDER)
    assert [str(k) for k in wave.steps] == [
        "st-marys-ce-primary/-/pre-scan",
        "st-marys-ce-primary/stm-sw01/network-backup",
        "st-marys-ce-primary/stm-sw02/network-backup",
        "st-marys-ce-primary/stm-sw01/network-push",
        "st-marys-ce-primary/stm-sw02/network-push",
        "st-marys-ce-primary/-/host-deploy",
        "st-marys-ce-primary/-/post-scan",
        "st-marys-ce-primary/-/endpoints",
        "st-marys-ce-primary/-/report",
    ]


def test_only_the_chosen_steps_and_wave() -> None:
    steps = [StepName.POST_SCAN, StepName.PRE_SCAN]
    (wave,) = build_waves(TRUST, [], [2], steps)
    assert wave.number == 2
    assert [str(k) for k in wave.steps] == [
        "riverside-academy/-/pre-scan",
        "riverside-academy/-/post-scan",
    ]


def test_an_unknown_school_or_an_empty_selection_is_refused() -> None:
    with pytest.raises(SelectionError, match=r"no school nowhere-high.*oakfield-primary"):
        build_waves(TRUST, ["nowhere-high"], [], STEP_ORDER)
    with pytest.raises(SelectionError, match="covers no school"):
        build_waves(TRUST, ["oakfield-primary"], [2], STEP_ORDER)


def test_the_stop_rule_counts_devices_not_failures() -> None:
    rule = StopRule(limit=1)
    assert not rule.device_failed("sw1")
    assert not rule.device_failed("sw1")
    assert not rule.exceeded
    assert rule.device_failed("sw2")
    assert rule.exceeded
    assert StopRule(limit=0).device_failed("sw1")
