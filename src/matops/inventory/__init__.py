"""The trust inventory: typed model, loader with line-numbered problems, and engine adapters."""

from matops.inventory.loader import InventoryError, LoadResult, load, load_trust
from matops.inventory.model import School, Target, Trust
from matops.source.problems import Problem, Severity

__all__ = [
    "InventoryError",
    "LoadResult",
    "Problem",
    "School",
    "Severity",
    "Target",
    "Trust",
    "load",
    "load_trust",
]
