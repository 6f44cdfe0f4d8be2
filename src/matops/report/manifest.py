"""The manifest: the SHA-256 of every file a report wrote, so an auditor can tell it is unaltered.

``MANIFEST.sha256`` uses ``sha256sum``'s format (``<hex>  <relative path>``), so
``sha256sum -c MANIFEST.sha256`` in the report folder checks it without matops too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "MANIFEST.sha256"


def sha256_file(path: Path) -> str:
    """The file's SHA-256 as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, files: Iterable[Path]) -> Path:
    """Write ``MANIFEST.sha256`` for ``files`` (all under ``folder``), sorted by path."""
    rows = sorted(p.resolve().relative_to(folder.resolve()).as_posix() for p in files)
    lines = [f"{sha256_file(folder / rel)}  {rel}\n" for rel in rows if rel != MANIFEST]
    path = folder / MANIFEST
    path.write_text("".join(lines), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Problem:
    """Why a report folder does not match its manifest."""

    path: str
    reason: str
    """``altered``, ``missing`` or ``not in manifest``."""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def read_manifest(folder: Path) -> dict[str, str]:
    """relative path → hex digest; ``ValueError`` naming the line for a malformed one."""
    entries = {}
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64 or not rel:
            raise ValueError(f"{MANIFEST}:{number}: not '<sha256>  <path>'")
        entries[rel] = digest
    return entries


def verify(folder: Path) -> list[Problem]:
    """Every file that was altered, is missing, or was added since the manifest was written.

    Raises ``FileNotFoundError`` when there is no manifest and ``ValueError`` when it is malformed.
    """
    expected = read_manifest(folder)
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    problems = [Problem(rel, "missing") for rel in sorted(set(expected) - present)]
    problems += [Problem(rel, "not in manifest") for rel in sorted(present - set(expected))]
    problems += [
        Problem(rel, "altered")
        for rel in sorted(set(expected) & present)
        if sha256_file(folder / rel) != expected[rel]
    ]
    return sorted(problems, key=lambda p: p.path)
