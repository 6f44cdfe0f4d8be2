"""Per-host results of a deploy, read from each engine's output (pure functions).

* Ansible: the default callback's text, streamed line by line: ``TASK [...]`` headers followed by
  ``ok:``/``changed:``/``fatal:`` lines, and the ``PLAY RECAP`` counters.
* pyinfra: the ``--json`` document on stdout: ``results.operations`` after an apply, ``plan``
  (``hosts_with_change``) after a dry run. A selected host that never appears failed to connect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from matops.facts.unreachable import ssh_reason

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TASK = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(?:[^\]:]+ : )?(?P<name>.*)\] \**$")
_STATUS = re.compile(r"^(?P<status>ok|changed|fatal|failed|skipping): \[(?P<host>[^\]\s]+)")
_RECAP = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+"
    r"unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)"
)


@dataclass
class HostResult:
    """One host's outcome: operations changed, unchanged (ok) and failed, and what changed."""

    host: str
    changed: int = 0
    ok: int = 0
    failed: int = 0
    unreachable: bool = False
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_failed(self) -> bool:
        """Whether the host failed (an operation failed, or it could not be reached)."""
        return self.failed > 0 or self.unreachable


def _unreachable_message(line: str) -> str | None:
    """The ``msg`` of Ansible's one-line ``fatal: [h]: UNREACHABLE! => {...}``, if it is one.

    >>> _unreachable_message('fatal: [h1]: UNREACHABLE! => {"changed": false, "msg": '
    ...                      '"Failed to connect to the host via ssh: x", "unreachable": true}')
    'Failed to connect to the host via ssh: x'
    """
    if "UNREACHABLE! =>" not in line:
        return None
    try:
        body = json.loads(line.split("=>", 1)[1])
    except json.JSONDecodeError:
        return None
    msg = body.get("msg") if isinstance(body, dict) else None
    return msg if isinstance(msg, str) else None


class AnsibleOutput:
    """Reads ``ansible-playbook`` output line by line (feed it as it streams).

    >>> out = AnsibleOutput()
    >>> for line in ["TASK [baseline : baseline | Set the hostname] ***", "changed: [h1]",
    ...              "h1 : ok=3 changed=1 unreachable=0 failed=0 skipped=0"]:
    ...     out.feed(line)
    >>> out.results(["h1"])["h1"]
    HostResult(host='h1', changed=1, ok=2, failed=0, unreachable=False, \
changes=['baseline | Set the hostname'], errors=[])
    """

    def __init__(self) -> None:
        self.task = ""
        self.changes: dict[str, list[str]] = {}
        self.errors: dict[str, list[str]] = {}
        self.recap: dict[str, dict[str, int]] = {}

    def feed(self, line: str) -> None:
        """Take one line of output."""
        text = _ANSI.sub("", line).rstrip()
        if match := _TASK.match(text):
            self.task = match["name"]
        elif match := _STATUS.match(text):
            if match["status"] == "changed":
                self.changes.setdefault(match["host"], []).append(self.task)
            elif match["status"] in ("fatal", "failed"):
                why = _unreachable_message(text)
                self.errors.setdefault(match["host"], []).append(
                    ssh_reason(why) if why is not None else self.task
                )
        elif match := _RECAP.match(text):
            self.recap[match["host"]] = {
                k: int(match[k]) for k in ("ok", "changed", "unreachable", "failed")
            }

    def results(self, hosts: Iterable[str]) -> dict[str, HostResult]:
        """A result per selected host; a host missing from the recap failed."""
        found: dict[str, HostResult] = {}
        for host in hosts:
            recap = self.recap.get(host)
            if recap is None:
                found[host] = HostResult(host, failed=1, errors=["no result (play did not run)"])
                continue
            found[host] = HostResult(
                host,
                changed=recap["changed"],
                ok=recap["ok"] - recap["changed"],
                failed=recap["failed"],
                unreachable=recap["unreachable"] > 0,
                changes=self.changes.get(host, []),
                errors=self.errors.get(host, []),
            )
        return found


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PYINFRA_CONNECT = re.compile(
    r"^\s*\[(?P<host>[^\]]+)\]\s+(?P<why>(?:SSH error|Could not connect|Could not resolve "
    r"hostname|EOF error|Authentication error)\b.*\S)\s*$"
)
"""pyinfra's connect failures (its SSH connector's ``raise_connect_error`` messages)."""


def pyinfra_connect_errors(lines: Iterable[str]) -> dict[str, str]:
    """Host → pyinfra's message, from its "[host] SSH error (reason)" and like log lines.

    >>> pyinfra_connect_errors(["    [oak-srv01] \x1b[31mSSH error (StrictPolicy: No host "
    ...                         "key for 198.18.10.11 found in known_hosts)\x1b[0m", "--> x"])
    {'oak-srv01': 'SSH error (StrictPolicy: No host key for 198.18.10.11 found in known_hosts)'}
    """
    found: dict[str, str] = {}
    for line in lines:
        match = _PYINFRA_CONNECT.match(_ANSI.sub("", line))
        if match is not None:
            found.setdefault(match["host"], match["why"])
    return found


def pyinfra_results(document: dict[str, Any], hosts: Iterable[str]) -> dict[str, HostResult]:
    """Results per selected host from pyinfra's ``--json`` output (apply or ``--dry``).

    >>> doc = {"plan": [], "results": {"operations": [
    ...     {"name": "a", "success": ["h1"], "no_change": ["h2"], "error": []},
    ...     {"name": "b", "success": [], "no_change": ["h1"], "error": ["h2"]}]}}
    >>> found = pyinfra_results(doc, ["h1", "h2", "h3"]).values()
    >>> [(r.changed, r.ok, r.failed, r.unreachable) for r in found]
    [(1, 1, 0, False), (0, 1, 1, False), (0, 0, 0, True)]
    """
    found = {host: HostResult(host) for host in hosts}
    seen: set[str] = set()
    results = document.get("results")
    if results is None:  # --dry: only the plan
        for op in document.get("plan", []):
            for host in op.get("hosts_with_change", []):
                if host in found:
                    found[host].changed += 1
                    found[host].changes.append(str(op["name"]))
        for host in found:
            found[host].ok = 0
        return found
    for op in results.get("operations", []):
        for key in ("success", "no_change", "error"):
            for host in op.get(key, []):
                if host not in found:
                    continue
                seen.add(host)
                result = found[host]
                if key == "success":
                    result.changed += 1
                    result.changes.append(str(op["name"]))
                elif key == "no_change":
                    result.ok += 1
                else:
                    result.failed += 1
                    result.errors.append(str(op["name"]))
    for host, result in found.items():
        if host not in seen and not result.failed:
            result.unreachable = True
            result.errors.append("no operation ran (could not connect or prepare)")
    return found
