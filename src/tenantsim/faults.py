"""Faults the tests inject through the control API, and the request counts they read back.

A fault applies to every request whose path starts with its ``path_prefix`` (the simulator's
path, e.g. ``/graph.microsoft.com/v1.0/users``):

* ``status`` (e.g. 429, 403, 500, 503): the request is answered with that status and the
  API's own error body, ``Retry-After`` added when ``retry_after`` is given;
* ``truncate``: paging breaks. ``dead_link``: the next-page link (``@odata.nextLink`` or
  ``nextPageToken``) of the next paged answer leads to a 404; ``drop_link``: the next paged
  answer that has more to come leaves its next-page link out, as if the rest were lost
  (``@odata.count`` still tells the truth when asked for);
* ``count``: how many requests it applies to (then it is gone; None: until cleared);
* ``every``: only every N-th matching request (a steady throttle, e.g. 1 in 20 gets a 429).

A request inside a Graph JSON batch (``POST /v1.0/$batch``) takes the faults aimed at its own
path but not those that also cover the batch's path: ``/graph.microsoft.com/`` throttles the
batch as one request, ``/graph.microsoft.com/v1.0/deviceManagement/`` the requests inside it.

>>> faults = Faults()
>>> _ = faults.add(Fault("/graph.microsoft.com/v1.0/users", status=429, count=1, retry_after=2))
>>> faults.take_status("/graph.microsoft.com/v1.0/users").retry_after
2
>>> faults.take_status("/graph.microsoft.com/v1.0/users") is None
True
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Literal

Truncate = Literal["dead_link", "drop_link"]


@dataclass
class Fault:
    """One injected fault (see the module's docstring)."""

    path_prefix: str
    status: int | None = None
    truncate: Truncate | None = None
    count: int | None = None
    every: int | None = None
    retry_after: int | None = None
    seen: int = 0
    applied: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """A fault from the control API's JSON; ValueError when it makes no sense."""
        known = {"path_prefix", "status", "truncate", "count", "every", "retry_after"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        fault = cls(**data)
        if not fault.path_prefix.startswith("/"):
            raise ValueError("path_prefix must start with /")
        if (fault.status is None) == (fault.truncate is None):
            raise ValueError("a fault has either a status or a truncate mode")
        if fault.truncate not in (None, "dead_link", "drop_link"):
            raise ValueError("truncate is dead_link or drop_link")
        if fault.status is not None and not 400 <= fault.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        return fault


class Faults:
    """The active faults and the request counters, thread-safe."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def _take(self, path: str, want_status: bool, outer: str | None = None) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if not path.startswith(fault.path_prefix):
                    continue
                if outer is not None and outer.startswith(fault.path_prefix):
                    continue
                if (fault.status is not None) != want_status:
                    continue
                fault.seen += 1
                if fault.every and fault.seen % fault.every != 0:
                    continue
                fault.applied += 1
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def take_status(self, path: str, outer: str | None = None) -> Fault | None:
        """The status fault this request gets, if any (counted as applied).

        ``outer``: the path of the batch this request is part of; a fault that covers the
        batch's own path too is the batch's (taken once for the whole batch), not its parts'.
        """
        return self._take(path, want_status=True, outer=outer)

    def take_truncate(self, path: str) -> Fault | None:
        """The truncate fault for this paged answer, if any (counted as applied)."""
        return self._take(path, want_status=False)

    def count(self, path: str, status: int) -> None:
        """Count one answered request under its API (the path's first part) and status."""
        api = "/".join(path.split("/")[:3])
        with self._lock:
            self.requests[api] += 1
            self.requests["total"] += 1
            self.statuses[status] += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": dict(self.requests),
                "statuses": {str(k): v for k, v in self.statuses.items()},
            }

    def reset_stats(self) -> None:
        with self._lock:
            self.requests.clear()
            self.statuses.clear()
