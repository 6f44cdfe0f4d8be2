"""The Debian bookworm root filesystem shared (read-only, under overlayfs) by all Linux lab hosts.

Built once with debootstrap, packed as a zstd tarball in the cache and unpacked to a base
directory beside it. The cache key hashes ``ROOTFS_PACKAGES`` and the source of the build steps,
so changing either builds a new root filesystem; deleting the tarball forces a rebuild.
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matops.lab.model import LabError
from matops.lab.proc import require_commands, run

SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
OPERATOR = "matops"

#: Packages baked into every Linux lab host. Lab hosts cannot reach a mirror, so every package a
#: role installs must be here (extend this tuple; the cache key changes with it).
#: needrestart is left out on purpose: its apt hook prompts and restarts services mid-run.
ROOTFS_PACKAGES: tuple[str, ...] = (
    "openssh-server",
    "openssh-sftp-server",
    "python3",
    "python3-apt",
    "sudo",
    "iproute2",
    "nftables",
    "chrony",
    "rsyslog",
    "logrotate",  # the logging role rotates what rsyslog keeps on the host
    "cron",
    "procps",
    "kmod",
    "iputils-ping",
    "systemd-sysv",
    "dbus",
    "netbase",
    "unattended-upgrades",
    "apt-listchanges",
    "auditd",
    "libpam-pwquality",
    "cracklib-runtime",
    "libpam-modules",
    "ca-certificates",
    "less",
    "vim-tiny",
    "aide",  # file_integrity_monitored (hardening role), with aide-common's daily timer
    "aide-common",
    "debsums",
    "lynis",  # the independent auditor tests/integration/test_lynis.py runs before and after deploy
)

_SUDOERS = f"{OPERATOR} ALL=(ALL:ALL) NOPASSWD: ALL\n"
_RESOLV_CONF = "# matops lab: no DNS; lab hosts reach only 198.18.0.0/16\n"
_SOURCES_LIST = (
    "# matops lab: no package source yet. Lab hosts never use an outside mirror; the updates\n"
    "# role points them at the trust's mirror (the lab's own, see matops.lab.aptrepo).\n"
)


def cache_dir() -> Path:
    """Return ``${MATOPS_CACHE_DIR:-~/.cache/matops}``."""
    configured = os.environ.get("MATOPS_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "matops"


def debian_mirror(apt_dir: Path = Path("/etc/apt")) -> str:
    """Return the Debian mirror the machine's apt already uses for bookworm.

    ``MATOPS_DEBIAN_MIRROR`` overrides it; without a match, deb.debian.org is used.
    """
    override = os.environ.get("MATOPS_DEBIAN_MIRROR")
    if override:
        return override
    sources = [apt_dir / "sources.list", *sorted(apt_dir.glob("sources.list.d/*"))]
    for path in sources:
        if path.is_file():
            mirror = mirror_from_sources(path.read_text(errors="replace"))
            if mirror:
                return mirror
    return DEFAULT_MIRROR


def mirror_from_sources(text: str) -> str | None:
    """Find a bookworm ``.../debian`` URI in one-line or deb822 apt sources text.

    >>> mirror_from_sources("deb http://m.example/debian bookworm main")
    'http://m.example/debian'
    >>> mirror_from_sources("Types: deb\\nURIs: http://m.example/debian\\nSuites: bookworm")
    'http://m.example/debian'
    """
    for line in text.splitlines():
        match = re.match(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", line.strip())
        if match and match.group(2) == SUITE and match.group(1).rstrip("/").endswith("/debian"):
            return match.group(1).rstrip("/")
    for stanza in re.split(r"\n\s*\n", text):
        pairs: list[tuple[str, str]] = re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.MULTILINE)
        fields = dict(pairs)
        if SUITE not in fields.get("Suites", "").split():
            continue
        for uri in fields.get("URIs", "").split():
            if uri.rstrip("/").endswith("/debian"):
                return uri.rstrip("/")
    return None


def _debootstrap(root: Path, mirror: str) -> None:
    """Run debootstrap (minbase plus ROOTFS_PACKAGES) into ``root``."""
    argv = ["debootstrap", "--variant=minbase", f"--include={','.join(ROOTFS_PACKAGES)}"]
    run([*argv, SUITE, str(root), mirror], timeout=1800)


def _customise(root: Path) -> None:
    """Add the operator account and strip per-host identity (host keys, machine-id)."""
    useradd = ["useradd", "--create-home", "--shell", "/bin/bash", "--groups", "sudo"]
    run(["chroot", str(root), *useradd, "--comment", "matops operator", OPERATOR])
    run(["chroot", str(root), "usermod", "--password", "*", OPERATOR])  # no password, not locked
    sudoers = root / "etc/sudoers.d" / OPERATOR
    sudoers.write_text(_SUDOERS)
    sudoers.chmod(0o440)
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    (root / "etc/machine-id").write_text("")  # systemd makes a fresh one per host at boot
    (root / "var/lib/dbus/machine-id").unlink(missing_ok=True)
    (root / "etc/resolv.conf").unlink(missing_ok=True)
    (root / "etc/resolv.conf").write_text(_RESOLV_CONF)
    (root / "etc/apt/sources.list").write_text(_SOURCES_LIST)  # debootstrap's named the mirror
    for listed in (root / "var/lib/apt/lists").glob("*_*"):  # the outside mirror's indexes
        listed.unlink()
    run(["chroot", str(root), "systemctl", "enable", "systemd-networkd.service"])
    run(["chroot", str(root), "apt-get", "clean"])


def packages_dir(base: Path) -> Path:
    """The ``.deb`` files debootstrap downloaded for the base at ``base`` (the lab mirror's pool).

    >>> packages_dir(Path("/c/rootfs/bookworm-0123"))
    PosixPath('/c/rootfs/bookworm-0123.debs')
    """
    return base.with_name(base.name.removesuffix(".tar.zst") + ".debs")


def _keep_packages(root: Path, debs: Path) -> None:
    """Move the packages debootstrap downloaded out of ``root`` into ``debs`` (replaced)."""
    shutil.rmtree(debs, ignore_errors=True)
    debs.mkdir(parents=True)
    for deb in (root / "var/cache/apt/archives").glob("*.deb"):
        shutil.move(deb, debs / deb.name)


def _pack(root: Path, tarball: Path) -> None:
    """Pack ``root`` into a zstd tarball (numeric owners, xattrs for file capabilities)."""
    partial = tarball.with_name(tarball.name + ".partial")
    argv = ["tar", "--use-compress-program=zstd -T0", "--numeric-owner", "--xattrs"]
    run([*argv, "--xattrs-include=*", "-cpf", str(partial), "-C", str(root), "."], timeout=900)
    partial.rename(tarball)


def _unpack(tarball: Path, root: Path) -> None:
    """Unpack a tarball made by ``_pack`` into the new directory ``root``."""
    root.mkdir(parents=True)
    argv = ["tar", "--use-compress-program=zstd -d -T0", "--numeric-owner", "--xattrs"]
    run([*argv, "--xattrs-include=*", "-xpf", str(tarball), "-C", str(root)], timeout=900)


def rootfs_key() -> str:
    """Return the cache key: a hash of the package list and the build steps' source.

    >>> len(rootfs_key())
    16
    """
    digest = hashlib.sha256(SUITE.encode())
    digest.update("\n".join(ROOTFS_PACKAGES).encode())
    for step in (_debootstrap, _keep_packages, _customise, _pack, _unpack):
        digest.update(inspect.getsource(step).encode())
    digest.update((_SUDOERS + _RESOLV_CONF + _SOURCES_LIST).encode())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` so concurrent builds do not collide."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_rootfs(cache: Path | None = None) -> Path:
    """Return the unpacked base root filesystem, building or unpacking it if needed.

    The tarball is ``<cache>/rootfs/bookworm-<key>.tar.zst`` and the base directory is
    ``<cache>/rootfs/bookworm-<key>/``. Needs root and debootstrap, tar and zstd.
    """
    rootfs_dir = (cache or cache_dir()) / "rootfs"
    name = f"{SUITE}-{rootfs_key()}"
    base, tarball = rootfs_dir / name, rootfs_dir / f"{name}.tar.zst"
    with _locked(rootfs_dir):
        if base.is_dir() and tarball.is_file() and packages_dir(base).is_dir():
            return base
        require_commands("tar", "zstd")
        staging = rootfs_dir / f"{name}.staging"
        if staging.exists():
            shutil.rmtree(staging)
        if tarball.is_file() and packages_dir(base).is_dir():
            _unpack(tarball, staging)
        else:
            build_rootfs(staging, tarball)
        if base.exists():
            shutil.rmtree(base)
        staging.rename(base)
    return base


def build_rootfs(root: Path, tarball: Path) -> float:
    """Build the root filesystem into ``root`` and pack it to ``tarball``; return seconds taken."""
    require_commands("debootstrap", "chroot", "tar", "zstd")
    if os.geteuid() != 0:
        raise LabError("building the lab root filesystem needs root (debootstrap)")
    started = time.monotonic()
    try:
        _debootstrap(root, debian_mirror())
        _keep_packages(root, packages_dir(tarball))
        _customise(root)
        _pack(root, tarball)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return time.monotonic() - started
