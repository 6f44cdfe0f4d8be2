"""The live Linux fact provider: one testinfra host per target, each fact collected once."""

from __future__ import annotations

import threading
from collections.abc import Callable

from matops.facts.linux.collect import COLLECTORS, Host
from matops.facts.model import Fact, FactError, Subject, TargetUnreachableError, make_evidence
from matops.inventory.model import Target

Connect = Callable[[Target], Host]
"""Target → testinfra host, e.g. ``lambda t: testinfra.get_host(f"paramiko://root@{t.address}")``."""


class LinuxHostProvider:
    """Collects Linux facts over SSH through testinfra. Read-only by construction."""

    def __init__(self, connect: Connect):
        self._connect = connect
        self._hosts: dict[str, Host | TargetUnreachableError] = {}
        self._lock = threading.Lock()

    def provides(self, subject: Subject) -> frozenset[str]:
        """Every Linux fact, for Linux targets."""
        if subject.target is None or subject.target.kind != "linux":
            return frozenset()
        return frozenset(COLLECTORS)

    def _host(self, target: Target) -> Host:
        with self._lock:
            if target.name not in self._hosts:
                self._hosts[target.name] = self._open(target)
        found = self._hosts[target.name]
        if isinstance(found, TargetUnreachableError):
            raise found
        return found

    def _open(self, target: Target) -> Host | TargetUnreachableError:
        try:
            host = self._connect(target)
            probe = host.run("true")
        except Exception as exc:
            return TargetUnreachableError(f"cannot reach {target.name} ({target.address}): {exc}")
        status = getattr(probe, "rc", 0)
        if status != 0:  # e.g. sudo refused: every fact would be read wrongly
            stderr = str(getattr(probe, "stderr", "")).strip()[:200]
            return TargetUnreachableError(
                f"{target.name} ({target.address}): a trivial command failed ({status}): {stderr}"
            )
        return host

    def collect(self, name: str, subject: Subject) -> Fact:
        """Run the collector for ``name`` on the subject's host."""
        if subject.target is None or name not in COLLECTORS:
            raise FactError(f"{name} is not a Linux fact for {subject.name}")
        host = self._host(subject.target)
        try:
            found = COLLECTORS[name](host)
        except Exception as exc:
            raise FactError(f"{name}: {type(exc).__name__}: {exc}") from exc
        evidence = make_evidence(f"{subject.target.name}: {found.source}", found.raw, found.excerpt)
        return Fact(name=name, value=found.value, evidence=evidence)
