"""The examples in the report modules' docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "matops.report.build",
    "matops.report.html",
    "matops.report.registry",
    "matops.report.standing",
    "matops.report.templates",
    "matops.report.text",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
