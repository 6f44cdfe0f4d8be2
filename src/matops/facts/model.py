"""The shapes shared by every fact collector: evidence, facts, subjects and collector errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from matops.facts.redaction import redact_text
from matops.inventory.model import Asset, Target
from matops.inventory.tenants import TenantInfo

EXCERPT_MAX_LINES = 25
EXCERPT_MAX_CHARS = 2000


class Evidence(BaseModel):
    """Where a fact came from: the command or file, a hash of the raw output, a redacted excerpt.

    The hash is of the raw bytes, so a later reader holding the same output can prove it is the
    one judged; the excerpt never carries secrets.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    sha256: str
    excerpt: str
    collected_at: datetime


def make_evidence(
    source: str, raw: str | bytes, excerpt: str | None = None, now: datetime | None = None
) -> Evidence:
    """Evidence for ``raw`` output read from ``source``; ``excerpt`` defaults to the raw text.

    >>> ev = make_evidence("file:sw1.cfg", "hostname sw1\\nenable secret 9 $9$abc\\n")
    >>> ev.sha256[:12], "$9$abc" in ev.excerpt
    ('11db67798de6', False)
    """
    data = raw.encode() if isinstance(raw, str) else raw
    text = excerpt if excerpt is not None else data.decode("utf-8", errors="replace")
    return Evidence(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        excerpt=_shorten(redact_text(_head(text))),
        collected_at=now or datetime.now(UTC),
    )


def _head(text: str) -> str:
    """The part of ``text`` an excerpt can show (one line more, so a cut still shows), which
    is all that needs redacting; the whole text when a PEM block begun there ends later.

    >>> _head("\\n".join(str(i) for i in range(100))).count("\\n") == EXCERPT_MAX_LINES
    True
    """
    head = "\n".join(text.split("\n", EXCERPT_MAX_LINES + 1)[: EXCERPT_MAX_LINES + 1])
    return text if head.rfind("-----BEGIN") > head.rfind("-----END") else head


def _shorten(text: str) -> str:
    lines = text.splitlines()
    cut = len(lines) > EXCERPT_MAX_LINES
    short = "\n".join(lines[:EXCERPT_MAX_LINES])
    if len(short) > EXCERPT_MAX_CHARS:
        short, cut = short[:EXCERPT_MAX_CHARS], True
    return short + ("\n…" if cut else "")


class Fact(BaseModel):
    """One observed value with its evidence. ``value`` has the type the catalogue declares."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    value: Any
    evidence: Evidence


SubjectKind = Literal["target", "asset", "tenant"]


@dataclass(frozen=True)
class Subject:
    """What a finding is about: an inventory target, one row of a school's asset register, or a
    cloud identity tenant (for one of the schools it serves)."""

    kind: SubjectKind
    name: str
    school: str
    target: Target | None = None
    asset: Asset | None = None
    tenant: TenantInfo | None = None

    @property
    def kind_name(self) -> str:
        """The target's kind (linux, switch…), the asset's type (laptop, switch…) or ``tenant``."""
        if self.target is not None:
            return self.target.kind
        if self.tenant is not None:
            return "tenant"
        return self.asset.type.value if self.asset is not None else "unknown"

    @property
    def platform(self) -> str | None:
        """The registry platform: the target's, or the tenant's provider; None for an asset."""
        if self.target is not None:
            return self.target.platform
        return self.tenant.provider if self.tenant is not None else None

    @classmethod
    def of_target(cls, target: Target) -> Subject:
        """The subject for an inventory target."""
        return cls("target", target.name, target.school, target=target)

    @classmethod
    def of_asset(cls, school: str, asset: Asset) -> Subject:
        """The subject for an asset register row (named by its asset tag)."""
        return cls("asset", asset.asset_tag, school, asset=asset)

    @classmethod
    def of_tenant(cls, tenant: TenantInfo, school: str) -> Subject:
        """The subject for a tenant as seen by one school it serves (named by the tenant).

        A tenant's findings belong to every school in its ``schools``: the scan judges one
        subject per school, all with the tenant's name, from one collection of its facts.
        """
        return cls("tenant", tenant.name, school, tenant=tenant)

    @classmethod
    def tenants_of(cls, tenants: Iterable[TenantInfo]) -> list[Subject]:
        """One subject per (tenant, school it serves), in inventory order."""
        return [cls.of_tenant(t, school) for t in tenants for school in t.schools]


class FactError(Exception):
    """A collector could not produce a fact; the checks that needed it become ``error``."""


class FactUnavailableError(FactError):
    """The fact cannot be known in this mode for this subject (e.g. no saved startup config).

    Checks needing it are skipped and reported as not assessed, not as failures.
    """


class TargetUnreachableError(FactError):
    """The target could not be reached; the checks that needed it become ``unreachable``."""


class FactProvider(Protocol):
    """A source of facts (inventory, saved configs, a live SSH session…)."""

    def provides(self, subject: Subject) -> frozenset[str]:
        """The names of the facts this provider can collect for ``subject``."""
        ...

    def collect(self, name: str, subject: Subject) -> Fact:
        """Collect one fact; raise :class:`FactError` (or a subclass) when it cannot."""
        ...
