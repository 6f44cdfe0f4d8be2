"""Small pure helpers that judges share (dates, versions, text). No I/O."""

from __future__ import annotations

import re
from datetime import date

from matops.inventory.model import Asset
from matops.scan.verdict import Verdict, failed, not_applicable, passed

_TOKEN = re.compile(r"\d+|[A-Za-z]+")
_AOSCX_PREFIX = re.compile(r"^[A-Z]{2}\.(?=\d)")


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years (29 February becomes 28 February).

    >>> add_years(date(2024, 2, 29), 5)
    datetime.date(2029, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """A sortable key for firmware versions (IOS ``15.2(7)E9``, IOS-XE ``17.09.04a``, AOS-CX
    ``PL.10.13.1005``): numbers compare as numbers, letters alphabetically, longer wins a tie.

    >>> version_key("17.09.04a") > version_key("17.9.4")
    True
    >>> version_key("15.2(7)E3") < version_key("15.2(7)E9")
    True
    """
    text = _AOSCX_PREFIX.sub("", version.strip())
    return tuple(
        (1, int(token), "") if token.isdigit() else (0, 0, token.lower())
        for token in _TOKEN.findall(text)
    )


def version_at_least(version: str, minimum: str) -> bool:
    """Whether ``version`` is the same as or newer than ``minimum``.

    >>> version_at_least("PL.10.13.1005", "10.13.1000")
    True
    """
    return version_key(version) >= version_key(minimum)


def normalise_space(text: str) -> str:
    """Text with runs of whitespace collapsed, for comparing banners.

    >>> normalise_space(" a\\n  b ")
    'a b'
    """
    return " ".join(text.split())


def support_from_purchase(asset: Asset, years: int) -> Verdict:
    """Pass when the asset's end of support is at least ``years`` after its purchase.

    >>> a = Asset(asset_tag="T1", type="tablet", model="x", purchase_date=date(2024, 1, 1),
    ...           end_of_support=date(2026, 1, 1))
    >>> support_from_purchase(a, 3).status.value
    'fail'
    """
    if asset.purchase_date is None or asset.end_of_support is None:
        return not_applicable("purchase date or end of support not recorded")
    needed = add_years(asset.purchase_date, years)
    if asset.end_of_support < needed:
        return failed(
            f"bought {asset.purchase_date} with support to {asset.end_of_support}; "
            f"{years} years needs {needed}"
        )
    return passed(f"supported to {asset.end_of_support}, {years}+ years from purchase")
