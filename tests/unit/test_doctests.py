"""Every docstring example in matops is true: each module's doctests run (none are listed by
hand, so a new module's examples run as soon as it exists)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import matops

MODULES = sorted(m.name for m in pkgutil.walk_packages(matops.__path__, "matops."))


def test_every_module_is_collected() -> None:
    """The walk reaches the leaf modules of every package (a broken walk would run nothing)."""
    for name in ("matops.network.redact", "matops.report.standing", "matops.facts.linux.shell"):
        assert name in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_examples_run_at_all() -> None:
    """Enough examples exist that a walk which silently found none would be noticed."""
    attempted = sum(
        doctest.testmod(importlib.import_module(n), report=False).attempted for n in MODULES
    )
    assert attempted >= 150, attempted
