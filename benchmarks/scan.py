"""A live scan of lab targets vs the same Linux checks as per-assertion pytest-testinfra tests.

Both sides use the same SSH setup: the lab's ssh_config (ControlMaster, one ControlPath per
host) with sudo. Before every measurement the SSH master connections are closed, so neither side
starts with a warm connection. Measured, median of ``ROUNDS``:

* ``scan_full``: ``run_scan`` live with the full catalogue on the Linux hosts and the switches
  (and their register rows);
* ``scan_linux``: the same, Linux hosts and host checks only (what the pytest file covers);
* ``pytest``: ``pytest benchmarks/testinfra_equivalent.py --hosts=… --ssh-config=… --sudo``
  (pytest-testinfra runs the hosts one after another);
* ``pytest_parallel``: the same file, one pytest process per host, all at once (the scan works
  on several hosts at a time, so this is the like-for-like way to run pytest-testinfra).

Commands per Linux target are counted on both sides by wrapping testinfra's backend ``run``.

The target-side cost table: every command each Linux collector sends (recorded through the same
wrapper, exactly as testinfra sends it: sudo, ``timeout``, quoting) is run again on every host
over the same SSH connection under bash's ``time``, which reports the wall time and the user and
system CPU of the command and every process it waited for (sudo, timeout, the command). Per
command: the median over the hosts; per fact: the sum of its commands. ``apt list
--upgradable``, which ``apt_security_updates`` sent before it read apt's lists directly, is
measured beside it in the same run.

The lab: ``MATOPS_BENCH_LAB`` or ``MATOPS_TEST_LAB`` (an already running lab's state folder, used
as is and left up), else a lab of the whole example trust is brought up for the run and taken
down after (root needed), holding the integration tests' lab lock meanwhile.
``MATOPS_BENCH_HOSTS`` limits the Linux hosts (comma-separated), e.g. on a lab shared with
others. Results: ``benchmarks/results/scan.json``.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shlex
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
from matops.facts.linux.batch import batched
from matops.facts.linux.collect import COLLECTORS, Shell
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import FactError, Subject
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
LAB_LOCK = Path("/run/matops-test-lab.lock")
"""The integration tests' lab lock: one lab on the machine at a time."""
LIMIT = "timeout -k 5 60 "
"""How :class:`~matops.facts.linux.shell.Shell` starts every command it sends."""
REPLACED = {"apt_security_updates (before)": "apt list --upgradable"}
"""Commands a collector no longer sends, measured beside what replaced them."""


@contextmanager
def _lab() -> Iterator[Path]:
    shared = os.environ.get("MATOPS_BENCH_LAB") or os.environ.get("MATOPS_TEST_LAB")
    if shared:
        yield Path(shared)
        return
    with LAB_LOCK.open("a") as lock, tempfile.TemporaryDirectory(prefix="matops-bench-lab-") as tmp:
        fcntl.flock(lock, fcntl.LOCK_EX)
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


def _counting(options: LiveOptions, counts: Counter[str], trips: Counter[str]) -> Any:
    """Hosts that count the commands they are sent (a batch's each) and the round trips."""
    connect = linux_connect(options)

    def counted(target: Target) -> Any:
        host = connect(target)
        original = host.backend.run

        def run(command: str, *args: str, **kwargs: Any) -> Any:
            counts[target.name] += batched(command)
            trips[target.name] += 1
            return original(command, *args, **kwargs)

        host.backend.run = run
        return host

    return counted


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (ssh clients)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _scan(
    lab: Path, targets: list[str], areas: list[str]
) -> tuple[float, dict[str, int], int, float, dict[str, int]]:
    catalogue = load_catalogue()
    checks = catalogue.select(areas) if areas else list(catalogue)
    request = ScanRequest(
        root=TRUST, trust=load_trust(TRUST), catalogue=catalogue, checks=checks,
        selection=Selection(targets=frozenset(targets)), workers=16,
        live=LiveOptions(build_profile(TRUST, lab_dir=lab)),
    )  # fmt: skip
    counts: Counter[str] = Counter()
    trips: Counter[str] = Counter()
    options = request.live or LiveOptions(build_profile(TRUST))
    providers = [
        LinuxHostProvider(_counting(options, counts, trips))
        if isinstance(p, LinuxHostProvider)
        else p
        for p in providers_for(request)
    ]
    started, cpu = time.perf_counter(), _cpu()
    results = run_scan(request, providers=providers)
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    bad = [f for f in results.findings if f.status.value in ("error", "unreachable")]
    if bad:
        raise SystemExit(f"scan benchmark: {len(bad)} error/unreachable findings: {bad[0].detail}")
    sessions = sum(p.sessions for p in providers if isinstance(p, LiveNetworkProvider))
    return elapsed, dict(counts), sessions, cpu, dict(trips)


