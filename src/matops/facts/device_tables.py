"""The device data tables: Windows feature releases with their monthly security updates, and
iPadOS versions with the iPads each can run (``facts/data/devices/*.yml``).

Domain data, one place each: the device checks read them as the ``windows_releases`` and
``ipados_releases`` facts, so scenarios can give their own tables (a stale one included).
Each table says how far it is known to be complete (``as_of``) and where its facts come from.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matops.source.yamlsrc import load_yaml_file

DATA = Path(__file__).resolve().parent / "data" / "devices"
WINDOWS_FILE = DATA / "windows_releases.yml"
IPADOS_FILE = DATA / "ipados.yml"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WindowsUpdate(_Row):
    """One Patch Tuesday cumulative security update of a feature release."""

    revision: int = Field(ge=0)
    """The OS build revision it brings (``10.0.<build>.<revision>``)."""
    released: date
    kb: str
    hotpatch: int | None = None
    """The revision hotpatch-enrolled devices get that month instead, if any."""


class WindowsRelease(_Row):
    """A Windows feature release (one OS build number) for Education and Enterprise."""

    build: int
    product: str
    version: str
    available: date
    end_of_servicing: date
    """The last day Microsoft services it for Education and Enterprise editions."""
    updates: list[WindowsUpdate]

    @property
    def name(self) -> str:
        """``Windows 11 24H2``."""
        return f"{self.product} {self.version}"

    @property
    def is_windows10(self) -> bool:
        """Whether paid Windows 10 Extended Security Updates can apply to it."""
        return self.product == "Windows 10"


class WindowsReleases(_Row):
    """``windows_releases.yml``."""

    as_of: date
    sources: list[str] = Field(min_length=1)
    releases: list[WindowsRelease]

    @model_validator(mode="after")
    def _ordered(self) -> WindowsReleases:
        for release in self.releases:
            days = [u.released for u in release.updates]
            if days != sorted(days):
                raise ValueError(f"build {release.build}: updates are not in date order")
        return self

    def release(self, build: int) -> WindowsRelease | None:
        """The feature release of an OS build number, if the table knows it."""
        return next((r for r in self.releases if r.build == build), None)


class IpadosVersion(_Row):
    """One iPadOS release."""

    version: str
    released: date


class IpadosMajor(_Row):
    """A major iPadOS version and its releases, oldest first."""

    major: int
    released: date
    versions: list[IpadosVersion]


class IpadModel(_Row):
    """An iPad model Apple has stopped at an older major."""

    model: str
    last_major: int


class IpadosReleases(_Row):
    """``ipados.yml``."""

    as_of: date
    sources: list[str] = Field(min_length=1)
    majors: list[IpadosMajor]
    models: list[IpadModel] = Field(default_factory=list)

    def major(self, number: int) -> IpadosMajor | None:
        """The major version, if the table knows it."""
        return next((m for m in self.majors if m.major == number), None)

    def last_major(self, model: str | None) -> int | None:
        """The newest major the model can run when Apple has dropped it (None: the newest).

        >>> t = IpadosReleases(as_of=date(2026, 1, 1), sources=["x"], majors=[],
        ...     models=[IpadModel(model="iPad (6th generation)", last_major=17)])
        >>> t.last_major("Apple iPad (6th Generation)"), t.last_major("iPad (9th generation)")
        (17, None)
        """
        key = _model_key(model)
        return next((m.last_major for m in self.models if _model_key(m.model) == key), None)


def _model_key(model: str | None) -> str:
    return (model or "").casefold().removeprefix("apple ").strip()


def load_windows_releases(path: Path = WINDOWS_FILE) -> WindowsReleases:
    """The Windows release table shipped with matops."""
    return WindowsReleases.model_validate(load_yaml_file(path))


def load_ipados_releases(path: Path = IPADOS_FILE) -> IpadosReleases:
    """The iPadOS table shipped with matops."""
    return IpadosReleases.model_validate(load_yaml_file(path))
