"""Every docstring example in tenantsim runs (the package walk finds new modules by itself)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tenantsim

MODULES = sorted(m.name for m in pkgutil.walk_packages(tenantsim.__path__, "tenantsim."))


def test_the_walk_reaches_the_modules() -> None:
    assert {"tenantsim.query", "tenantsim.paging", "tenantsim.faults"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
