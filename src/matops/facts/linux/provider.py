"""The live Linux fact provider: one testinfra host per target, each fact collected once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future

from matops.facts.linux.collect import COLLECTORS
from matops.facts.linux.parse import UnparseableError
from matops.facts.linux.shell import TIMEOUT_S, Answers, Host, Shell, failure_reason
from matops.facts.model import Fact, FactError, Subject, TargetUnreachableError, make_evidence
from matops.facts.unreachable import describe_exception
from matops.inventory.model import Target

BATCH_ROUNDS = 6
"""Round trips a host gets before the collectors still waiting send command by command."""

Connect = Callable[[Target], Host]
"""Target → testinfra host, e.g. ``lambda t: testinfra.get_host(f"paramiko://root@{t.address}")``."""


class LinuxHostProvider:
    """Collects Linux facts over SSH through testinfra. Read-only by construction.

    ``timeout_s`` limits each command on the host (see :class:`~matops.facts.linux.shell.Shell`).
    """

    def __init__(self, connect: Connect, timeout_s: float = TIMEOUT_S):
        self._connect = connect
        self._timeout_s = timeout_s
        self._hosts: dict[str, Host | TargetUnreachableError] = {}
        self._pending: dict[tuple[str, str], Future[Fact]] = {}
        self._lock = threading.Lock()
        self._opening: dict[str, threading.Lock] = {}

    def prefetch(self, subject: Subject, names: Iterable[str]) -> None:
        """Start collecting ``names`` now, in batches (see :meth:`_gather`), on a thread of
        their own: the runner announces every fact a subject's checks will ask for, and
        :meth:`collect` hands over each fact once it is gathered. Each fact is collected once.
        """
        if subject.target is None or subject.target.kind != "linux":
            return
        wanted = sorted(set(names) & set(COLLECTORS))
        with self._lock:
            futures = {n: Future[Fact]() for n in wanted if (subject.name, n) not in self._pending}
            self._pending.update({(subject.name, n): f for n, f in futures.items()})
        if futures:
            name = f"facts-{subject.name}"
            threading.Thread(target=self._gather, args=(subject, futures), name=name).start()

    def provides(self, subject: Subject) -> frozenset[str]:
        """Every Linux fact, for Linux targets."""
        if subject.target is None or subject.target.kind != "linux":
            return frozenset()
        return frozenset(COLLECTORS)

    def _host(self, target: Target) -> Host:
        """The target's host, opened once; hosts open side by side (each has its own lock)."""
        with self._lock:
            opening = self._opening.setdefault(target.name, threading.Lock())
        with opening:
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

    def _gather(self, subject: Subject, futures: dict[str, Future[Fact]]) -> None:
        """Collect every fact in ``futures`` in few round trips, each fact's result or error
        set on its future.

        Each round surveys every collector not yet done (:class:`Shell` with ``wanted``): a
        collector that ran on answers alone is done, with its value or its error; the commands
        the others asked for go to the host as one batch. A collector whose next command
        depends on an earlier answer (a file found, then read) takes one round per step. After
        ``BATCH_ROUNDS`` rounds, what is left runs command by command as before.
        """
        try:
            answers = Answers()
            host = self._host(subject.target) if subject.target is not None else None
            left = dict(futures)
            for _ in range(BATCH_ROUNDS):
                asked: list[str] = []
                for name, future in list(left.items()):
                    wanted: list[str] = []
                    outcome = self._outcome(
                        name, subject, Shell(host, self._timeout_s, answers, wanted)
                    )
                    if wanted:
                        asked += [c for c in wanted if c not in asked]
                        continue
                    _settle(future, outcome)
                    del left[name]
                if not asked:
                    break
                Shell(host, self._timeout_s, answers).send_batch(asked)
            for name, future in left.items():
                _settle(future, self._outcome(name, subject, Shell(host, self._timeout_s, answers)))
        except BaseException as exc:  # the host could not be opened, or a bug: never a pass
            error = exc if isinstance(exc, FactError) else FactError(describe_exception(exc))
            for future in futures.values():
                if not future.done():
                    future.set_exception(error)

    def _outcome(self, name: str, subject: Subject, shell: Shell) -> Fact | FactError:
        try:
            return self._collect_on(name, subject, shell)
        except FactError as exc:
            return exc

    def _collect_now(self, name: str, subject: Subject) -> Fact:
        if subject.target is None:
            raise FactError(f"{name} is not a Linux fact for {subject.name}")
        return self._collect_on(name, subject, Shell(self._host(subject.target), self._timeout_s))

    def _collect_on(self, name: str, subject: Subject, shell: Shell) -> Fact:
        if subject.target is None or name not in COLLECTORS:
            raise FactError(f"{name} is not a Linux fact for {subject.name}")
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


def _settle(future: Future[Fact], outcome: Fact | FactError) -> None:
    if isinstance(outcome, FactError):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
