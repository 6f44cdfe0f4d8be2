"""The lab's own APT repository: what the lab's hosts have, and a security suite tests publish to.

Lab hosts can never reach a real mirror, so the lab serves one of its own (see
:mod:`matops.lab.mirror`) at the address the trust's inventory gives its mirror
(``trust.apt_mirror``). Built with Debian's own tools when the lab comes up:

* ``<uri path>/pool/main/``: the ``.deb`` files debootstrap downloaded for the lab's root
  filesystem (kept beside it by :mod:`matops.lab.rootfs`), so every package a host has is there
  at the version it has;
* ``dists/<first suite>``: their ``Packages`` index (``apt-ftparchive packages``), the other main
  suites (``bookworm-updates``) empty;
* ``<security uri path>/dists/<security suite>``: empty, until a test publishes a newer version of
  an installed package into it (:func:`publish_security_update`), with the date it chooses as
  the ``Date`` of the suite's Release file and of the package's changelog entry.

Release files carry Debian's Origin and Labels (``Debian``, ``Debian-Security``), as a mirror of
Debian does, so unattended-upgrades' usual origin patterns select the security suite. They are
signed with a key made for this lab alone (``gpg``, no passphrase, kept in the lab's state folder
and removed by ``lab down``); its public half is written into every host as
the file the trust's inventory names in ``signed_by`` (ASCII-armoured: name it ``*.asc``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from matops.lab.model import LabError
from matops.lab.proc import require_commands, run

ARCH = "amd64"
COMPONENT = "main"
EMPTY_SECURITY_AGE = timedelta(days=365)
"""How far back the security suite is dated before anything is published into it."""
VALID_FOR = timedelta(days=7)
"""The security suite's ``Valid-Until``, counted from when it is written (Debian: a week)."""
KEY_NAME = "matops lab archive signing key (lab only, never trusted elsewhere)"


@dataclass(frozen=True)
class Suite:
    """One suite of the lab repository and how its Release file names itself."""

    base: str
    """URI path below the mirror's root, e.g. ``debian`` or ``debian-security``."""
    codename: str
    suite: str
    label: str


@dataclass(frozen=True)
class RepoLayout:
    """The suites the trust's inventory asks for, mapped onto the lab's files."""

    main: tuple[Suite, ...]
    security: Suite

    @classmethod
    def of(
        cls, base: str, suites: list[str], security_base: str, security_suite: str
    ) -> RepoLayout:
        """The layout for a trust's ``apt_mirror`` (suite names as Debian's: stable, …).

        >>> RepoLayout.of("debian", ["bookworm", "bookworm-updates"], "debian-security",
        ...               "bookworm-security").security.suite
        'stable-security'
        """
        main = tuple(Suite(base.strip("/"), name, _debian_suite(name), "Debian") for name in suites)
        security = Suite(
            security_base.strip("/"), security_suite, _debian_suite(security_suite),
            "Debian-Security",
        )  # fmt: skip
        return cls(main, security)


def _debian_suite(codename: str) -> str:
    """Debian's archive name for a bookworm codename (``bookworm-security`` → stable-security)."""
    _, _, tail = codename.partition("-")
    return f"stable-{tail}" if tail else "stable"


def repo_root(state_dir: Path) -> Path:
    """The folder the lab mirror serves (its URL paths start here)."""
    return state_dir / "mirror" / "www"


def _gnupg_home(state_dir: Path) -> Path:
    return state_dir / "mirror" / "gnupg"


def _gpg(state_dir: Path, *args: str, input_text: str | None = None) -> str:
    """Run gpg in the lab's own keyring folder (never the user's); stop its agent after."""
    env_home = str(_gnupg_home(state_dir))
    argv = ["gpg", "--homedir", env_home, "--batch", "--yes", "--pinentry-mode", "loopback"]
    try:
        return run([*argv, *args], input_text=input_text).stdout
    finally:
        run(["gpgconf", "--homedir", env_home, "--kill", "gpg-agent"], check=False)


def build_repo(state_dir: Path, packages: Path, layout: RepoLayout) -> str:
    """Make the lab repository from the root filesystem's packages; return its public key.

    ``packages`` is the folder of ``.deb`` files kept from the root filesystem's build.
    """
    require_commands("apt-ftparchive", "gpg", "gpgconf", "dpkg-deb")
    debs = sorted(packages.glob("*.deb")) if packages.is_dir() else []
    if not debs:
        raise LabError(f"no packages for the lab mirror in {packages}; rebuild the root filesystem")
    home = _gnupg_home(state_dir)
    shutil.rmtree(home.parent, ignore_errors=True)
    home.mkdir(parents=True, mode=0o700)
    _gpg(state_dir, "--passphrase", "", "--quick-gen-key", KEY_NAME, "ed25519", "sign", "1y")
    www = repo_root(state_dir)
    first = layout.main[0]
    pool = www / first.base / "pool" / COMPONENT
    pool.parent.mkdir(parents=True)
    pool.symlink_to(packages.resolve(), target_is_directory=True)
    _index(state_dir, first, f"pool/{COMPONENT}")
    for suite in layout.main[1:]:
        _index(state_dir, suite, None)
    # apt never takes a Release file older than the one it has (no rollback), so the empty
    # security suite starts in the past and each update published later moves it forward.
    _index(state_dir, layout.security, None, datetime.now(UTC) - EMPTY_SECURITY_AGE)
    return public_key(state_dir)


def public_key(state_dir: Path) -> str:
    """The lab key's public half, ASCII-armoured (what hosts keep as their keyring)."""
    return _gpg(state_dir, "--armor", "--export", KEY_NAME)


SECURITY_POOL = f"pool/updates/{COMPONENT}"


