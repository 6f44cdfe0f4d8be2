"""Page tokens: opaque to clients (base64 of a small JSON), carrying where the next page starts.

A token made ``dead`` (a ``dead_link`` fault) leads nowhere: reading it raises
:class:`PageTokenError`, which the APIs answer with 404.

>>> read_token(make_token(200))
200
>>> read_token(make_token(200, dead=True))
Traceback (most recent call last):
...
tenantsim.paging.PageTokenError: the page this link pointed to is gone
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class PageTokenError(Exception):
    """A page token that was not made here, or that leads nowhere."""


def make_token(offset: int, *, dead: bool = False) -> str:
    """An opaque token for the page starting at ``offset``."""
    raw = json.dumps({"o": offset, "d": dead}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(b"tsim" + raw).decode().rstrip("=")


def read_token(token: str) -> int:
    """The offset a token points to; PageTokenError when it is not one of ours or dead."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        if not raw.startswith(b"tsim"):
            raise ValueError("not ours")
        data: dict[str, Any] = json.loads(raw[4:])
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise PageTokenError(f"not a valid page token: {exc}") from None
    if data.get("d"):
        raise PageTokenError("the page this link pointed to is gone")
    return offset


def page(items: Sequence[T], offset: int, size: int) -> tuple[Sequence[T], int | None]:
    """The items of one page and the offset of the next (None on the last page).

    >>> page([1, 2, 3], 0, 2)
    ([1, 2], 2)
    >>> page([1, 2, 3], 2, 2)
    ([3], None)
    """
    chunk = items[offset : offset + size]
    following = offset + size
    return chunk, (following if following < len(items) else None)
