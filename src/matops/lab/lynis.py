"""Lynis, the independent auditor, run on a lab host: hardening index, warnings, suggestions.

``lynis audit system`` (Debian's package, baked into the lab's root filesystem) writes a report
file (``key=value`` lines: ``hardening_index=``, ``warning[]=``, ``suggestion[]=``) and a log in
which every hardening point it gives or withholds follows the test it belongs to. From the log,
:func:`points` tells which test (and, for the sysctl test KRNL-6000, which key) lost how many
points, so that an index can be shown without the points a container can never earn
(:func:`index_without`).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPORT = "/tmp/matops-lynis-report.dat"  # noqa: S108 - on the lab host, removed after reading
LOG = "/tmp/matops-lynis.log"  # noqa: S108
AUDIT = f"lynis audit system --quick --no-colors --report-file {REPORT} --logfile {LOG}"


@dataclass(frozen=True)
class Finding:
    """A Lynis warning or suggestion: the test's ID, its text and any detail."""

    test: str
    text: str
    detail: str = ""

    def line(self) -> str:
        """One line for a summary.

        >>> Finding("AUTH-9262", "Install a PAM module", "-").line()
        'AUTH-9262 Install a PAM module'
        """
        extra = f" ({self.detail})" if self.detail not in ("", "-") else ""
        return f"{self.test} {self.text}{extra}"


