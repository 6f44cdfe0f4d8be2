"""The lab's package mirror: the trust's ``apt_mirror`` brought to life at its lab address.

The trust's inventory names its mirror (``trust.apt_mirror``: ``uri``, ``security_uri``, suites).
In the lab that address belongs to no Linux host or switch: the lab gives it a network namespace
of its own on the bridge, like a switch, and serves :mod:`matops.lab.aptrepo`'s repository there
over plain HTTP (port 80), with Python's standard HTTP server. Lab hosts reach it; nothing
outside the lab does, and it reaches nothing. ``lab down`` removes it with the rest (its
process carries the lab marker, its namespace and veth the lab prefix).

Run as ``python -m matops.lab.mirror --listen ADDRESS --root FOLDER`` (inside the namespace).
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from matops.lab.aptrepo import (
    RepoLayout,
    build_repo,
    publish_security_update,
    repo_root,
    withdraw_security_updates,
)
from matops.lab.model import BRIDGE_ADDRESS, LAB_NETWORK, PREFIX, LabError, short_id
from matops.lab.netns import serve_in_namespace
from matops.lab.record import read_record
from matops.lab.rootfs import packages_dir

MIRROR_NAME = "apt-mirror"
"""The mirror's name in the lab (namespace ``mtl-<id>``, veth of the same name)."""
LOG = "mirror.log"


@dataclass(frozen=True)
class LabMirror:
    """The trust's mirror as the lab serves it: one lab address, the paths and suites asked for."""

    address: ipaddress.IPv4Address
    layout: RepoLayout
    keyring: str
    """Where hosts keep the mirror's public key (the trust's ``signed_by``, ``*.asc``)."""

    @classmethod
    def from_settings(
        cls, uri: str, suites: list[str], security_uri: str, security_suite: str, keyring: str
    ) -> LabMirror:
        """The lab mirror for a trust's ``apt_mirror``; LabError unless the lab can serve it.

        >>> LabMirror.from_settings("http://198.18.20.20/debian", ["bookworm"],
        ...     "http://198.18.20.20/debian-security", "bookworm-security", "/k.asc").address
        IPv4Address('198.18.20.20')
        """
        if not keyring.startswith("/") or not keyring.endswith(".asc"):
            raise LabError("the lab's mirror key is ASCII-armoured: signed_by must be /….asc")
        main, security = urlsplit(uri), urlsplit(security_uri)
        for part in (main, security):
            if part.scheme != "http" or part.port not in (None, 80) or part.hostname is None:
                raise LabError(f"the lab serves its mirror over http on port 80, not {uri!r}")
        if main.hostname != security.hostname:
            raise LabError("the lab serves the mirror and its security suite at one address")
        address = ipaddress.IPv4Address(main.hostname)
        if address not in LAB_NETWORK or address == BRIDGE_ADDRESS:
            raise LabError(f"the mirror address {address} is not a free lab address")
        layout = RepoLayout.of(main.path, suites, security.path, security_suite)
        return cls(address, layout, keyring)


def mirror_netns() -> str:
    """The mirror's network namespace (and the name of its veth on the bridge)."""
    return f"{PREFIX}-{short_id(MIRROR_NAME)}"


def start_mirror(
    mirror: LabMirror, state_dir: Path, packages: Path, lab_id: str, marker: str
) -> tuple[int, str, str]:
    """Build the repository, start its server; return (pid, namespace, public key)."""
    key = build_repo(state_dir, packages, mirror.layout)
    ns = mirror_netns()
    argv = [sys.executable, "-m", "matops.lab.mirror", "--listen", str(mirror.address)]
    argv += ["--root", str(repo_root(state_dir))]
    log = state_dir / "mirror" / LOG
    pid = serve_in_namespace(ns, mirror.address, argv, log, {marker: lab_id})
    return pid, ns, key


def wait_for_mirror(mirror: LabMirror, timeout: float = 30.0) -> None:
    """Wait until the mirror answers for its first suite's Release file, or raise LabError."""
    suite = mirror.layout.main[0]
    url = f"http://{mirror.address}/{suite.base}/dists/{suite.codename}/InRelease"
    deadline, last = time.monotonic() + timeout, "no answer"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    while time.monotonic() < deadline:
        try:
            with opener.open(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise LabError(f"the lab mirror did not answer at {url} within {timeout:.0f}s ({last})")


def publish_update(state_dir: Path, mirror: LabMirror, package: str, date: datetime) -> str:
    """Publish a newer ``package`` in the running lab's security suite, dated ``date``.

    Returns the new version. Hosts see it after their next ``apt-get update``.

    >>> publish_update(lab_dir, mirror, "less", datetime(2026, 11, 1, tzinfo=UTC))  # doctest: +SKIP
    '590-2.1~deb12u2+matopslab1'
    """
    record = read_record(state_dir.absolute())
    if record is None or "mirror" not in record.data:
        raise LabError(f"no lab mirror is running for {state_dir}")
    packages = packages_dir(Path(record.data["rootfs"]))
    return publish_security_update(state_dir, packages, mirror.layout, package, date)


def withdraw_updates(state_dir: Path, mirror: LabMirror) -> None:
    """Take every published update out of the running lab's security suite (dated now)."""
    withdraw_security_updates(state_dir, mirror.layout)


class _Quiet(SimpleHTTPRequestHandler):
    """Serves files, logs one line per request, follows the pool's link into the cache."""

    def log_message(self, format: str, *args: object) -> None:
        sys.stdout.write(f"{self.address_string()} {format % args}\n")
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    """Serve ``--root`` on ``--listen``:80 until killed."""
    parser = argparse.ArgumentParser(prog="python -m matops.lab.mirror")
    parser.add_argument("--listen", required=True)
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--root", required=True)
    args = parser.parse_args(argv)
    handler = partial(_Quiet, directory=args.root)
    with ThreadingHTTPServer((args.listen, args.port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
