"""The report step: a sign-off pack per school, through the report layer.

The pack (``<run>/signoff/<school>/``) holds the compliance report of the post-scan compared
with the pre-scan (HTML, PDF, JSON, from :mod:`matops.report`) and the refresh record
(``refresh.md`` and ``refresh.json``: network changes applied, host changes, failures and
rollbacks, waivers used, and the leavers in each tenant serving the school: whose account was
disabled and whose is still enabled), all listed in the report layer's ``MANIFEST.sha256``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from matops.refresh.journal import read_events
from matops.refresh.model import Event, EventKind, StepName
from matops.report.compare import load_results
from matops.report.inputs import Inputs, make_report
from matops.report.manifest import write_manifest
from matops.report.registry import RENDERERS
from matops.report.standing import school_standing
from matops.report.tenants import tenant_views
from matops.scan.model import Status
from matops.scan.results import Results

FORMATS = ("html", "pdf", "json")
ROLLED_BACK = frozenset({"rolled back", "rollback failed"})
TEMPLATES = Path(__file__).with_name("templates")


def pack_dir(run_dir: Path, school: str) -> Path:
    """Where a school's sign-off pack is written.

    >>> pack_dir(Path("run"), "stm")
    PosixPath('run/signoff/stm')
    """
    return run_dir / "signoff" / school


def _counts(results: Results | None, school: str) -> dict[str, int]:
    if results is None:
        return {}
    return dict(Counter(f.status.value for f in results.findings if f.school == school))


def _position(results: Results | None, school: str) -> dict[str, Any] | None:
    """The school's headline in a scan: never clean while any check gave no verdict."""
    if results is None:
        return None
    findings = [f for f in results.findings if f.school == school]
    skipped = [s for s in results.skipped if s.school == school]
    standing = school_standing(school, findings, skipped)
    return standing.model_dump(mode="json", include={"standing", "headline", "not_judged"}) | {
        "not_judged_findings": [g.model_dump(mode="json") for g in standing.not_judged_findings]
    }


def _waivers(results: Results) -> list[dict[str, str]]:
    return [
        {"check": f.check, "target": f.target, "approver": f.waiver.approver,
         "expires": str(f.waiver.expires), "reason": f.waiver.reason}
        for f in results.findings
        if f.status is Status.WAIVED and f.waiver is not None
    ]  # fmt: skip


def _leavers(results: Results, school: str) -> list[dict[str, Any]]:
    """Each tenant serving the school: staff past their leave date whose account was disabled
    (suspended) and those still enabled, from the post-scan's leaver checks. Staff addresses
    only: leavers come from the staff list, and pupils are never named."""
    rows = []
    for view in tenant_views(f for f in results.findings if f.school == school):
        tf = view.figures
        if tf.leavers is None:
            continue
        rows.append(
            {"tenant": tf.tenant, "platform": tf.platform, "leavers": tf.leavers,
             "disabled": view.leavers_disabled, "still_enabled": view.leavers_enabled,
             "disabled_count": tf.leavers_disabled or 0,
             "still_enabled_count": tf.leavers_enabled or 0}
        )  # fmt: skip
    return rows


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _network(run_dir: Path, school: str, events: list[Event]) -> list[dict[str, Any]]:
    last: dict[str, Event] = {}
    ended = {EventKind.STEP_FINISHED, EventKind.STEP_FAILED}
    for e in events:
        if e.school == school and e.step is StepName.NETWORK_PUSH and e.device and e.event in ended:
            last[e.device] = e
    return [
        {"device": device, "outcome": str(e.data.get("outcome", e.event.value)),
         "summary": e.summary,
         "commands": _read_json(changes_path(run_dir, school, device)) or []}
        for device, e in last.items()
    ]  # fmt: skip


