"""The live Linux fact provider: one testinfra host per target, each fact collected once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from matops.facts.linux.collect import COLLECTORS
from matops.facts.linux.parse import UnparseableError
from matops.facts.linux.shell import TIMEOUT_S, Host, Shell, failure_reason
from matops.facts.model import Fact, FactError, Subject, TargetUnreachableError, make_evidence
from matops.facts.unreachable import describe_exception
from matops.inventory.model import Target

Connect = Callable[[Target], Host]
"""Target → testinfra host, e.g. ``lambda t: testinfra.get_host(f"paramiko://root@{t.address}")``."""


class LinuxHostProvider:
    """Collects Linux facts over SSH through testinfra. Read-only by construction.

    ``timeout_s`` limits each command on the host (see :class:`~matops.facts.linux.shell.Shell`).
    """

    def __init__(self, connect: Connect, parallel: int = 4, timeout_s: float = TIMEOUT_S):
        self._connect = connect
        self._parallel = parallel
        self._timeout_s = timeout_s
        self._hosts: dict[str, Host | TargetUnreachableError] = {}
        self._pending: dict[tuple[str, str], Future[Fact]] = {}
        self._lock = threading.Lock()

    def prefetch(self, subject: Subject, names: Iterable[str]) -> None:
        """Start collecting ``names`` now, ``parallel`` commands at a time on the host.

        The runner announces every fact a subject's checks will ask for; collecting them side by
        side over the one (multiplexed) SSH connection hides each command's round trip. Each
        fact is still collected once: :meth:`collect` hands over the started collection.
        """
        if subject.target is None or subject.target.kind != "linux":
            return
        wanted = sorted(set(names) & set(COLLECTORS))
        if not wanted:
            return
        pool = ThreadPoolExecutor(max_workers=self._parallel, thread_name_prefix="facts")
        with self._lock:
            for name in wanted:
                key = (subject.name, name)
                if key not in self._pending:
                    self._pending[key] = pool.submit(self._collect_now, name, subject)
        pool.shutdown(wait=False)

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
        """The host, once a trivial command ran on it; else why not, as a sentence."""
        label = f"{target.name} ({target.address})"
        try:
            host = self._connect(target)
            probe = host.run("true")
            status, stderr = int(probe.rc), str(probe.stderr)
        except Exception as exc:  # ssh's exit 255 arrives as RuntimeError(CommandResult)
            return TargetUnreachableError(f"cannot reach {label}: {describe_exception(exc)}")
        if status != 0:  # e.g. sudo refused: every fact would be read wrongly
            reason = failure_reason(status, stderr, self._timeout_s)
            return TargetUnreachableError(f"{label}: `true` did not run: {reason}")
        return host

    def collect(self, name: str, subject: Subject) -> Fact:
        """Run the collector for ``name`` on the subject's host (or take the prefetched one)."""
        with self._lock:
            started = self._pending.pop((subject.name, name), None)
        if started is not None:
            return started.result()
        return self._collect_now(name, subject)

    def _collect_now(self, name: str, subject: Subject) -> Fact:
        if subject.target is None or name not in COLLECTORS:
            raise FactError(f"{name} is not a Linux fact for {subject.name}")
        shell = Shell(self._host(subject.target), self._timeout_s)
        try:
            found = COLLECTORS[name](shell)
        except FactError as exc:
            raise FactError(f"{name}: {exc}") from exc
        except UnparseableError as exc:
            raise FactError(f"{name}: unparseable output: {exc}") from exc
        except Exception as exc:  # a collector bug: still an error, never a pass
            raise FactError(f"{name}: {type(exc).__name__}: {exc}") from exc
        evidence = make_evidence(f"{subject.target.name}: {found.source}", found.raw, found.excerpt)
        return Fact(name=name, value=found.value, evidence=evidence)
