"""A target that does not come up in time makes ``lab_up`` start the lab again, once."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from matops.lab import lifecycle, switches
from matops.lab.model import LabTarget
from matops.lab.sweep import lab_leftovers

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration


def test_a_switch_that_never_answers_is_retried_then_reported(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = switches.backend_argv("switchsim")

    def first_attempt_silent(target: LabTarget, files: switches.SwitchFiles) -> list[str]:
        calls.append(target.name)
        if calls.count(target.name) == 1:  # the first start of each switch never listens
            return [sys.executable, "-c", "import time; time.sleep(600)"]
        return real(target, files)

    lab.require_own()
    monkeypatch.setattr(lifecycle, "BOOT_TIMEOUT", 5.0)
    one_switch = [lab.switches[0], lab.linux[0]]
    lifecycle.lab_down(lab.state_dir)
    try:
        lifecycle.lab_up(one_switch, lab.state_dir, switch_argv=first_attempt_silent)
        assert calls == [lab.switches[0].name, lab.switches[0].name]
        statuses = {s.name: s for s in lifecycle.lab_status(lab.state_dir)}
        assert statuses[lab.switches[0].name].ssh_ok

        lifecycle.lab_down(lab.state_dir)

        def never(target: LabTarget, files: switches.SwitchFiles) -> list[str]:
            return [sys.executable, "-c", "import time; time.sleep(600)"]

        with pytest.raises(lifecycle.BootTimeoutError, match="did not come up"):
            lifecycle.lab_up(one_switch, lab.state_dir, switch_argv=never)
        assert lab_leftovers(lab.state_dir) == []  # the failed attempts were torn down
    finally:
        lifecycle.lab_down(lab.state_dir)
        lab.up()
