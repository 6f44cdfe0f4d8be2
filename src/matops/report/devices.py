"""The device section: each school's laptops, desktops and tablets by model, when their support
ends (by school term), and which summer holiday each must be replaced in.

Pure: takes each school's register rows and the scan date. The register's ``end_of_support`` is
the date used; the device checks (``checks/device``) hold it against what Intune and the Google
Admin console report (``device_details_match_register``, ``chromeos_auto_update_not_expired``,
``windows_release_in_support``). Disposed rows are left out. Devices are counted by model, never
listed by user: the section is fit for governors.

Terms are the English school year's three: autumn (September to December), spring (January to
March) and summer (April to August). Devices are replaced in the summer holiday, so a device
whose support ends during an academic year is due in the summer before that year starts; one
that ends before the next summer holiday can only be replaced sooner.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from matops.inventory.model import Asset
from matops.scan.device_judging import ENDPOINT_TYPES

TERMS_AHEAD = 9
"""Terms shown in the chart: this one and the next eight (three school years)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, order=True)
class Term:
    """A school term: its year and its place in the calendar year (spring 0, summer 1, autumn 2).

    >>> Term.of(date(2027, 10, 31)).label, Term.of(date(2028, 2, 1)).label
    ('autumn 2027', 'spring 2028')
    >>> Term.of(date(2027, 8, 31)).next().label
    'autumn 2027'
    """

    year: int
    index: int

    NAMES = ("spring", "summer", "autumn")

    @classmethod
    def of(cls, day: date) -> Term:
        """The term a day falls in (holidays count with the term before them)."""
        index = 0 if day.month <= 3 else 1 if day.month <= 8 else 2
        return cls(day.year, index)

    @property
    def label(self) -> str:
        """``autumn 2027``."""
        return f"{self.NAMES[self.index]} {self.year}"

    def next(self) -> Term:
        """The term after this one."""
        return Term(self.year + 1, 0) if self.index == 2 else Term(self.year, self.index + 1)


def replace_by(ends: date | None, today: date) -> str:
    """When a device must be replaced: the summer holiday before the school year its support
    ends in, ``now`` when it has ended, or ``before <date>`` when no summer holiday is left.

    >>> today = date(2026, 12, 5)
    >>> replace_by(date(2028, 5, 1), today), replace_by(date(2027, 10, 13), today)
    ('summer 2027', 'summer 2027')
    >>> replace_by(date(2027, 3, 9), today), replace_by(date(2026, 10, 14), today)
    ('before 2027-03-09', 'now')
    >>> replace_by(None, today)
    'unknown'
    """
    if ends is None:
        return "unknown"
    if ends < today:
        return "now"
    summer = ends.year if ends.month >= 9 else ends.year - 1
    if date(summer, 8, 31) < today:  # that holiday is over: replace before support ends
        return f"before {ends.isoformat()}"
    return f"summer {summer}"


class DeviceModelLine(_Frozen):
    """One school's live endpoints of one type, model and operating system."""

    school: str
    type: str
    model: str
    os: str | None
    count: int
    supported: int
    """Support ends after the scan date."""
    unsupported: int
    """Support has ended."""
    unknown: int
    """No end of support in the register."""
    ends: date | None
    """The earliest end of support among them (None: none recorded)."""
    replace_by: str
    """``now``, ``summer 2027``, ``before 2027-03-09`` or ``unknown`` (see :func:`replace_by`)."""


class TermCount(_Frozen):
    """How many of a school's endpoints leave support in one term."""

    school: str
    term: str
    """``already ended``, a term (``autumn 2027``) or ``later``."""
    count: int


def device_lines(
    registers: Mapping[str, Sequence[Asset]], today: date
) -> tuple[list[DeviceModelLine], list[TermCount]]:
    """Each school's endpoints by model, and their support ends counted by term.

    >>> a = Asset(asset_tag="A1", type="laptop", model="X", os="Windows 10 Education 22H2",
    ...           end_of_support=date(2025, 10, 14))
    >>> b = Asset(asset_tag="A2", type="laptop", model="X", os="Windows 10 Education 22H2")
    >>> lines, terms = device_lines({"oak": [a, b]}, date(2026, 12, 5))
    >>> l = lines[0]
    >>> (l.count, l.supported, l.unsupported, l.unknown, l.replace_by)
    (2, 0, 1, 1, 'now')
    >>> [(t.term, t.count) for t in terms if t.count]
    [('already ended', 1)]
    """
    lines: list[DeviceModelLine] = []
    terms: list[TermCount] = []
    first = Term.of(today)
    shown = [first]
    while len(shown) < TERMS_AHEAD:
        shown.append(shown[-1].next())
    for school in sorted(registers):
        live = [
            a for a in registers[school] if a.disposed_date is None and a.type in ENDPOINT_TYPES
        ]
        groups: dict[tuple[str, str, str], list[Asset]] = defaultdict(list)
        for asset in live:
            groups[(asset.type.value, asset.model, asset.os or "")].append(asset)
        for (kind, model, os), assets in sorted(groups.items()):
            ends = [a.end_of_support for a in assets if a.end_of_support is not None]
            earliest = min(ends, default=None)
            lines.append(
                DeviceModelLine(
                    school=school,
                    type=kind,
                    model=model,
                    os=os or None,
                    count=len(assets),
                    supported=sum(1 for d in ends if d >= today),
                    unsupported=sum(1 for d in ends if d < today),
                    unknown=len(assets) - len(ends),
                    ends=earliest,
                    replace_by=replace_by(earliest, today),
                )
            )
        counted: Counter[str] = Counter()
        for asset in live:
            day = asset.end_of_support
            if day is None:
                continue
            if day < today:
                counted["already ended"] += 1
            elif Term.of(day) > shown[-1]:
                counted["later"] += 1
            else:
                counted[Term.of(day).label] += 1
        for label in ["already ended", *(t.label for t in shown), "later"]:
            terms.append(TermCount(school=school, term=label, count=counted[label]))
    return lines, terms
