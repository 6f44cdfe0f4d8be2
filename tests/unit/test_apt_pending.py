"""Pending security updates read from dpkg's record and the security lists apt keeps.

The version order is checked against dpkg's own (``dpkg --compare-versions`` on this Debian
machine); the parsers with data; the whole collector on this machine against ``apt list
--upgradable``, which it replaces.
"""

from __future__ import annotations

import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest
import testinfra

from matops.facts.linux import debversion
from matops.facts.linux import parse_apt as papt
from matops.facts.linux.collect import APT_LISTS, apt_security_updates
from matops.facts.linux.parse import UnparseableError
from matops.facts.linux.shell import Shell

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "linux"

VERSIONS = [
    "0.9", "1.0~rc1", "1.0~rc1-1", "1.0", "1.0-0", "1.0-1", "1.0-1+b1", "1.0-1.1", "1.0-2~bpo1",
    "1.0-2", "1.0+dfsg-1", "1.0.1", "1.0a", "1.0a-1", "1.00.2", "1.1", "1.10", "2", "2.0~~",
    "2.0~", "2.0", "10", "1:0.1", "1:1.0-1", "2:0", "3.0.14-1~deb12u2", "3.0.15-1~deb12u1",
    "3.0.15-1~deb12u2", "3.0.15-1", "590-2.1~deb12u2", "590-2.1", "20230311+deb12u1",
    "20250419~deb12u2", "1:9.2p1-2+deb12u6", "1:9.2p1-2+deb12u10", "1:9.2p1-2+deb12u9",
    "7.88.1-10+deb12u14", "7.88.1-10+deb12u9", "1.2.3-a", "1.2.3-A", "1.2.3-+",
]  # fmt: skip


def _dpkg_says(a: str, relation: str, b: str) -> bool:
    done = subprocess.run(["dpkg", "--compare-versions", a, relation, b], check=False)
    return done.returncode == 0


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not on this machine")
def test_version_order_is_dpkg_order() -> None:
    checked = 0
    for i, a in enumerate(VERSIONS):
        for b in VERSIONS[i + 1 :]:
            want = -1 if _dpkg_says(a, "lt", b) else (1 if _dpkg_says(a, "gt", b) else 0)
            assert (debversion.compare(a, b), debversion.compare(b, a)) == (want, -want), (a, b)
            checked += 1
    assert checked == len(VERSIONS) * (len(VERSIONS) - 1) // 2


def test_versions_that_are_not_debian_versions() -> None:
    assert all(debversion.valid(v) for v in VERSIONS)
    assert not any(debversion.valid(v) for v in ("", "x1.0", "1.0 beta", "a:1.0", "1:", "1.0/2"))


@pytest.mark.parametrize(
    ("name", "archive"),
    [
        ("m_debian-security_dists_bookworm-security_main_binary-amd64_Packages",
         "bookworm-security"),
        ("m_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4",
         "bookworm-security"),
        ("m_debian-security_dists_buster_updates_main_binary-amd64_Packages", "buster/updates"),
        ("m_debian_dists_bookworm_main_binary-amd64_Packages", None),
        ("m_debian_dists_bookworm-updates_main_binary-amd64_Packages", None),
        ("m_debian_dists_bookworm-security_main_i18n_Translation-en", None),
        ("m_flat_._Packages", None),
        ("m_debian-security_dists_bookworm-security_main_binary-amd64_Packages.diff_Index", None),
    ],
)  # fmt: skip
def test_which_lists_carry_security_updates(name: str, archive: str | None) -> None:
    assert papt.security_archive(f"/var/lib/apt/lists/{name}") == archive


