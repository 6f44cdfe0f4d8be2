"""Backup + diff + push of every example-trust switch: in parallel vs one at a time.

Each round starts all eight simulated switches from factory defaults on 127.0.0.1, renders the
example trust's baseline (with fictional vault values, as the tests do), and pushes it with
``push_all`` (backup, remediation, safety lint, send, save, re-read, verify). The same round is
run with ``parallel=1`` and ``parallel=8``; the median of several rounds is reported, with the
time per device, and written to ``benchmarks/results/network_push.json``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.loader import load_trust
from matops.inventory.model import Trust
from matops.network.jobs import management_access
from matops.network.push import DeviceJob, Outcome, PushOptions, push_all
from matops.network.render import render_target
from tests.network.conftest import make_vaulted_trust
from tests.support.sim import SimSwitch

ROUNDS = 3
RESULTS = Path(__file__).parent / "results" / "network_push.json"


def _jobs(trust: Trust, rendered: dict[str, str], sims: list[SimSwitch]) -> list[DeviceJob]:
    targets = {t.name: t for t in trust.targets("switch")}
    return [
        DeviceJob(
            targets[sim.name],
            rendered[sim.name],
            management_access(trust, targets[sim.name], "admin"),
            sim.settings(),
        )
        for sim in sims
    ]


def _round(trust: Trust, rendered: dict[str, str], parallel: int) -> float:
    """Seconds to push the baseline to every switch, fresh from factory defaults."""
    with tempfile.TemporaryDirectory() as tmp:
        targets = trust.targets("switch")
        sims = [
            SimSwitch(t.name, t.platform, t.vars.model or "", Path(tmp) / t.name) for t in targets
        ]
        try:
            for sim in sims:
                sim.start()
            jobs = _jobs(trust, rendered, sims)
            started = time.perf_counter()
            results = push_all(jobs, PushOptions(Path(tmp) / "trust"), parallel=parallel)
            elapsed = time.perf_counter() - started
        finally:
            for sim in sims:
                sim.stop()
    if any(r.outcome is not Outcome.APPLIED for r in results):
        raise SystemExit(f"a push did not apply: {results}")
    return elapsed


def main() -> None:
    """Measure and report."""
    with tempfile.TemporaryDirectory() as tmp:
        trust_dir, password = make_vaulted_trust(Path(tmp))
        trust = load_trust(trust_dir)
        variables = AnsibleVariables(trust_dir, password)
        switches = trust.targets("switch")
        rendered = {t.name: render_target(trust, t, variables.rendered(t.name)) for t in switches}
        serial = [_round(trust, rendered, 1) for _ in range(ROUNDS)]
        parallel = [_round(trust, rendered, len(switches)) for _ in range(ROUNDS)]
    one, many = statistics.median(serial), statistics.median(parallel)
    report = {
        "switches": len(switches),
        "rounds": ROUNDS,
        "one_at_a_time_s": round(one, 2),
        "parallel_s": round(many, 2),
        "per_device_one_at_a_time_s": round(one / len(switches), 2),
        "speedup": round(one / many, 2),
        "all_rounds": {"one_at_a_time": serial, "parallel": parallel},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"network push, {len(switches)} switches (median of {ROUNDS}): one at a time {one:.1f} s "
        f"({one / len(switches):.1f} s per device), in parallel {many:.1f} s, "
        f"ratio {one / many:.1f}x"
    )
