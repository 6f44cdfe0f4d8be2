"""``<state>/lab.json``: what a running lab consists of, written as each piece is created.

lab_down uses it (plus a prefix sweep) to remove everything; lab_status and other tools read the
targets, pids and host keys from it.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from dataclasses import asdict
from pathlib import Path
from typing import Any

from matops.lab.model import LabTarget

RECORD_FILE = "lab.json"
VERSION = 1
DEFAULT_STATE_DIR = Path("/var/lib/matops/lab")
"""Where ``matops lab up`` keeps a lab unless told otherwise."""
RUNNING_LAB = Path("/run/matops/lab-state-dir")
"""Names the state folder of the lab running on this machine (one lab per machine)."""


class LabRecord:
    """The contents of lab.json, with helpers to add targets and save atomically."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    @classmethod
    def new(cls, state_dir: Path, base: Path) -> LabRecord:
        """Start a record for a new lab with a fresh random lab id."""
        data = {
            "version": VERSION,
            "lab_id": secrets.token_hex(6),
            "state_dir": str(state_dir),
            "rootfs": str(base),
            "bridge": None,
            "nft_table": None,
            "targets": [],
        }
        return cls(state_dir / RECORD_FILE, data)

    @property
    def lab_id(self) -> str:
        """The random id this lab's processes carry in their environment."""
        return str(self.data["lab_id"])

    @property
    def state_dir(self) -> Path:
        """The lab's state directory."""
        return self.path.parent

    def add_target(self, target: LabTarget, extra: dict[str, Any]) -> None:
        """Record a started target with what was created for it (pid, netns, veth, key...)."""
        self.data["targets"].append({**target_to_entry(target), **extra})

    def remove_target(self, name: str) -> dict[str, Any]:
        """Forget a target and return its entry; KeyError when there is none by that name."""
        for index, entry in enumerate(self.data["targets"]):
            if entry["name"] == name:
                return dict(self.data["targets"].pop(index))
        raise KeyError(name)

    def targets(self) -> list[LabTarget]:
        """Return the recorded targets."""
        return [target_from_entry(entry) for entry in self.data["targets"]]

    def host_keys(self) -> dict[str, str]:
        """Return ``{target name: public host key}``."""
        return {e["name"]: e["host_key"] for e in self.data["targets"]}

    def save(self) -> None:
        """Write lab.json atomically (write a temporary file, then rename)."""
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(self.data, indent=2) + "\n")
        partial.rename(self.path)


def read_record(state_dir: Path) -> LabRecord | None:
    """Return the lab record in ``state_dir``, or None if there is none or it is unreadable."""
    path = state_dir / RECORD_FILE
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    return LabRecord(path, data)


def target_to_entry(target: LabTarget) -> dict[str, Any]:
    """Return a JSON-ready dict of a target.

    >>> t = LabTarget("web1", "linux", "debian", ipaddress.IPv4Address("198.18.0.11"), "oak")
    >>> target_from_entry(target_to_entry(t)) == t
    True
    """
    entry = asdict(target)
    entry["address"] = str(target.address)
    return entry


def target_from_entry(entry: dict[str, Any]) -> LabTarget:
    """Rebuild a target from a lab.json entry (extra keys are ignored)."""
    return LabTarget(
        name=entry["name"],
        kind=entry["kind"],
        platform=entry["platform"],
        address=ipaddress.IPv4Address(entry["address"]),
        school=entry["school"],
        model=entry.get("model"),
    )


def mark_running(state_dir: Path, pointer: Path = RUNNING_LAB) -> None:
    """Record ``state_dir`` as the folder of the lab running on this machine."""
    pointer.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    pointer.write_text(f"{state_dir}\n", encoding="utf-8")


def unmark_running(state_dir: Path, pointer: Path = RUNNING_LAB) -> None:
    """Forget the running lab's folder when it is ``state_dir``."""
    if running_lab_dir(pointer) == state_dir:
        pointer.unlink(missing_ok=True)


def running_lab_dir(pointer: Path = RUNNING_LAB) -> Path | None:
    """The state folder of the lab running on this machine, or None when none is recorded.

    >>> running_lab_dir(Path("/nonexistent/pointer")) is None
    True
    """
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None