def test_pending_from_the_fixtures() -> None:
    installed = papt.parse_installed((FIXTURES / "dpkg-installed.txt").read_text())
    assert ("old-package", "amd64") not in installed  # removed, config files only
    offered = papt.parse_package_list((FIXTURES / "security-packages.txt").read_text(), "/l")
    pending = papt.pending_security(installed, [("bookworm-security", offered)])
    assert [(u.package, u.version) for u in pending] == [
        ("libssl3", "3.0.15-1~deb12u2"),
        ("linux-image-amd64", "6.1.119-1"),
        ("openssl", "3.0.15-1~deb12u2"),
    ]  # less is up to date, curl is not installed
    assert {u.archive for u in pending} == {"bookworm-security"}


def test_a_point_release_newer_still_does_not_hide_a_security_update() -> None:
    """apt list --upgradable names the candidate's suite only: openssh-client installed at u6,
    u9 in the security suite and u10 in the point release was listed as 'oldstable' (seen on
    this machine's own Debian 12). Installed older than the security suite's is pending."""
    installed = {("openssh-client", "amd64"): "1:9.2p1-2+deb12u6"}
    offered = {("openssh-client", "amd64"): "1:9.2p1-2+deb12u9"}
    (update,) = papt.pending_security(installed, [("bookworm-security", offered)])
    assert update.version == "1:9.2p1-2+deb12u9"


def test_architectures_are_matched() -> None:
    installed = {("libc6", "i386"): "2.36-9", ("tzdata", "all"): "2024a-0"}
    offered = {("libc6", "amd64"): "2.36-9+deb12u9", ("tzdata", "all"): "2025b-0"}
    assert [u.package for u in papt.pending_security(installed, [("s", offered)])] == ["tzdata"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no package"),
        ("Package: a\nArchitecture: amd64\n", "without a valid Version"),
        ("Package: a\nVersion: x.1\nArchitecture: amd64\n", "without a valid Version"),
        ("Version: 1.0\nPackage: a\n", "before any Package line"),
    ],
)
def test_package_lists_that_are_not_whole_are_refused(text: str, problem: str) -> None:
    with pytest.raises(UnparseableError, match=problem):
        papt.parse_package_list(text, "/l")


@pytest.mark.parametrize(
    "text", ["", "ii less amd64 590-2\n", "ii \tless\tamd64\tnot a version\n", "junk\n"]
)
def test_dpkg_output_that_is_not_whole_is_refused(text: str) -> None:
    with pytest.raises(UnparseableError):
        papt.parse_installed(text)


def _apt_list_security() -> dict[str, str]:
    listed = subprocess.run(["apt", "list", "--upgradable"], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    found = {}
    for line in listed.splitlines()[1:]:
        name, _, rest = line.partition("/")
        archives, version = rest.split()[:2]
        if "security" in archives:
            found[name] = version
    return found


@pytest.mark.skipif(
    not any(papt.security_archive(str(p)) for p in Path(APT_LISTS).glob("*_Packages*")),
    reason="this machine keeps no security package list",
)
def test_this_machine_agrees_with_apt_list_and_sees_more() -> None:
    """Every update apt list --upgradable tags security is found with the same version; what
    else is found is a security version newer than the installed one that apt list names by
    a newer candidate from another suite."""
    found = {
        u.package: u for u in apt_security_updates(Shell(testinfra.get_host("local://"))).value
    }
    listed = _apt_list_security()
    assert {name: found[name].version for name in listed if name in found} == listed
    assert set(listed) <= set(found)
    for name in set(found) - set(listed):
        policy = subprocess.run(["apt-cache", "policy", name], capture_output=True, text=True,
                                check=True).stdout  # fmt: skip
        installed, candidate = (line.split(":", 1)[1].strip() for line in policy.splitlines()[1:3])
        assert debversion.compare(found[name].version, installed) > 0, name
        assert debversion.compare(candidate, found[name].version) > 0, name


def test_versions_in_the_list_are_in_order() -> None:
    ordered = ["1.0~rc1", "1.0", "1.0-1", "1.0-1+b1", "1.0.1", "1:0.1"]
    assert all(debversion.compare(a, b) < 0 for a, b in pairwise(ordered))