def publish_security_update(
    state_dir: Path, packages: Path, layout: RepoLayout, package: str, date: datetime
) -> str:
    """Publish a newer version of an installed package in the security suite; return it.

    The package is rebuilt with ``dpkg-deb`` from the lab's copy of the installed version, its
    version raised (``+matopslab1``, then 2, …) and a changelog entry dated ``date`` added; the
    security suite's Release file is dated ``date`` too (the day the update was "published").
    Dates must move forward from one publication to the next: apt keeps the Release file it
    has when offered an older one.
    """
    found = sorted(packages.glob(f"{package}_*.deb"))
    if not found:
        raise LabError(f"the lab mirror has no package {package!r} to publish an update of")
    security = repo_root(state_dir) / layout.security.base
    pool = security / SECURITY_POOL
    pool.mkdir(parents=True, exist_ok=True)
    round_ = len(list(pool.glob(f"{package}_*.deb"))) + 1
    with tempfile.TemporaryDirectory(prefix="matops-deb-") as tmp:
        tree = Path(tmp) / "tree"
        run(["dpkg-deb", "--raw-extract", str(found[-1]), str(tree)])
        control = tree / "DEBIAN" / "control"
        fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", control.read_text(), re.MULTILINE))
        version = f"{fields['Version']}+matopslab{round_}"
        control.write_text(
            re.sub(r"^Version: .*$", f"Version: {version}", control.read_text(), flags=re.M)
        )
        _add_changelog_entry(tree, package, version, layout.security.codename, date)
        out = (
            pool / f"{package}_{version.partition(':')[2] or version}_{fields['Architecture']}.deb"
        )
        run(["dpkg-deb", "--root-owner-group", "--build", str(tree), str(out)], timeout=300)
    _index(state_dir, layout.security, SECURITY_POOL, date)
    return version


def withdraw_security_updates(state_dir: Path, layout: RepoLayout) -> None:
    """Empty the security suite again, dated now (later than anything published before it)."""
    pool = repo_root(state_dir) / layout.security.base / SECURITY_POOL
    shutil.rmtree(pool, ignore_errors=True)
    _index(state_dir, layout.security, None, datetime.now(UTC))


def _add_changelog_entry(tree: Path, package: str, version: str, dist: str, date: datetime) -> None:
    """Put a dated entry on top of the package's Debian changelog (when it ships one)."""
    changelog = tree / "usr" / "share" / "doc" / package / "changelog.Debian.gz"
    if not changelog.is_file() or changelog.is_symlink():
        return
    stamp = date.strftime("%a, %d %b %Y %H:%M:%S +0000")
    entry = (
        f"{package} ({version}) {dist}; urgency=high\n\n"
        "  * matops lab: rebuilt unchanged to rehearse a security update.\n\n"
        f" -- matops lab <lab@matops.invalid>  {stamp}\n\n"
    )
    old = gzip.decompress(changelog.read_bytes())
    changelog.write_bytes(gzip.compress(entry.encode() + old, mtime=0))
    sums = tree / "DEBIAN" / "md5sums"
    if sums.is_file():
        digest = hashlib.md5(changelog.read_bytes(), usedforsecurity=False).hexdigest()
        rel = f"usr/share/doc/{package}/changelog.Debian.gz"
        sums.write_text(
            re.sub(rf"^\S+  {re.escape(rel)}$", f"{digest}  {rel}", sums.read_text(), flags=re.M)
        )


def _index(state_dir: Path, suite: Suite, pool: str | None, date: datetime | None = None) -> None:
    """Write the suite's Packages (from ``pool``, or empty), Release, InRelease and Release.gpg.

    ``date`` becomes the Release file's ``Date`` (default: now); the security suite also gets a
    ``Valid-Until`` a week from now, as Debian's has.
    """
    archive = repo_root(state_dir) / suite.base
    dist = archive / "dists" / suite.codename
    binary = dist / COMPONENT / f"binary-{ARCH}"
    binary.mkdir(parents=True, exist_ok=True)
    text = ""
    if pool is not None:
        text = run(["apt-ftparchive", "packages", pool], timeout=600, cwd=archive).stdout
    (binary / "Packages").write_text(text)
    (binary / "Packages.gz").write_bytes(gzip.compress(text.encode(), mtime=0))
    options = {
        "Origin": "Debian", "Label": suite.label, "Suite": suite.suite,
        "Codename": suite.codename, "Architectures": ARCH, "Components": COMPONENT,
        "Description": "matops lab mirror (lab only)",
    }  # fmt: skip
    argv = ["apt-ftparchive"]
    for key, value in options.items():
        argv += ["-o", f"APT::FTPArchive::Release::{key}={value}"]
    for old in ("Release", "InRelease", "Release.gpg"):
        (dist / old).unlink(missing_ok=True)
    release = run([*argv, "release", "."], cwd=dist).stdout
    stamp = (date or datetime.now(UTC)).strftime("%a, %d %b %Y %H:%M:%S UTC")
    release = re.sub(r"^Date: .*$", f"Date: {stamp}", release, count=1, flags=re.MULTILINE)
    if suite.label == "Debian-Security":  # as Debian's: lists kept past it show apt is stuck
        until = (datetime.now(UTC) + VALID_FOR).strftime("%a, %d %b %Y %H:%M:%S UTC")
        release = release.replace(f"Date: {stamp}\n", f"Date: {stamp}\nValid-Until: {until}\n", 1)
    (dist / "Release").write_text(release)
    signed = _gpg(state_dir, "--clearsign", "--output", "-", input_text=release)
    (dist / "InRelease").write_text(signed)
    detached = _gpg(state_dir, "--armor", "--detach-sign", "--output", "-", input_text=release)
    (dist / "Release.gpg").write_text(detached)
