"""APT sources, fetched Release files and the update stamp: parsers, and the collector's
answers that are true observations (nothing fetched, never refreshed) failing the checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import testinfra

from matops.facts.linux import parse_apt as pa
from matops.facts.linux.model import AptState
from matops.facts.linux.parse import UnparseableError
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import Subject
from matops.inventory.model import Target, TargetVars
from matops.scan.catalogue import load_catalogue
from tests.unit.linux_stubs import APT_LISTS, APT_STAMP, Response, StubHost

DEB822 = """# Managed by matops
Types: deb
URIs: http://198.18.20.20/debian
Suites: bookworm
  bookworm-updates
Components: main

Types: deb-src
URIs: http://198.18.20.20/debian-security
Suites: bookworm-security

Types: deb
Enabled: no
URIs: http://198.18.20.20/debian-security
Suites: bookworm-security
"""


def test_deb822_reads_continuations_and_skips_disabled_and_source_stanzas() -> None:
    (source,) = pa.parse_sources_deb822(DEB822, "/etc/apt/sources.list.d/m.sources")
    assert source.suites == ["bookworm", "bookworm-updates"]
    assert source.security_suites == []


def test_one_line_sources_skip_deb_src_and_comments() -> None:
    text = (
        "# deb http://deb.debian.org/debian-security bookworm-security main\n"
        "deb-src http://deb.debian.org/debian-security bookworm-security main\n"
        "deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm main contrib # note\n"
    )
    (source,) = pa.parse_sources_list(text, "/etc/apt/sources.list")
    assert (source.uri, source.suites, source.components) == (
        "http://deb.debian.org/debian",
        ["bookworm"],
        ["main", "contrib"],
    )


@pytest.mark.parametrize(
    "text", ["Segmentation fault\n", "deb http://m/debian\n", "URIs http://m\n"]
)
def test_sources_junk_is_refused(text: str) -> None:
    with pytest.raises(UnparseableError):
        pa.parse_sources([("/etc/apt/sources.list", text), ("/x.sources", text)])


def test_release_fields_and_apt_list_file_names() -> None:
    path = "/var/lib/apt/lists/198.18.20.20_debian-security_dists_bookworm-security_InRelease"
    text = f"{path}:Suite: stable-security\n{path}:Date: Sun, 15 Nov 2026 09:00:00 UTC\n"
    (release,) = pa.parse_release_fields(text, [path])
    state = AptState(releases=[release])
    assert state.fetched("http://198.18.20.20/debian-security/", "bookworm-security") == release
    assert state.fetched("http://198.18.20.20/debian", "bookworm-security") is None
    assert state.archive_date("stable-security") == datetime(2026, 11, 15, 9, tzinfo=UTC)
    with pytest.raises(UnparseableError):
        pa.parse_release_fields(f"{path}:Date: Sun, 15 Nov 2026 09:00:00 UTC\n", [path])


def test_stamp() -> None:
    assert pa.parse_stamp("") is None
    with pytest.raises(UnparseableError):
        pa.parse_stamp("1796004840.0\n1796004841.0\n")


def _state() -> AptState:
    target = Target(name="oak-srv01", kind="linux", school="oak",
                    vars=TargetVars(ansible_host="198.18.10.11", platform="debian"))  # fmt: skip
    provider = LinuxHostProvider(lambda t: testinfra.get_host("local://"))
    value = provider.collect("apt_state", Subject.of_target(target)).value
    assert isinstance(value, AptState)
    return value


def _judge(check: str, state: AptState) -> str:
    judge = load_catalogue().checks[check].judge
    return str(judge(apt_state=state, apt_list_max_age_days=2, scan_date=date(2026, 12, 1)).status)


def test_healthy_host_has_fresh_lists(stub: StubHost) -> None:
    state = _state()
    assert [s.uri for s, _ in state.security_suites()] == ["http://mirror/debian-security"]
    assert _judge("apt_lists_fresh", state) == "pass"


@pytest.mark.parametrize("argv", [APT_LISTS, APT_STAMP], ids=["nothing_fetched", "no_stamp"])
def test_nothing_fetched_or_never_refreshed_fails(stub: StubHost, argv: tuple[str, ...]) -> None:
    stub.respond(argv, Response(""))
    assert _judge("apt_lists_fresh", _state()) == "fail"
