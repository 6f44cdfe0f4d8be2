"""Report writing for synthetic trusts: 5, 10, 25 and 50 schools of 40 targets x 60 checks.

Each size runs in its own process (``python -m benchmarks.reports --child N FORMATS``) so that
peak memory (ru_maxrss of the process and of its PDF workers) and CPU time (the process and its
PDF workers) belong to that size alone. The growth from the smallest to the largest size is
reported per school: for linear growth the time per school stays about the same.

The PDF edition is measured twice at every size in the same run: with its layout
(``reports/templates/school_pdf.html.j2``) and with the layout it replaced, kept for this
benchmark only in ``benchmarks/templates/`` (every list a table, an excerpt per finding), both
through the same process pool. CPU seconds are the headline, not wall time: other work on the
machine stretches wall time but not CPU time. Results: ``benchmarks/results/reports.json``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from matops.facts.model import Evidence
from matops.inventory.model import Asset
from matops.report.build import build_report
from matops.report.compare import compare
from matops.report.manifest import write_manifest
from matops.report.model import CheckInfo
from matops.report.pdf import render_pdf
from matops.report.registry import write_report
from matops.report.templates import environment
from matops.scan.catalogue import load_catalogue
from matops.scan.controls import ControlResult
from matops.scan.frameworks import Framework, load_frameworks
from matops.scan.model import Finding, Severity, Status
from matops.scan.results import InventoryInfo, Results, ScanInfo, ToolInfo, summarise

SIZES = (5, 10, 25, 50)
PDF_SIZES = SIZES
TARGETS, CHECKS = 40, 60
RESULTS = Path(__file__).parent / "results" / "reports.json"
NO_PDF = "html,md,json,csv,junit"
PREVIOUS_PDF = "pdf-previous"
"""The PDF edition with the layout it replaced (benchmarks/templates/school_pdf.html.j2)."""
PREVIOUS_TEMPLATES = Path(__file__).parent / "templates"
DAY = date(2026, 11, 22)
_STATUSES = [Status.PASS] * 16 + [Status.FAIL] * 2 + [Status.NOT_APPLICABLE, Status.WAIVED]
_CONTROL = ["met", "partly_met", "not_met", "not_assessed", "accepted_risk"]


def _finding(school: str, t: int, c: int, now: datetime) -> Finding:
    status = _STATUSES[(t * 7 + c * 3) % len(_STATUSES)]
    excerpt = "\n".join(f"line {i} of the output of check {c} on target {t}" for i in range(8))
    return Finding(
        check=f"synthetic_check_{c:02d}",
        title=f"Synthetic check {c} holds on the target",
        area="host",
        target=f"{school}-t{t:02d}",
        subject="target",
        kind="linux",
        school=school,
        status=status,
        severity=list(Severity)[c % 5],
        detail=f"observed value {t * c} (expected under {c})",
        evidence=[
            Evidence(source=f"cmd:check{c}", sha256="0" * 64, excerpt=excerpt, collected_at=now)
        ],
    )


def synthetic(schools: int, frameworks: dict[str, Framework]) -> Results:
    """Results for ``schools`` schools of TARGETS x CHECKS findings, controls from frameworks."""
    now = datetime(2026, 11, 22, 2, tzinfo=UTC)
    names = [f"school-{s:02d}" for s in range(schools)]
    findings = [
        _finding(n, t, c, now) for n in names for t in range(TARGETS) for c in range(CHECKS)
    ]
    controls = {
        n: {
            fw: [
                ControlResult(
                    id=ctl.id,
                    title=ctl.title,
                    automation=ctl.status,
                    status=_CONTROL[(i + s) % 5],
                    checks={"pass": 3, "fail": 1},
                )
                for i, ctl in enumerate(f.controls)
            ]
            for fw, f in frameworks.items()
        }
        for s, n in enumerate(names)
    }
    return Results(
        tool=ToolInfo(version="bench"),
        inventory=InventoryInfo(
            trust="bench", name="Benchmark Trust", path="-", commit=None, dirty=None
        ),
        scan=ScanInfo(
            started=now,
            finished=now,
            operator="bench",
            mode="offline",
            scan_date=DAY,
            schools=names,
            targets=[],
            checks=[f"synthetic_check_{c:02d}" for c in range(CHECKS)],
            fail_on="high",
        ),
        summary=summarise(findings, []),
        findings=findings,
        controls=controls,
    )


def _registers(schools: int) -> dict[str, list[Asset]]:
    return {
        f"school-{s:02d}": [
            Asset(
                asset_tag=f"A{s}-{a}",
                type="laptop",
                model="Bench 1",
                end_of_support=DAY + timedelta(days=30 * a),
                warranty_end=DAY + timedelta(days=20 * a),
            )
            for a in range(TARGETS)
        ]
        for s in range(schools)
    }


def previous_layout() -> Environment:
    """The report environment with the replaced PDF layout in front of the shipped templates."""
    env = environment()
    return env.overlay(loader=ChoiceLoader([FileSystemLoader(PREVIOUS_TEMPLATES), env.loader]))


def _write(report: Any, out: Path, formats: str) -> list[Path]:
    if formats == PREVIOUS_PDF:
        files = render_pdf(report, out, previous_layout())
        return [*files, write_manifest(out, files)]
    return write_report(report, out, formats.split(","))


def _cpu() -> float:
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(schools: int, formats: str) -> None:
    """Build and write one report; print time, CPU and peak memory as JSON."""
    catalogue = load_catalogue()
    frameworks, _ = load_frameworks(catalogue.root / "frameworks", set(catalogue.checks))
    results = synthetic(schools, frameworks)
    infos = {
        f"synthetic_check_{c:02d}": CheckInfo(
            f"synthetic_check_{c:02d}", "t", "r" * 60, "role x, tag y", "low", False
        )
        for c in range(CHECKS)
    }
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = build_report(
            results,
            infos,
            frameworks,
            _registers(schools),
            compare(None, results),
            has_previous=False,
            generated="bench",
            tool_version="bench",
        )
        built = _cpu()
        files = _write(report, Path(tmp), formats)
        elapsed = time.perf_counter() - started
        size = sum(f.stat().st_size for f in files)
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    peak = max(own.ru_maxrss, kids.ru_maxrss)
    cpu = _cpu()
    print(
        json.dumps(
            {
                "schools": schools,
                "findings": len(results.findings),
                "formats": formats,
                "seconds": round(elapsed, 2),
                "cpu_seconds": round(cpu, 2),
                "write_cpu_seconds_per_school": round((cpu - built) / schools, 2),
                "peak_mib": round(peak / 1024, 1),
                "files": len(files),
                "mib_written": round(size / 2**20, 1),
            }
        )
    )


def _run(schools: int, formats: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.reports", "--child", str(schools), formats],
        capture_output=True,
        text=True,
        check=True,
    )
    row: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    print(row, flush=True)
    return row


def main() -> None:
    """Measure every size without PDF, then the PDF edition with its layout and the previous one."""
    rows = [_run(n, NO_PDF) for n in SIZES]
    pdf_rows, previous_rows = [], []
    for n in PDF_SIZES:  # alternate, so that both layouts meet the same load on the machine
        pdf_rows.append(_run(n, "pdf"))
        previous_rows.append(_run(n, PREVIOUS_PDF))

    def growth(items: list[dict[str, Any]], key: str) -> float:
        first, last = items[0], items[-1]
        per_first = float(first[key]) / int(first["schools"])
        per_last = float(last[key]) / int(last["schools"])
        return round(per_last / per_first, 2)

    report = {
        "targets_per_school": TARGETS,
        "checks": CHECKS,
        "no_pdf": rows,
        "pdf": pdf_rows,
        "pdf_previous_layout": previous_rows,
        "time_per_school_ratio_largest_vs_smallest": growth(rows, "seconds"),
        "cpu_per_school_ratio_largest_vs_smallest": growth(rows, "cpu_seconds"),
        "memory_per_school_ratio_largest_vs_smallest": growth(rows, "peak_mib"),
        "pdf_time_per_school_ratio": growth(pdf_rows, "seconds"),
        "pdf_cpu_per_school_ratio": growth(pdf_rows, "cpu_seconds"),
        "pdf_cpu_previous_layout_over_layout": {
            str(new["schools"]): round(float(old["cpu_seconds"]) / float(new["cpu_seconds"]), 2)
            for new, old in zip(pdf_rows, previous_rows, strict=True)
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3])
    else:
        main()
