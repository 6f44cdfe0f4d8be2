"""Endpoints trust the school's web-filtering certificate."""

from __future__ import annotations

from matops.facts.linux.model import CaCertificate
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def _matches(cert: CaCertificate, wanted: str) -> bool:
    """The school names its CA by file name, subject text or SHA-256 fingerprint."""
    name = cert.path.rsplit("/", 1)[-1]
    fingerprint = wanted.replace(":", "").lower()
    return (
        wanted in (name, name.removesuffix(".crt"))
        or (bool(cert.subject) and wanted.lower() in cert.subject.lower())
        or (bool(cert.sha256) and cert.sha256.replace(":", "").lower() == fingerprint)
    )


def judge(ca_certificates: list[CaCertificate], filtering_ca: str | None) -> Verdict:
    """Pass when a locally installed CA certificate matches the school's filtering CA."""
    if not filtering_ca:
        return not_applicable("the school records no filtering CA (no HTTPS inspection)")
    found = next((c for c in ca_certificates if _matches(c, filtering_ca)), None)
    if found is None:
        return failed(f"filtering CA {filtering_ca!r} is not in the system trust store")
    return passed(f"filtering CA installed at {found.path}")
