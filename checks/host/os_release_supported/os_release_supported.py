"""The Linux release still receives security support."""

from __future__ import annotations

from datetime import date

from matops.facts.linux.model import OsRelease
from matops.facts.register.model import OsLifecycle
from matops.scan.verdict import Verdict, failed, passed


def judge(os_release: OsRelease, os_lifecycle: list[OsLifecycle], scan_date: date) -> Verdict:
    """Look the release up in the lifecycle table; unknown releases fail."""
    os_id, version = os_release.get("ID", "?"), os_release.get("VERSION_ID", "?")
    name = os_release.get("PRETTY_NAME", f"{os_id} {version}")
    entry = next((e for e in os_lifecycle if (e.os, e.version) == (os_id, version)), None)
    if entry is None:
        return failed(f"{name}: release not in the support table (unsupported or unknown)")
    if entry.end_of_support < scan_date:
        return failed(f"{name}: security support ended {entry.end_of_support}")
    return passed(f"{name}: supported until {entry.end_of_support}")