def _pytest(lab: Path, hosts: list[str]) -> tuple[float, dict[str, int], float]:
    with tempfile.NamedTemporaryFile("r", suffix=".counts") as counts:
        argv = [
            sys.executable, "-m", "pytest", str(PYTEST_FILE), "-q", "-p", "no:cacheprovider",
            f"--hosts={','.join(f'ssh://{h}' for h in hosts)}",
            f"--ssh-config={lab / 'ssh_config'}", "--sudo", "--rootdir", str(ROOT),
        ]  # fmt: skip
        env = {**os.environ, "MATOPS_BENCH_COUNT": counts.name}
        started, cpu = time.perf_counter(), _cpu()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
        if done.returncode not in (0, 1):  # 1: tests failed, expected on un-hardened hosts
            raise SystemExit(f"pytest-testinfra run failed:\n{done.stdout[-2000:]}{done.stderr}")
        found = {name: int(n) for name, n in (line.split() for line in counts.read().splitlines())}
    return elapsed, found, cpu


def _pytest_parallel(lab: Path, hosts: list[str]) -> tuple[float, float]:
    """The same pytest file with one pytest process per host, all started at once (what a team
    without pytest-xdist would do to scan hosts side by side): wall and CPU seconds."""
    started, cpu = time.perf_counter(), _cpu()
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "pytest", str(PYTEST_FILE), "-q", "-p", "no:cacheprovider",
             f"--hosts=ssh://{host}", f"--ssh-config={lab / 'ssh_config'}", "--sudo",
             "--rootdir", str(ROOT)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for host in hosts
    ]  # fmt: skip
    for process in running:
        _, stderr = process.communicate()
        if process.returncode not in (0, 1):
            raise SystemExit(f"pytest-testinfra (one host) failed:\n{stderr[-2000:]}")
    return time.perf_counter() - started, _cpu() - cpu


def _recorded(host: Any, facts: list[str]) -> dict[str, list[str]]:
    """Every command line each of these Linux collectors sends to ``host``, as testinfra sends
    it (a collector that fails still counts the commands it sent)."""
    sent: list[str] = []
    original = host.backend.run

    def run(command: str, *args: str, **kwargs: Any) -> Any:
        if command.startswith(LIMIT):  # not testinfra's own probe of the target's encoding
            sent.append(host.backend.get_command(command, *args))
        return original(command, *args, **kwargs)

    host.backend.run = run
    found = {}
    for fact in facts:
        sent.clear()
        try:
            COLLECTORS[fact](Shell(host))
        except FactError as exc:
            print(f"target cost: {fact} failed: {exc}", file=sys.stderr)
        found[fact] = list(sent)
    host.backend.run = original
    for fact, command in REPLACED.items():
        found[fact] = [host.backend.get_command(LIMIT + command)]
    return found


