"""A live scan at the scale of a large trust: 50, 150 and 300 simulated switches plus the lab's
8 Linux hosts, full catalogue.

The trust is the example trust plus generated schools of ten switches each (half Cisco IOS, half
Aruba AOS-CX, access-switch port plans like the example's), written to a temporary folder so
that the scan reads it as it reads any trust (Ansible's variables, the drift check's templates,
the registers). Every switch is the project's simulator (``switchsim``) on 127.0.0.1, one port
each; to keep 300 of them within the machine's memory, ``SERVERS`` processes each serve a share
of the switches from one event loop (``python -m benchmarks.scale --serve SPEC``), with the same
``Device`` and ``serve`` that ``python -m switchsim`` runs for one. As root, the example
trust's Linux hosts are scanned too, in a lab brought up as the scan benchmark brings it up
(``benchmarks.scan``: ``MATOPS_BENCH_LAB`` or a lab of its own under the lab lock); without
root only the switches are.

Each size is scanned in its own process (``--child``), so that its peak memory (ru_maxrss) and
CPU time (user + system of the scanning process and its ssh clients) belong to that size alone;
the simulators' CPU during the scan is read from /proc and reported beside it. The scan is
``run_scan`` with the live network provider pointed at the simulators (everything else as a live
scan: drift against the trust's templates with made-up secrets, registers, waivers,
attestations), then the results file is written as ``matops scan`` writes it. Reported per size:
wall (the machine has 2 cores shared with other work, so wall stretches; CPU seconds do not),
controller CPU and CPU per target, peak memory, findings, results-file bytes and bytes per
finding, and the growth of CPU and wall per target from the smallest size. Results:
``benchmarks/results/scale.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[1]
TRUST = ROOT / "inventories" / "example-trust"
RESULTS = Path(__file__).parent / "results" / "scale.json"
SIZES = (50, 150, 300)
PER_SCHOOL = 10
SERVERS = 4
WORKERS = 16
PASSWORD = "Scale-Bench-Only-Pass-3"  # the throwaway simulators' login, loopback only
MODELS = {"cisco_ios": "WS-C2960X-24PS-L", "aruba_aoscx": "6200F JL724A"}
PORTS = {
    "cisco_ios": [
        {"name": "GigabitEthernet1/0/1-10", "role": "curriculum", "description": "classrooms"},
        {"name": "GigabitEthernet1/0/11-14", "role": "staff", "description": "staff room"},
        {"name": "GigabitEthernet1/0/15-17", "role": "ap_uplink"},
        {"name": "GigabitEthernet1/0/18", "role": "phone", "description": "office"},
        {"name": "GigabitEthernet1/0/19-24", "role": "unused"},
        {"name": "GigabitEthernet1/0/25", "role": "uplink", "description": "core uplink"},
        {"name": "GigabitEthernet1/0/26-28", "role": "unused"},
    ],
    "aruba_aoscx": [
        {"name": "1/1/1-14", "role": "curriculum", "description": "classrooms"},
        {"name": "1/1/15-18", "role": "staff", "description": "offices"},
        {"name": "1/1/19-21", "role": "ap_uplink"},
        {"name": "1/1/22", "role": "phone", "description": "office"},
        {"name": "1/1/23-24", "role": "unused"},
        {"name": "1/1/25", "role": "uplink", "description": "core uplink"},
        {"name": "1/1/26-28", "role": "unused"},
    ],
}


def _school(n: int) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """Generated school ``n``: its file name, inventory document and switches."""
    school_id, group = f"scale-{n:03d}", f"scale_{n:03d}"
    net = f"198.18.{100 + n}"
    vlans = [{"id": 10, "name": "MANAGEMENT", "purpose": "management", "subnet": f"{net}.0/24"}]
    for vid, name, purpose in ((20, "STAFF", "staff"), (30, "CURRICULUM", "curriculum"),
                               (40, "GUEST_BYOD", "guest"), (50, "VOICE", "voice")):  # fmt: skip
        vlans.append({"id": vid, "name": name, "purpose": purpose,
                      "subnet": f"10.{100 + n}.{vid}.0/24"})  # fmt: skip
    vlans.append({"id": 999, "name": "PARKING", "purpose": "parking"})
    switches = []
    hosts: dict[str, Any] = {}
    for i in range(PER_SCHOOL):
        platform = "cisco_ios" if i % 2 == 0 else "aruba_aoscx"
        name = f"s{n:03d}-sw{i:02d}"
        hosts[name] = {"ansible_host": f"{net}.{10 + i}", "platform": platform,
                       "model": MODELS[platform], "device_role": "access",
                       "ports": PORTS[platform]}  # fmt: skip
        switches.append({"name": name, "platform": platform, "model": MODELS[platform]})
    school = {
        "id": school_id, "name": f"Scale School {n}", "urn": 991000 + n, "phase": "primary",
        "wave": 3, "sites": [{"id": "main", "name": f"Scale School {n}", "postcode": "ZZ9 9ZZ"}],
        "network": {"management": {"vlan": 10, "subnet": f"{net}.0/24", "gateway": f"{net}.1"},
                    "vlans": vlans},
    }  # fmt: skip
    document = {
        group: {"vars": {"school": school},
                "children": {f"{group}_switches": {"hosts": hosts}}},
        "switches": {"children": {f"{group}_switches": None}},
    }  # fmt: skip
    return f"{school_id}.yml", document, switches


def build_trust(folder: Path, switches: int) -> list[dict[str, Any]]:
    """The example trust plus generated schools with ``switches`` switches in all."""
    shutil.copytree(TRUST, folder)
    found: list[dict[str, Any]] = []
    for n in range(-(-switches // PER_SCHOOL)):
        name, document, made = _school(n)
        text = "---\n" + yaml.safe_dump(document, sort_keys=False)
        (folder / "schools" / name).write_text(text, encoding="utf-8")
        found += made
    return found[:switches]


async def _serve_all(spec: Path, state: Path) -> None:
    """Serve every switch of ``spec`` on 127.0.0.1 (a free port each, written beside it)."""
    from switchsim.device import Device, DeviceSpec
    from switchsim.server import serve

    ports = {}
    acceptors = []
    for sw in json.loads(spec.read_text(encoding="utf-8")):
        device = Device(DeviceSpec(platform=sw["platform"], hostname=sw["name"],
                                   model=sw["model"], address="127.0.0.1",
                                   state_dir=state / sw["name"], username="admin",
                                   password=PASSWORD))  # fmt: skip
        acceptor = await serve(device, "127.0.0.1", 0, state / "keys" / sw["name"])
        acceptors.append(acceptor)
        ports[sw["name"]] = acceptor.get_port()
    spec.with_suffix(".ports").write_text(json.dumps(ports), encoding="utf-8")
    print(f"serving {len(acceptors)}", flush=True)
    await asyncio.Event().wait()


def _start_servers(switches: list[dict[str, Any]], work: Path) -> list[subprocess.Popen[str]]:
    """``SERVERS`` simulator processes on 127.0.0.1; writes one known_hosts for all."""
    from tests.support.sim import first_line

    procs = []
    for i in range(SERVERS):
        spec = work / f"serve-{i}.json"
        spec.write_text(json.dumps(switches[i::SERVERS]), encoding="utf-8")
        argv = [sys.executable, "-m", "benchmarks.scale", "--serve", str(spec), str(work)]
        procs.append(subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT))
    for i, proc in enumerate(procs):
        line = first_line(proc, timeout=300)
        if not line.startswith("serving"):
            _stop(procs)
            raise SystemExit(f"scale benchmark: a simulator server did not start: {line!r}")
        ports = json.loads((work / f"serve-{i}.ports").read_text(encoding="utf-8"))
        for sw in switches[i::SERVERS]:
            sw["port"] = ports[sw["name"]]
    lines = []
    for sw in switches:
        pub = (work / "keys" / f"{sw['name']}.pub").read_text(encoding="utf-8")
        key_type, key = pub.split()[:2]
        lines.append(f"[127.0.0.1]:{sw['port']} {key_type} {key}\n")
    (work / "known_hosts").write_text("".join(lines), encoding="utf-8")
    return procs


def _stop(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)


def _own_cpu() -> float:
    """CPU seconds of this process and the children it waited for (ssh clients to Linux hosts)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _cpu_of(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (/proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def switch_providers(
    root: Path, trust: Any, scan_date: Any, ports: dict[str, int], work: Path, secrets: Any
) -> tuple[list[Any], Any]:
    """The inventory, register and live switch providers of a generated trust whose switches
    the simulators serve on 127.0.0.1 (``ports``: switch name → port), and the last of them."""
    from matops.facts.network.drift import trust_remediation
    from matops.facts.network.live import LiveNetworkProvider
    from matops.facts.register.collect import InventoryProvider, RegisterProvider
    from matops.inventory.model import Target
    from matops.network.connect import ConnectionSettings
    from matops.scan.live import LAB_SWITCH_USER

    def settings(target: Target) -> ConnectionSettings:
        return ConnectionSettings(target.name, target.platform, "127.0.0.1", ports[target.name],
                                  "admin", work / "known_hosts", PASSWORD)  # fmt: skip

    drift = trust_remediation(root, trust, None, (LAB_SWITCH_USER,), secrets)
    network = LiveNetworkProvider(settings, drift, timeout=60.0)
    return [InventoryProvider(trust, scan_date), RegisterProvider(trust), network], network


def child(size: int, work: Path) -> dict[str, Any]:
    """Scan the first ``size`` switches of the generated trust in this process."""
    from matops.connect.profile import build_profile
    from matops.facts.linux.provider import LinuxHostProvider
    from matops.inventory.loader import load_trust
    from matops.lab.labsecrets import write_lab_secrets
    from matops.scan.catalogue import load_catalogue
    from matops.scan.live import LiveOptions, linux_connect
    from matops.scan.results import write_results
    from matops.scan.runner import Selection
    from matops.scan.session import ScanRequest, run_scan

    started_cpu = time.process_time()
    switches = json.loads((work / "switches.json").read_text(encoding="utf-8"))[:size]
    ports = {sw["name"]: sw["port"] for sw in switches}
    root = work / "trust"
    trust = load_trust(root)
    catalogue = load_catalogue()
    lab = (work / "lab").read_text().strip() if (work / "lab").is_file() else ""
    live = LiveOptions(build_profile(root, lab_dir=Path(lab) if lab else None))
    hosts = [t.name for t in trust.targets("linux")] if lab else []
    request = ScanRequest(
        root=root, trust=trust, catalogue=catalogue, checks=list(catalogue),
        selection=Selection(targets=frozenset([*ports, *hosts])), workers=WORKERS, live=live,
    )  # fmt: skip
    (work / f"secrets-{size}").mkdir()
    secrets = write_lab_secrets(work / f"secrets-{size}")

    providers, network = switch_providers(root, trust, request.scan_date, ports, work, secrets)
    if hosts:
        providers.append(LinuxHostProvider(linux_connect(live)))
    setup_cpu = time.process_time() - started_cpu
    servers = [int(p) for p in (work / "servers").read_text().split()]
    sim_before = _cpu_of(servers)
    cpu_before, wall_before = _own_cpu(), time.perf_counter()
    results = run_scan(request, providers=providers)
    path = work / f"results-{size}.json"
    write_results(results, path)
    wall, cpu = time.perf_counter() - wall_before, _own_cpu() - cpu_before
    statuses = Counter(f.status.value for f in results.findings)
    subjects = {f.target for f in results.findings}
    targets = size + len(hosts)
    return {
        "switches": size,
        "linux_hosts": len(hosts),
        "targets": targets,
        "subjects_with_findings": len(subjects),
        "ssh_sessions": network.sessions,
        "wall_seconds": round(wall, 2),
        "controller_cpu_seconds": round(cpu, 2),
        "controller_cpu_ms_per_target": round(1000 * cpu / targets, 1),
        "setup_cpu_seconds": round(setup_cpu, 2),
        "simulator_cpu_seconds": round(_cpu_of(servers) - sim_before, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "findings": len(results.findings),
        "statuses": dict(sorted(statuses.items())),
        "results_bytes": path.stat().st_size,
        "results_bytes_per_finding": round(path.stat().st_size / max(1, len(results.findings))),
    }


def _growth(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-target CPU, wall and findings of each size over the smallest's (1.0: linear)."""
    first = runs[0]
    out = {}
    for run in runs[1:]:
        n, n0 = run["targets"], first["targets"]

        def ratio(key: str, run: dict[str, Any] = run, n: int = n, n0: int = n0) -> float:
            return float(round((run[key] / n) / (first[key] / n0), 2))

        out[f"{n}_over_{n0}"] = {
            "cpu_per_target": ratio("controller_cpu_seconds"),
            "wall_per_target": ratio("wall_seconds"),
            "findings_per_target": ratio("findings"),
            "results_bytes_per_finding": round(
                run["results_bytes_per_finding"] / first["results_bytes_per_finding"], 2
            ),
        }
    return out


@contextmanager
def _linux_lab() -> Iterator[Path | None]:
    """The lab's Linux hosts (the scan benchmark's lab, under the lab lock), or None without
    root: then only the simulated switches are scanned."""
    if os.geteuid() != 0 and not os.environ.get("MATOPS_BENCH_LAB"):
        yield None
        return
    from benchmarks.scan import _lab

    with _lab() as lab:
        yield lab


def main() -> None:
    """Run every size and write ``benchmarks/results/scale.json``."""
    with tempfile.TemporaryDirectory(prefix="matops-scale-") as tmp, _linux_lab() as lab:
        work = Path(tmp)
        if lab is not None:
            (work / "lab").write_text(str(lab), encoding="utf-8")
        switches = build_trust(work / "trust", max(SIZES))
        started = time.perf_counter()
        procs = _start_servers(switches, work)  # stopped below, also when a size fails
        start_s = round(time.perf_counter() - started, 1)
        (work / "switches.json").write_text(json.dumps(switches), encoding="utf-8")
        (work / "servers").write_text(" ".join(str(p.pid) for p in procs))
        runs = []
        lab_used = lab is not None
        try:
            for size in SIZES:
                argv = [sys.executable, "-m", "benchmarks.scale", "--child", str(size), str(work)]
                done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
                if done.returncode != 0:
                    raise SystemExit(f"scale benchmark, size {size}:\n{done.stderr[-3000:]}")
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(json.dumps(runs[-1]), flush=True)
        finally:
            _stop(procs)
    report = {
        "what": "live scan, full catalogue, of N simulated switches (switchsim on 127.0.0.1) "
        "and the lab's Linux hosts",
        "linux_hosts": "the example trust's, in the lab" if lab_used else "none (not root)",
        "machine": f"{os.cpu_count()} cores, shared with other work: wall stretches, CPU does not",
        "simulator_processes": SERVERS,
        "simulators_start_seconds": start_s,
        "scan_workers": WORKERS,
        "runs": runs,
        "growth_over_smallest": _growth(runs),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        asyncio.run(_serve_all(Path(sys.argv[2]), Path(sys.argv[3])))
    elif sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        main()
