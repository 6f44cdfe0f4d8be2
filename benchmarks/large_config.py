"""The offline scan of one very large switch configuration (50,000 lines), per platform.

A core switch of a large secondary can carry thousands of interfaces, VLANs and access-list
entries. The scan must read such a config as quickly as a small one reads. Measured, median of
``ROUNDS``, on a copy of the example trust whose first switch of each platform has the large
config as its saved backup:

* ``scan``: ``run_scan`` offline with the full catalogue on that one switch (validation, parse,
  every network check, the drift check's hier_config remediation, evidence);
* ``hier_config``: hier_config's ``get_hconfig`` on the same text alone, the floor any reader
  built on that library pays; the ratio shows what matops adds on top of it.

Results: ``benchmarks/results/large_config.json``. Runs without root and without a lab.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hier_config import Platform, get_hconfig

from matops.inventory.loader import load_trust
from matops.inventory.model import Target
from matops.scan.catalogue import load_catalogue
from matops.scan.runner import Selection
from matops.scan.session import ScanRequest, run_scan

ROUNDS = 3
LINES = 50_000
ROOT = Path(__file__).parents[1]
TRUST = ROOT / "inventories" / "example-trust"
RESULTS = Path(__file__).parent / "results" / "large_config.json"
HIER_PLATFORMS = {"cisco_ios": Platform.CISCO_IOS, "aruba_aoscx": Platform.ARUBA_AOSCX}


def _ios(lines: int) -> str:
    """A complete IOS-XE config of about ``lines`` lines: many ports, VLANs and ACL entries."""
    head = [
        "Building configuration...", "", "Current configuration : 1234567 bytes", "!",
        "version 17.9", "hostname big-core01", "!", "enable secret 9 $9$bench$bench", "!",
        "aaa new-model", "aaa authentication login default group radius local", "!",
        "ip ssh version 2", "no ip http server", "no ip http secure-server", "!",
        "spanning-tree mode rapid-pvst", "spanning-tree portfast bpduguard default", "!",
    ]  # fmt: skip
    body: list[str] = []
    for vlan in range(2, 1001):
        body += [f"vlan {vlan}", f" name V{vlan}", "!"]
    port = 0
    while len(head) + len(body) < lines * 0.6:
        stack, slot = divmod(port, 48)
        body += [
            f"interface GigabitEthernet{stack + 1}/0/{slot + 1}",
            f" description desk-{port}",
            " switchport access vlan 20",
            " switchport mode access",
            " spanning-tree portfast",
            " storm-control broadcast level 1.00",
            "!",
        ]
        port += 1
    entry = 0
    while len(head) + len(body) < lines - 20:
        if entry % 500 == 0:
            body.append(f"ip access-list extended ACL-{entry // 500}")
        body.append(f" {10 * (entry % 500 + 1)} permit tcp any host 198.18.{entry % 250}.1 eq 443")
        entry += 1
    tail = [
        "!", "line con 0", " exec-timeout 10 0", "line vty 0 15", " exec-timeout 10 0",
        " transport input ssh", "!", "end",
    ]  # fmt: skip
    return "\n".join(head + body + tail) + "\n"


def _aoscx(lines: int) -> str:
    """A complete AOS-CX config of about ``lines`` lines."""
    head = [
        "Current configuration:", "!", "!Version ArubaOS-CX PL.10.13.1000",
        "!export-password: default", "hostname big-core02",
        "user admin group administrators password ciphertext AQBapbench",
        "ssh server vrf mgmt", "!",
    ]  # fmt: skip
    body: list[str] = []
    for vlan in range(2, 1001):
        body += [f"vlan {vlan}", f"    name V{vlan}"]
    port = 0
    while len(head) + len(body) < lines * 0.6:
        member, slot = divmod(port, 52)
        body += [
            f"interface {member + 1}/1/{slot + 1}",
            "    no shutdown",
            f"    description desk-{port}",
            "    no routing",
            "    vlan access 20",
            "    spanning-tree port-type admin-edge",
            "    spanning-tree bpdu-guard",
        ]
        port += 1
    entry = 0
    while len(head) + len(body) < lines - 5:
        if entry % 500 == 0:
            body.append(f"access-list ip ACL-{entry // 500}")
        body.append(f"    {10 * (entry % 500 + 1)} permit tcp any 198.18.{entry % 250}.1 eq 443")
        entry += 1
    tail = ["!", "https-server vrf mgmt"]
    return "\n".join(head + body + tail) + "\n"


GENERATORS: dict[str, Callable[[int], str]] = {"cisco_ios": _ios, "aruba_aoscx": _aoscx}


def _median(action: Callable[[], Any]) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def _measure(root: Path, target: Target, text: str) -> dict[str, Any]:
    saved = root / "backups" / target.school / f"{target.name}.cfg"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(text, encoding="utf-8")
    trust = load_trust(root)
    catalogue = load_catalogue()
    request = ScanRequest(
        root=root,
        trust=trust,
        catalogue=catalogue,
        checks=list(catalogue.checks.values()),
        selection=Selection(targets=frozenset({target.name})),
        fail_on=None,
    )
    scan, scan_all, results = _median(lambda: run_scan(request))
    floor, floor_all, _ = _median(lambda: get_hconfig(HIER_PLATFORMS[target.platform], text))
    statuses: dict[str, int] = {}
    for finding in results.findings:
        statuses[finding.status.value] = statuses.get(finding.status.value, 0) + 1
    return {
        "target": target.name,
        "lines": text.count("\n"),
        "bytes": len(text.encode()),
        "median_seconds": {"scan": round(scan, 2), "hier_config": round(floor, 2)},
        "all_seconds": {
            "scan": [round(t, 2) for t in scan_all],
            "hier_config": [round(t, 2) for t in floor_all],
        },
        "ratio_scan_over_hier_config": round(scan / floor, 1),
        "findings": statuses,
    }


def main() -> None:
    """Run the benchmark and write ``benchmarks/results/large_config.json``."""
    report: dict[str, Any] = {"rounds": ROUNDS, "platforms": {}}
    with tempfile.TemporaryDirectory(prefix="matops-bench-large-") as tmp:
        root = Path(tmp) / "example-trust"
        shutil.copytree(TRUST, root)
        trust = load_trust(root)
        for platform, generate in GENERATORS.items():
            target = next(t for t in trust.targets("switch") if t.platform == platform)
            report["platforms"][platform] = _measure(root, target, generate(LINES))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
