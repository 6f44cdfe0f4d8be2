"""A live scan of lab targets vs the same Linux checks as per-assertion pytest-testinfra tests.

Both sides use the same SSH setup: the lab's ssh_config (ControlMaster, one ControlPath per
host) with sudo. Before every measurement the SSH master connections are closed, so neither side
starts with a warm connection. Measured, median of ``ROUNDS``:

* ``scan_full``: ``run_scan`` live with the full catalogue on the Linux hosts and the switches
  (and their register rows);
* ``scan_linux``: the same, Linux hosts and host checks only (what the pytest file covers);
* ``pytest``: ``pytest benchmarks/testinfra_equivalent.py --hosts=… --ssh-config=… --sudo``.

Commands per Linux target are counted on both sides by wrapping testinfra's backend ``run``.
The lab: ``MATOPS_BENCH_LAB`` or ``MATOPS_TEST_LAB`` (an already running lab's state folder, used
as is and left up), else a lab of the whole example trust is brought up for the run and taken
down after (root needed). ``MATOPS_BENCH_HOSTS`` limits the Linux hosts (comma-separated), e.g.
on a lab shared with others. Results: ``benchmarks/results/scan.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matops.connect.profile import build_profile
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.network.live import LiveNetworkProvider
from matops.inventory.loader import load_trust
from matops.inventory.model import Target
from matops.lab import lifecycle
from matops.lab.from_inventory import lab_mirror, lab_targets
from matops.scan.catalogue import load_catalogue
from matops.scan.live import LiveOptions, linux_connect
from matops.scan.runner import Selection
from matops.scan.session import ScanRequest, providers_for, run_scan

ROUNDS = 3
ROOT = Path(__file__).parents[1]
TRUST = ROOT / "inventories" / "example-trust"
PYTEST_FILE = Path(__file__).with_name("testinfra_equivalent.py")
RESULTS = Path(__file__).parent / "results" / "scan.json"


@contextmanager
def _lab() -> Iterator[Path]:
    shared = os.environ.get("MATOPS_BENCH_LAB") or os.environ.get("MATOPS_TEST_LAB")
    if shared:
        yield Path(shared)
        return
    with tempfile.TemporaryDirectory(prefix="matops-bench-lab-") as tmp:
        state = Path(tmp)
        trust = load_trust(TRUST)
        lifecycle.lab_up(lab_targets(trust), state, apt_mirror=lab_mirror(trust))
        try:
            yield state
        finally:
            lifecycle.lab_down(state)


def _close_masters(lab: Path, hosts: list[str]) -> None:
    for host in hosts:
        argv = ["ssh", "-F", str(lab / "ssh_config"), "-O", "exit", host]
        subprocess.run(argv, capture_output=True, check=False, timeout=30)


def _counting(options: LiveOptions, counts: Counter[str]) -> Any:
    connect = linux_connect(options)

    def counted(target: Target) -> Any:
        host = connect(target)
        original = host.backend.run

        def run(command: str, *args: str, **kwargs: Any) -> Any:
            counts[target.name] += 1
            return original(command, *args, **kwargs)

        host.backend.run = run
        return host

    return counted


def _scan(lab: Path, targets: list[str], areas: list[str]) -> tuple[float, dict[str, int], int]:
    catalogue = load_catalogue()
    checks = catalogue.select(areas) if areas else list(catalogue)
    request = ScanRequest(
        root=TRUST, trust=load_trust(TRUST), catalogue=catalogue, checks=checks,
        selection=Selection(targets=frozenset(targets)), workers=16,
        live=LiveOptions(build_profile(TRUST, lab_dir=lab)),
    )  # fmt: skip
    counts: Counter[str] = Counter()
    providers = [
        LinuxHostProvider(_counting(request.live or LiveOptions(build_profile(TRUST)), counts))
        if isinstance(p, LinuxHostProvider)
        else p
        for p in providers_for(request)
    ]
    started = time.perf_counter()
    results = run_scan(request, providers=providers)
    elapsed = time.perf_counter() - started
    bad = [f for f in results.findings if f.status.value in ("error", "unreachable")]
    if bad:
        raise SystemExit(f"scan benchmark: {len(bad)} error/unreachable findings: {bad[0].detail}")
    sessions = sum(p.sessions for p in providers if isinstance(p, LiveNetworkProvider))
    return elapsed, dict(counts), sessions


def _pytest(lab: Path, hosts: list[str]) -> tuple[float, dict[str, int]]:
    with tempfile.NamedTemporaryFile("r", suffix=".counts") as counts:
        argv = [
            sys.executable, "-m", "pytest", str(PYTEST_FILE), "-q", "-p", "no:cacheprovider",
            f"--hosts={','.join(f'ssh://{h}' for h in hosts)}",
            f"--ssh-config={lab / 'ssh_config'}", "--sudo", "--rootdir", str(ROOT),
        ]  # fmt: skip
        env = {**os.environ, "MATOPS_BENCH_COUNT": counts.name}
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):  # 1: tests failed, expected on un-hardened hosts
            raise SystemExit(f"pytest-testinfra run failed:\n{done.stdout[-2000:]}{done.stderr}")
        found = {name: int(n) for name, n in (line.split() for line in counts.read().splitlines())}
    return elapsed, found


def main() -> None:
    """Run the benchmark and write ``benchmarks/results/scan.json``."""
    trust = load_trust(TRUST)
    chosen = os.environ.get("MATOPS_BENCH_HOSTS", "")
    hosts = [t.name for t in trust.targets("linux") if not chosen or t.name in chosen.split(",")]
    switches = [t.name for t in trust.targets("switch")]
    runs: dict[str, list[float]] = {"scan_full": [], "scan_linux": [], "pytest": []}
    with _lab() as lab:
        for _ in range(ROUNDS):
            _close_masters(lab, hosts)
            full, scan_counts, sessions = _scan(lab, hosts + switches, [])
            runs["scan_full"].append(full)
            _close_masters(lab, hosts)
            runs["scan_linux"].append(_scan(lab, hosts, ["host"])[0])
            _close_masters(lab, hosts)
            seconds, pytest_counts = _pytest(lab, hosts)
            runs["pytest"].append(seconds)
    median = {name: round(statistics.median(values), 2) for name, values in runs.items()}
    report = {
        "linux_hosts": hosts,
        "switches": switches,
        "rounds": ROUNDS,
        "median_seconds": median,
        "all_seconds": {k: [round(v, 2) for v in vs] for k, vs in runs.items()},
        "commands_per_linux_target": {"scan": scan_counts, "pytest_testinfra": pytest_counts},
        "switch_sessions_per_scan": sessions,
        "ratio_pytest_over_scan_linux": round(median["pytest"] / median["scan_linux"], 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