@dataclass(frozen=True)
class Audit:
    """What one ``lynis audit system`` run said about one host."""

    host: str
    index: int
    warnings: list[Finding] = field(default_factory=list)
    suggestions: list[Finding] = field(default_factory=list)
    points: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Test ID (``KRNL-6000:<sysctl key>`` for sysctl keys) → (points earned, points possible)."""


def parse_report(text: str) -> tuple[int, list[Finding], list[Finding]]:
    """The hardening index, warnings and suggestions of a Lynis report file.

    >>> index, warnings, suggestions = parse_report(
    ...     "hardening_index=67\\n"
    ...     "suggestion[]=SSH-7408|Consider hardening SSH|AllowTcpForwarding|-|\\n"
    ... )
    >>> index, warnings, suggestions[0].line()
    (67, [], 'SSH-7408 Consider hardening SSH (AllowTcpForwarding)')
    """
    index: int | None = None
    found: dict[str, list[Finding]] = {"warning": [], "suggestion": []}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if key == "hardening_index" and value.strip().isdigit():
            index = int(value)
        elif key.removesuffix("[]") in found and sep:
            test, text_, detail, *_ = [*value.split("|"), "", ""]
            found[key.removesuffix("[]")].append(Finding(test, text_, detail))
    if index is None:
        raise ValueError("no hardening_index in the Lynis report (cut short, or not a report)")
    return index, found["warning"], found["suggestion"]


_TEST = re.compile(r"Performing test ID (\S+)")
_SYSCTL = re.compile(r"sysctl key (\S+) ")
_POINTS = re.compile(
    r"Hardening: assigned (?:maximum number of hardening points for this item \((?P<max>\d+)\)"
    r"|partial number of hardening points \((?P<got>\d+) of (?P<of>\d+)\))"
)


def points(log: str) -> dict[str, tuple[int, int]]:
    """Points earned and possible per test, from a Lynis log.

    >>> points('''Performing test ID KRNL-6000 (sysctl)
    ... Result: sysctl key kernel.kptr_restrict has a different value than expected
    ... Hardening: assigned partial number of hardening points (0 of 1). Currently having 0
    ... Performing test ID SSH-7408 (ssh)
    ... Hardening: assigned maximum number of hardening points for this item (3). Currently''')
    {'KRNL-6000:kernel.kptr_restrict': (0, 1), 'SSH-7408': (3, 3)}
    """
    result: dict[str, tuple[int, int]] = {}
    test, item = "(before any test)", None
    for line in log.splitlines():
        if (match := _TEST.search(line)) is not None:
            test, item = match[1], None
        elif (match := _SYSCTL.search(line)) is not None:
            item = match[1]
        elif (match := _POINTS.search(line)) is not None:
            got, of = (
                (int(match["max"]), int(match["max"]))
                if match["max"]
                else (int(match["got"]), int(match["of"]))
            )
            name = f"{test}:{item}" if item else test
            earned, possible = result.get(name, (0, 0))
            result[name] = (earned + got, possible + of)
    return result


def index_without(audit: Audit, excluded: set[str]) -> int:
    """The hardening index with the points the ``excluded`` tests withheld left out of the
    possible total (what they gave still counts; Lynis rounds the same way: earned * 100 /
    possible, truncated). A test such as FILE-6310 gives points for some mount points and
    withholds them for others: only the withheld ones are left out.

    >>> audit = Audit("h", 50, points={"A": (1, 1), "B": (0, 1)})
    >>> index_without(audit, {"B"}), index_without(audit, set())
    (100, 50)
    >>> index_without(Audit("h", 0, points={"A": (1, 2), "B": (28, 30)}), {"B"})
    96
    """
    earned = sum(got for got, _ in audit.points.values())
    possible = sum(of for _, of in audit.points.values())
    possible -= sum(of - got for name, (got, of) in audit.points.items() if name in excluded)
    return earned * 100 // possible if possible else 0


def lost(audit: Audit) -> dict[str, int]:
    """Points withheld per test, largest first.

    >>> lost(Audit("h", 0, points={"A": (1, 3), "B": (2, 2), "C": (0, 4)}))
    {'C': 4, 'A': 2}
    """
    missing = {name: of - got for name, (got, of) in audit.points.items() if of > got}
    return dict(sorted(missing.items(), key=lambda item: (-item[1], item[0])))


CONTAINER = {
    "FILE-6310": "separate /home, /var and /tmp partitions: a container has one overlay root",
    "ACCT-9628": "auditd cannot run in a container (the audit subsystem is the machine's)",
    "MACF-6290": "AppArmor profiles are the machine's kernel's; a container cannot load them",
}
"""Lynis tests a container can never pass, with why (read-only sysctls are measured on the host:
:func:`container_items`)."""


def _ssh(ssh_config: Path, host: str, command: str, timeout: float) -> str:
    argv = ["ssh", "-F", str(ssh_config), host, command]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{host}: `{command}` exit {done.returncode}: {done.stderr[-300:]}")
    return done.stdout


def audit_host(ssh_config: Path, host: str, timeout: float = 600) -> tuple[Audit, str, str]:
    """Run Lynis on a lab host over SSH (as root through sudo): the audit, report and log text."""
    _ssh(ssh_config, host, f"sudo {AUDIT} >/dev/null", timeout)
    report = _ssh(ssh_config, host, f"sudo cat {shlex.quote(REPORT)}", timeout)
    log = _ssh(
        ssh_config,
        host,
        f"sudo cat {shlex.quote(LOG)}; sudo rm -f {shlex.quote(REPORT)} {shlex.quote(LOG)}",
        timeout,
    )
    index, warnings, suggestions = parse_report(report)
    return Audit(host, index, warnings, suggestions, points(log)), report, log


def container_items(ssh_config: Path, host: str, audit: Audit, timeout: float = 60) -> set[str]:
    """The lost points of ``audit`` that ``host`` can never earn: the :data:`CONTAINER` tests,
    and the sysctl items (``KRNL-6000:<key>``) whose key is read-only there, tested on the host
    as root (in a container ``kernel.*`` and other machine-wide keys are read-only)."""
    missed = lost(audit)
    items = [name for name in missed if name.startswith("KRNL-6000:")]
    script = " ".join(
        f"test -w /proc/sys/{name.split(':', 1)[1].replace('.', '/')} || echo {name};"
        for name in items
    )
    readonly = _ssh(ssh_config, host, f"sudo sh -c {shlex.quote(script)}", timeout) if items else ""
    return {name for name in missed if name in CONTAINER} | set(readonly.split())
