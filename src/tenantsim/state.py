"""What every request handler shares: the data, the issued tokens, the faults."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request

from tenantsim.faults import Faults
from tenantsim.store import Store
from tenantsim.tokens import TokenRegistry


@dataclass
class SimState:
    """The simulator's state (one per process)."""

    store: Store
    tokens: TokenRegistry
    faults: Faults
    control_token: str | None = None


async def read_form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (what OAuth token requests send)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))