def _timed(host: Any, command: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the command and what it waited for) on the target."""
    script = f"TIMEFORMAT='%R %U %S'; time ( {command} >/dev/null 2>&1 )"
    done = host.backend.run_ssh("bash -c " + shlex.quote(script))
    real, user, system = (float(v) for v in done.stderr.split()[-3:])
    return real, user + system


def _batches(host: Any, target: Target) -> list[tuple[str, int]]:
    """The command lines the scan sends ``host`` to gather every Linux fact (its batches),
    as testinfra sends them, each with the number of commands it carries."""
    sent: list[tuple[str, int]] = []
    original = host.backend.run

    def run(command: str, *args: str, **kwargs: Any) -> Any:
        if batched(command) > 1 or command.startswith(LIMIT):
            sent.append((host.backend.get_command(command, *args), batched(command)))
        return original(command, *args, **kwargs)

    host.backend.run = run
    provider = LinuxHostProvider(lambda _: host)
    subject = Subject.of_target(target)
    provider.prefetch(subject, COLLECTORS)
    for fact in COLLECTORS:
        try:
            provider.collect(fact, subject)
        except FactError as exc:
            print(f"target cost: {fact} failed: {exc}", file=sys.stderr)
    host.backend.run = original
    return sent


def _target_costs(lab: Path, hosts: list[str]) -> dict[str, Any]:
    """The per-command and per-fact target cost table (median over ``hosts``)."""
    connect = linux_connect(LiveOptions(build_profile(TRUST, lab_dir=lab)))
    trust = load_trust(TRUST)
    targets = {t.name: t for t in trust.targets("linux")}
    measured: dict[tuple[str, str], list[tuple[float, float]]] = {}
    batches: list[tuple[int, int, float, float]] = []  # per host: trips, commands, wall, cpu
    for name in hosts:
        host = connect(targets[name])
        sent = _batches(host, targets[name])
        timed = [_timed(host, command) for command, _ in sent]
        batches.append((
            len(sent), sum(n for _, n in sent),
            sum(t[0] for t in timed), sum(t[1] for t in timed),
        ))  # fmt: skip
        for fact, commands in _recorded(host, list(COLLECTORS)).items():
            for command in commands:
                shown = command.split(LIMIT, 1)[-1].rstrip("'")
                measured.setdefault((fact, shown), []).append(_timed(host, command))
    rows: list[dict[str, Any]] = []
    for (fact, command), values in measured.items():
        rows.append({
            "fact": fact, "command": command[:160], "hosts": len(values),
            "wall_s": round(statistics.median(v[0] for v in values), 3),
            "cpu_s": round(statistics.median(v[1] for v in values), 3),
        })  # fmt: skip
    rows.sort(key=lambda r: -r["cpu_s"])
    facts: dict[str, dict[str, float]] = {}
    for row in rows:
        total = facts.setdefault(row["fact"], {"commands": 0, "wall_s": 0.0, "cpu_s": 0.0})
        total["commands"] += 1
        total["wall_s"] = round(total["wall_s"] + row["wall_s"], 3)
        total["cpu_s"] = round(total["cpu_s"] + row["cpu_s"], 3)
    scan = {f: v for f, v in facts.items() if f not in REPLACED}
    return {
        "hosts": hosts,
        "how": "bash `time` on the target around each command as testinfra sends it (sudo, "
        "timeout); median over the hosts",
        "per_fact": dict(sorted(facts.items(), key=lambda kv: -kv[1]["cpu_s"])),
        "per_command": rows,
        "scan_total_per_host": {
            "commands": sum(v["commands"] for v in scan.values()),
            "wall_s": round(sum(v["wall_s"] for v in scan.values()), 2),
            "cpu_s": round(sum(v["cpu_s"] for v in scan.values()), 2),
            "how": "each command sent alone (its own sudo and shell), summed",
        },
        "scan_batched_per_host": {
            "round_trips": statistics.median(b[0] for b in batches),
            "commands": statistics.median(b[1] for b in batches),
            "wall_s": round(statistics.median(b[2] for b in batches), 2),
            "cpu_s": round(statistics.median(b[3] for b in batches), 2),
            "how": "the batches the scan sends (one sudo and shell each), timed the same way; "
            "median over the hosts",
        },
    }


def _apt_here() -> dict[str, Any]:
    """Both reads of pending security updates on this machine (a Debian host with the full
    Debian archive's lists), as root, median of ``ROUNDS``: what the lab's small mirror cannot
    show."""
    import testinfra

    host = testinfra.get_host("local://")
    out: dict[str, Any] = {}
    for fact, commands in _recorded(host, ["apt_security_updates"]).items():
        for label, command in ((fact, c) for c in commands):
            shown = command.split(LIMIT, 1)[-1]
            runs = [_timed_here(command) for _ in range(ROUNDS)]
            out[f"{label}: {shown[:100]}"] = {
                "wall_s": round(statistics.median(r[0] for r in runs), 3),
                "cpu_s": round(statistics.median(r[1] for r in runs), 3),
            }
    return out


def _timed_here(command: str) -> tuple[float, float]:
    script = f"TIMEFORMAT='%R %U %S'; time ( {command} >/dev/null 2>&1 )"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    real, user, system = (float(v) for v in done.stderr.split()[-3:])
    return real, user + system


def main() -> None:
    """Run the benchmark and write ``benchmarks/results/scan.json``."""
    trust = load_trust(TRUST)
    chosen = os.environ.get("MATOPS_BENCH_HOSTS", "")
    hosts = [t.name for t in trust.targets("linux") if not chosen or t.name in chosen.split(",")]
    switches = [t.name for t in trust.targets("switch")]
    names = ("scan_full", "scan_linux", "pytest", "pytest_parallel")
    runs: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    with _lab() as lab:
        for _ in range(ROUNDS):
            _close_masters(lab, hosts)
            full, scan_counts, sessions, cpu, scan_trips = _scan(lab, hosts + switches, [])
            runs["scan_full"].append(full)
            cpus["scan_full"].append(cpu)
            _close_masters(lab, hosts)
            linux = _scan(lab, hosts, ["host"])
            runs["scan_linux"].append(linux[0])
            cpus["scan_linux"].append(linux[3])
            _close_masters(lab, hosts)
            seconds, pytest_counts, cpu = _pytest(lab, hosts)
            runs["pytest"].append(seconds)
            cpus["pytest"].append(cpu)
            _close_masters(lab, hosts)
            seconds, cpu = _pytest_parallel(lab, hosts)
            runs["pytest_parallel"].append(seconds)
            cpus["pytest_parallel"].append(cpu)
        costs = _target_costs(lab, hosts)
    median = {name: round(statistics.median(values), 2) for name, values in runs.items()}
    report = {
        "linux_hosts": hosts,
        "switches": switches,
        "rounds": ROUNDS,
        "median_seconds": median,
        "median_controller_cpu_seconds": {
            name: round(statistics.median(values), 2) for name, values in cpus.items()
        },
        "all_seconds": {k: [round(v, 2) for v in vs] for k, vs in runs.items()},
        "commands_per_linux_target": {"scan": scan_counts, "pytest_testinfra": pytest_counts},
        "ssh_round_trips_per_linux_target": {
            "scan": scan_trips,
            "pytest_testinfra": "one per command",
            "how": "the scan sends each round's commands as one batch (matops.facts.linux.batch)",
        },
        "switch_sessions_per_scan": sessions,
        "ratio_pytest_over_scan_linux": round(median["pytest"] / median["scan_linux"], 1),
        "ratio_pytest_over_scan_full": round(median["pytest"] / median["scan_full"], 1),
        "ratio_pytest_parallel_over_scan_linux": round(
            median["pytest_parallel"] / median["scan_linux"], 1
        ),
        "machine": f"{os.cpu_count()} cores shared with the lab's targets and other work: wall "
        "times stretch; the target cost table gives CPU seconds too",
        "target_cost": costs,
        "apt_reads_on_this_machine": _apt_here(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
