"""APT takes packages from a security suite (bookworm-security)."""

from __future__ import annotations

from matops.facts.linux.model import AptState
from matops.scan.verdict import Verdict, failed, listing, passed


def judge(apt_state: AptState) -> Verdict:
    """Pass when an enabled ``deb`` source names a ``*-security`` suite; say which and where."""
    found = [f"{suite} from {src.uri} ({src.file})" for src, suite in apt_state.security_suites()]
    if found:
        return passed(f"security suite configured: {listing(found, 3)}")
    if not apt_state.sources:
        return failed("no APT source is configured at all: no security update can ever arrive")
    named = sorted({f"{suite} ({src.file})" for src in apt_state.sources for suite in src.suites})
    return failed(f"no security suite in the APT sources; they name only {listing(named, 5)}")
