"""What the benchmarks against the tenant simulator share: one simulator started over generated
tenants, a lab-like folder for the connection profile, each measurement in a child process of its
own (so its peak memory is its own) with the simulator's request counts beside it, and the
child's timing and findings summary. Used by ``benchmarks.tenants`` and ``benchmarks.devices``.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from matops.facts.model import Subject
from matops.facts.tenant.collect import TenantProvider
from matops.inventory.tenants import TenantInfo
from matops.scan.catalogue import Check
from matops.scan.runner import run_checks

ROOT = Path(__file__).parents[1]
TRUST = ROOT / "inventories" / "example-trust"
THROTTLED = ("/graph.microsoft.com/", "/admin.googleapis.com/", "/cloudidentity.")
"""Path prefixes of the simulator's APIs (every one of them is throttled when asked)."""


@contextmanager
def simulator(
    write_data: Callable[[Path], None], tenants: list[TenantInfo]
) -> Iterator[tuple[Any, Path, float]]:
    """The simulator over the data ``write_data`` writes, with a lab-like folder for the
    profile (its CA, address and the tenants' credentials): yields the simulator, that folder
    and the seconds the simulator took to start."""
    import yaml

    from matops.facts.tenant.credentials import lab_tenant_secrets
    from tests.support.tenantsim import SimTenants

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_data(work / "data")
        started = time.perf_counter()
        sim = SimTenants(work / "sim", source=work / "data").start()
        try:
            ready = round(time.perf_counter() - started, 1)
            lab = work / "lab"
            lab.mkdir()
            shutil.copy(sim.ca_bundle, lab / "tenant-ca.pem")
            (lab / "url").write_text(sim.base_url)
            secrets = lab_tenant_secrets(tenants, sim.credentials)
            (lab / "lab-secrets.yml").write_text(yaml.safe_dump(secrets))
            yield sim, lab, ready
        finally:
            sim.stop()


def measure(sim: Any, module: str, mode: str, lab: Path, throttle_every: int = 0) -> dict[str, Any]:
    """Run ``python -m <module> --child <mode> <lab>`` and add the simulator's request count
    (and, when every ``throttle_every``-th request is answered 429, the count of those)."""
    sim.clear_faults()
    sim.control("DELETE", "stats")
    if throttle_every:
        for prefix in THROTTLED:
            sim.fault(prefix, status=429, every=throttle_every, retry_after=1)
    answer = subprocess.run(
        [sys.executable, "-m", module, "--child", mode, str(lab)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    stats = sim.stats()
    result["requests"] = stats["requests"].get("total", 0)
    if throttle_every:
        result["throttled"] = stats["statuses"].get("429", 0)
    return result


def judge(
    started: float,
    subjects: list[Subject],
    checks: list[Check],
    providers: Sequence[Any],
    tenant_provider: TenantProvider,
) -> dict[str, Any]:
    """Judge ``checks`` for ``subjects`` (the child's measured part) and summarise: seconds since
    ``started``, peak memory and the memory before the first read, findings by status, the
    errors (check and detail), checks skipped."""
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        output = run_checks(subjects, checks, list(providers), workers=2)
    finally:
        tenant_provider.close()
    statuses = Counter(f.status.value for f in output.findings)
    errors = {f"{f.check}: {f.detail[:160]}" for f in output.findings if f.status.value == "error"}
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "before_reading_mib": round(baseline, 1),
        "schools": len(subjects),
        "checks": len(checks),
        "findings": dict(sorted(statuses.items())),
        "errors": sorted(errors),
        "skipped": len(output.skipped),
    }


def write_results(path: Path, results: dict[str, Any]) -> None:
    """Write the results file and print it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
