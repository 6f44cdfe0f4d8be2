"""The examples in the network modules' docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "matops.network.backup",
    "matops.network.connect",
    "matops.network.context",
    "matops.network.jobs",
    "matops.network.diff",
    "matops.network.module_entry",
    "matops.network.platforms",
    "matops.network.push",
    "matops.network.redact",
    "matops.network.render",
    "matops.network.safety",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
