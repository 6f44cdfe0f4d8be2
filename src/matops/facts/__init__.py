"""Facts: what matops observes about a target, each with its evidence.

Collectors do all the I/O (inventory, saved configs, SSH); checks only judge the values. Every
fact a check may ask for is declared once in :mod:`matops.facts.catalogue`.
"""

from matops.facts.model import (
    Evidence,
    Fact,
    FactError,
    FactProvider,
    FactUnavailableError,
    Subject,
    TargetUnreachableError,
)

__all__ = [
    "Evidence",
    "Fact",
    "FactError",
    "FactProvider",
    "FactUnavailableError",
    "Subject",
    "TargetUnreachableError",
]
