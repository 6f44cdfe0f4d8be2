"""One control group per lab host, so that the containers' systemds never share one.

``systemd-nspawn --keep-unit`` runs the container in the cgroup it was started from (there is no
systemd on the machine to make a scope for it), under ``<that cgroup>/payload``. Without more,
every lab host would get the *same* ``payload`` cgroup: eight systemds creating and removing
``payload/system.slice/<unit>`` side by side, and now and then a unit fails with
``219/CGROUP`` because another container's systemd removed its cgroup (seen with
``systemd-user-sessions``: the host then refuses logins for good).

So each host's launcher moves itself into its own child cgroup, ``<machine>`` (``mtl-<id>``), in
every hierarchy systemd uses (the unified one and, on a hybrid machine, ``name=systemd``) before it
starts nspawn; ``lab down`` removes those cgroups, deepest first.
"""

from __future__ import annotations

import os
from pathlib import Path

from matops.lab.model import LabError

PROC_SELF = Path("/proc/self")
CGROUP_PREFIX = "mtl-"


def _mount_points(mountinfo: str) -> dict[str, Path]:
    """The mount point of the unified hierarchy (``""``) and of ``name=systemd``, if mounted.

    >>> info = "30 25 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\\n"
    >>> info += "31 25 0:27 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd"
    >>> {name: str(path) for name, path in sorted(_mount_points(info).items())}
    {'': '/sys/fs/cgroup/unified', 'name=systemd': '/sys/fs/cgroup/systemd'}
    """
    found: dict[str, Path] = {}
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields = right.split()
        if len(fields) < 3:
            continue
        point = Path(left.split()[4].replace("\\040", " "))
        if fields[0] == "cgroup2":
            found.setdefault("", point)
        elif fields[0] == "cgroup" and "name=systemd" in fields[2].split(","):
            found.setdefault("name=systemd", point)
    return found


def _own_paths(cgroup: str) -> dict[str, str]:
    """This process's cgroup path per hierarchy, from ``/proc/self/cgroup``.

    >>> sorted(_own_paths("9:name=systemd:/\\n4:memory:/x\\n0::/").items())
    [('', '/'), ('name=systemd', '/')]
    """
    paths: dict[str, str] = {}
    for line in cgroup.splitlines():
        number, controllers, path = line.split(":", 2)
        if number == "0" and controllers == "":
            paths[""] = path
        elif controllers == "name=systemd":
            paths["name=systemd"] = path
    return paths


def parent_dirs() -> list[Path]:
    """The cgroup directories this process is in, in every hierarchy systemd uses."""
    mounts = _mount_points((PROC_SELF / "mountinfo").read_text())
    own = _own_paths((PROC_SELF / "cgroup").read_text())
    return [mounts[h] / own[h].lstrip("/") for h in sorted(mounts) if h in own]


def host_dirs(machine: str) -> list[Path]:
    """Create a lab host's own cgroups (one per hierarchy) and return them.

    Raises LabError when a cgroup cannot be made (e.g. a read-only /sys/fs/cgroup).
    """
    dirs = [parent / machine for parent in parent_dirs()]
    for path in dirs:
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise LabError(f"cannot create the lab host's cgroup {path}: {exc}") from exc
    return dirs


def lab_cgroups() -> list[Path]:
    """Lab host cgroups (``mtl-*``) under this process's own cgroups, e.g. left by a crash."""
    found: list[Path] = []
    for parent in parent_dirs():
        if parent.is_dir():
            found += [path for path in parent.glob(f"{CGROUP_PREFIX}*") if path.is_dir()]
    return sorted(found)


def remove_cgroups(tops: list[Path]) -> list[str]:
    """Remove lab host cgroup trees, deepest first (their processes must be gone).

    Returns what could not be removed. Only directories named ``mtl-*`` are touched.
    """
    stuck: list[str] = []
    for top in sorted(set(tops)):
        if not top.is_dir() or not top.name.startswith(CGROUP_PREFIX):
            continue
        for dirpath, _dirs, _files in sorted(os.walk(top), key=lambda w: -len(w[0])):
            try:
                Path(dirpath).rmdir()
            except OSError as exc:
                stuck.append(f"cgroup {dirpath} ({exc.strerror})")
    return stuck
