"""Finding the cgroup hierarchies a lab host's launcher moves into (data from /proc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.lab import cgroups

HYBRID_MOUNTINFO = """\
25 30 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate
27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,xattr,name=systemd
28 25 0:25 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory
"""
HYBRID_CGROUP = "9:name=systemd:/\n4:memory:/process_api/d91\n0::/\n"

UNIFIED_MOUNTINFO = "35 30 0:29 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
UNIFIED_CGROUP = "0::/user.slice/user-0.slice/session-3.scope\n"


def _proc(tmp_path: Path, mountinfo: str, cgroup: str) -> Path:
    (tmp_path / "mountinfo").write_text(mountinfo)
    (tmp_path / "cgroup").write_text(cgroup)
    return tmp_path


def test_hybrid_machine_uses_the_unified_and_name_systemd_hierarchies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cgroups, "PROC_SELF", _proc(tmp_path, HYBRID_MOUNTINFO, HYBRID_CGROUP))
    assert cgroups.parent_dirs() == [
        Path("/sys/fs/cgroup/unified"),
        Path("/sys/fs/cgroup/systemd"),
    ]


def test_unified_machine_nests_under_the_callers_own_cgroup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cgroups, "PROC_SELF", _proc(tmp_path, UNIFIED_MOUNTINFO, UNIFIED_CGROUP))
    assert cgroups.parent_dirs() == [Path("/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope")]


def test_controller_hierarchies_are_left_alone() -> None:
    assert "memory" not in cgroups._own_paths(HYBRID_CGROUP)
    assert set(cgroups._mount_points(HYBRID_MOUNTINFO)) == {"", "name=systemd"}


def test_removal_is_deepest_first_and_only_of_lab_cgroups(tmp_path: Path) -> None:
    """A plain directory tree stands in for a hierarchy (cgroupfs files vanish with rmdir)."""
    lab = tmp_path / "mtl-oak87d06"
    (lab / "payload" / "system.slice" / "ssh.service").mkdir(parents=True)
    other = tmp_path / "payload"
    other.mkdir()
    assert cgroups.remove_cgroups([lab, other]) == []
    assert not lab.exists() and other.exists()
