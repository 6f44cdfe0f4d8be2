"""Saved tenant reads: ``matops tenant export`` writes them, ``matops scan --offline`` reads them.

One folder per tenant under the export folder::

    <DIR>/<tenant>/manifest.json      what was read, when, and how each read ended
    <DIR>/<tenant>/<fact>.jsonl       a collection's items, one canonical JSON line each
    <DIR>/<tenant>/<fact>.json        an object read

The manifest records every read: ``read`` (with the item count and the SHA-256 of the file),
``unavailable`` (the licence and the reason), ``error`` or ``unreachable`` (the reason), so an
offline scan gives the same verdict as the live scan did, errors included. What is saved is
what the collectors kept of each item (the fields they ask for); tokens and secrets are never
part of a read. A file that does not match its manifest (cut short, edited) is an error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from matops.facts.model import FactError, FactUnavailableError, TargetUnreachableError
from matops.facts.tenant.collect import SourceFactory, canonical, facts_for
from matops.facts.tenant.model import Unavailable
from matops.facts.tenant.reads import SPECS, RawRead, TenantSource
from matops.inventory.tenants import TenantInfo

MANIFEST = "manifest.json"
FORMAT = 1

ReadStatus = Literal["read", "unavailable", "error", "unreachable"]


class SavedRead(BaseModel):
    """How one read ended, as the manifest records it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ReadStatus
    source: str
    file: str | None = None
    items: int | None = None
    sha256: str | None = None
    unavailable: Unavailable | None = None
    reason: str | None = None


class Manifest(BaseModel):
    """``manifest.json``: the tenant, when it was read, and every read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = FORMAT
    tenant: str
    provider: str
    collected_at: datetime
    reads: dict[str, SavedRead]


def _save_one(folder: Path, read: RawRead) -> SavedRead:
    spec = read.spec
    if read.unavailable is not None:
        return SavedRead(status="unavailable", source=spec.source, unavailable=read.unavailable)
    digest = hashlib.sha256()
    if spec.kind == "object":
        if read.value is None:
            raise FactError(f"{spec.fact}: nothing was read")
        data = canonical(spec.project(read.value))
        name = f"{spec.fact}.json"
        (folder / name).write_bytes(data)
        digest.update(data)
        return SavedRead(
            status="read", source=spec.source, file=name, items=1, sha256=digest.hexdigest()
        )
    if read.items is None:
        raise FactError(f"{spec.fact}: nothing was read")
    name = f"{spec.fact}.jsonl"
    count = 0
    partial = folder / (name + ".part")
    with partial.open("wb") as out:
        for item in read.items:
            line = canonical(spec.project(item))
            out.write(line)
            digest.update(line)
            count += 1
    partial.replace(folder / name)
    return SavedRead(
        status="read", source=spec.source, file=name, items=count, sha256=digest.hexdigest()
    )


def export_tenant(tenant: TenantInfo, source: TenantSource, folder: Path) -> Manifest:
    """Read every fact of ``tenant`` from ``source`` into ``folder``; return the manifest.

    A read that fails is recorded with its reason (the offline scan reports it as the live one
    would) and the export goes on with the next.
    """
    folder.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    reads: dict[str, SavedRead] = {}
    for fact in sorted(facts_for(tenant)):
        spec = SPECS[fact]
        try:
            reads[fact] = _save_one(folder, source.read(fact))
        except TargetUnreachableError as exc:
            reads[fact] = SavedRead(status="unreachable", source=spec.source, reason=str(exc))
        except FactError as exc:
            reads[fact] = SavedRead(status="error", source=spec.source, reason=str(exc))
        for leftover in folder.glob("*.part"):
            leftover.unlink()
    manifest = Manifest(
        tenant=tenant.name, provider=tenant.provider, collected_at=started, reads=reads
    )
    (folder / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> Manifest:
    """The manifest of an exported tenant; FactError when it is missing or not valid."""
    path = folder / MANIFEST
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise FactUnavailableError(f"no saved reads at {folder} ({exc.strerror})") from None
    except ValueError as exc:
        raise FactError(f"{path}: not a tenant export manifest: {exc}") from None


class ExportSource:
    """A tenant's reads from an export folder (``<DIR>/<tenant>``), checked against the
    manifest as they are read."""

    def __init__(self, folder: Path, tenant: TenantInfo) -> None:
        self.folder = folder
        self.manifest = read_manifest(folder)
        if (self.manifest.tenant, self.manifest.provider) != (tenant.name, tenant.provider):
            raise FactError(
                f"{folder}: the export is of {self.manifest.provider} tenant "
                f"{self.manifest.tenant}, not {tenant.provider} tenant {tenant.name}"
            )

    @property
    def collected_at(self) -> datetime:
        return self.manifest.collected_at

    def close(self) -> None:
        """Nothing to release."""

    def read(self, fact: str) -> RawRead:
        spec = SPECS[fact]
        saved = self.manifest.reads.get(fact)
        if saved is None:
            raise FactUnavailableError(f"the export at {self.folder} has no {fact}")
        if saved.status == "unreachable":
            raise TargetUnreachableError(saved.reason or "unreachable when exported")
        if saved.status == "error":
            raise FactError(saved.reason or "could not be read when exported")
        if saved.status == "unavailable":
            if saved.unavailable is None:
                raise FactError(f"{self.folder}/{MANIFEST}: {fact} unavailable without a reason")
            return RawRead(spec, unavailable=saved.unavailable)
        if saved.file is None or saved.sha256 is None:
            raise FactError(f"{self.folder}/{MANIFEST}: {fact} has no file or hash")
        path = self.folder / saved.file
        if spec.kind == "object":
            data = self._whole(path, saved)
            return RawRead(spec, value=_json_object(data, path, 1))
        return RawRead(spec, items=self._lines(path, saved))

    def _whole(self, path: Path, saved: SavedRead) -> bytes:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FactError(f"{path}: cannot read the saved read ({exc.strerror})") from None
        if hashlib.sha256(data).hexdigest() != saved.sha256:
            raise FactError(f"{path}: does not match its manifest (cut short or edited)")
        return data

    def _lines(self, path: Path, saved: SavedRead) -> Iterator[Mapping[str, Any]]:
        digest = hashlib.sha256()
        count = 0
        try:
            with path.open("rb") as lines:
                for number, line in enumerate(lines, 1):
                    digest.update(line)
                    count += 1
                    yield _json_object(line, path, number)
        except OSError as exc:
            raise FactError(f"{path}: cannot read the saved read ({exc.strerror})") from None
        if digest.hexdigest() != saved.sha256 or count != saved.items:
            raise FactError(f"{path}: does not match its manifest (cut short or edited)")


def _json_object(data: bytes, path: Path, line: int) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FactError(f"{path}:{line}: not a JSON object (cut short?)") from None
    if not isinstance(value, dict):
        raise FactError(f"{path}:{line}: not a JSON object")
    return value


def export_sources(directory: Path) -> SourceFactory:
    """A source factory reading each tenant from ``<directory>/<tenant name>``.

    >>> export_sources(Path("exports"))(tenant).folder  # doctest: +SKIP
    PosixPath('exports/northfield-m365')
    """

    def make(tenant: TenantInfo) -> TenantSource:
        return ExportSource(directory / tenant.name, tenant)

    return make