def _failures(school: str, events: list[Event]) -> list[dict[str, Any]]:
    final: dict[str, Event] = {}
    for e in events:
        if (
            e.school == school
            and e.key
            and e.event in {EventKind.STEP_FINISHED, EventKind.STEP_FAILED}
        ):
            final[str(e.key)] = e
    return [
        {"where": e.device or school, "step": str(e.step), "summary": e.summary,
         "unreachable": e.unreachable}
        for e in final.values()
        if e.event is EventKind.STEP_FAILED or e.data.get("outcome") in ROLLED_BACK
    ]  # fmt: skip


def changes_path(run_dir: Path, school: str, device: str) -> Path:
    """Where the push step keeps a device's applied (redacted) commands."""
    return run_dir / "changes" / school / f"{device}.json"


def endpoint_record_path(run_dir: Path, school: str) -> Path:
    """Where the endpoints step keeps a school's endpoint record (``endpoint_step``'s)."""
    return run_dir / "endpoints" / f"{school}.json"


def deploy_path(run_dir: Path, school: str) -> Path:
    """Where the deploy step keeps its per-host results."""
    return run_dir / "changes" / school / "hosts.json"


def run_steps(journal: Path) -> list[StepName]:
    """The steps the journal's run was asked for (every step when it does not say)."""
    events = read_events(journal)
    params = events[0].params if events else None
    return list(params.steps) if params is not None else list(StepName)


def refresh_record(
    run_dir: Path,
    journal: Path,
    school: str,
    pre: Results | None,
    post: Results | None,
    trust: str = "",
) -> dict[str, Any]:
    """Everything the sign-off pack says besides compliance, as plain data.

    ``post`` is None in a run without scans: no compliance, waivers or leavers then.
    """
    events = read_events(journal)
    params = events[0].params if events else None
    hosts = _read_json(deploy_path(run_dir, school))
    return {
        "run": events[0].run if events else "",
        "trust": post.inventory.trust if post is not None else trust,
        "dry_run": bool(params and params.dry_run), "scanned": post is not None,
        "compliance": {"before (pre-scan)": _counts(pre, school),
                       "after (post-scan)": _counts(post, school)},
        "position": {"before (pre-scan)": _position(pre, school),
                     "after (post-scan)": _position(post, school)},
        "network": _network(run_dir, school, events), "hosts": hosts or [],
        "hosts_note": "" if hosts is not None else "The host deploy step did not record results.",
        "failures": _failures(school, events),
        "waivers": _waivers(post) if post is not None else [],
        "leavers": _leavers(post, school) if post is not None else [],
        "endpoints": _read_json(endpoint_record_path(run_dir, school)),
    }  # fmt: skip


def render_record(record: dict[str, Any], school: dict[str, Any], out: Path) -> list[Path]:
    """Write ``refresh.json`` and ``refresh.md`` (Jinja2) under ``out``."""
    env = Environment(  # noqa: S701 - Markdown output, not HTML
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True
    )
    text = env.get_template("signoff.md.j2").render(record=record, school=school)
    md, data = out / "refresh.md", out / "refresh.json"
    md.write_text(text, encoding="utf-8")
    data.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return [md, data]


def write_pack(
    run_dir: Path,
    journal: Path,
    school: dict[str, Any],
    pre_path: Path,
    post_path: Path | None,
    *,
    trust: str = "",
) -> list[Path]:
    """Build the school's sign-off pack; every file, the manifest last.

    Without a post-scan (``post_path`` None) the pack holds the refresh record alone.
    """
    post = load_results(post_path) if post_path is not None else None
    pre = load_results(pre_path) if pre_path.is_file() else None
    out = pack_dir(run_dir, school["id"])
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    if post is not None:
        report = make_report(Inputs(post, pre, Path(post.inventory.path)))
        for name in FORMATS:
            files += RENDERERS[name](report, out)
    record = refresh_record(run_dir, journal, school["id"], pre, post, trust)
    files += render_record(record, school, out)
    return [*files, write_manifest(out, files)]
