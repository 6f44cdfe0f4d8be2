"""One simulator per test module (real HTTPS on 127.0.0.1, the example trust's tenants), put
back to its data as loaded after every test (faults, replaced data, tokens and counters)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tenantsim import SimTenants


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimTenants]:
    started = SimTenants(Path(tmp_path_factory.mktemp("tenantsim"))).start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").reset()
