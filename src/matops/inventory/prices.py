"""The trust's price list, ``inventories/<trust>/prices.yml``: unit prices in pounds for
replacements, by model (the register's ``model`` text, exactly) and by asset type. Read by the
inventory loader (its problems are the inventory's) and by the handbook's five-year plan
(:mod:`matops.handbook.budget`)::

    prices:
      models:
        C9200L-24P-4G: 2150.00
      types:
        laptop: 520.00
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from matops.inventory.model import AssetType
from matops.source.problems import Problem
from matops.source.pydantic_errors import validate_node
from matops.source.yamlsrc import LineDict, YamlSyntaxError, load_yaml_file

PRICES_FILE = "prices.yml"
"""The price list's name in the trust folder."""

Price = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
ModelName = Annotated[str, StringConstraints(min_length=1)]


class Prices(BaseModel):
    """Unit prices in pounds, by model (the register's ``model`` text) and by asset type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    models: dict[ModelName, Price] = Field(default_factory=dict)
    types: dict[AssetType, Price] = Field(default_factory=dict)


class PriceList(BaseModel):
    """``prices.yml``: the trust's unit prices for replacements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prices: Prices = Field(default_factory=Prices)


def load_prices(
    path: Path, parse: Callable[[Path], Any] = load_yaml_file
) -> tuple[PriceList, list[Problem]]:
    """Read ``prices.yml``; a missing file is an empty list (every row unpriced). ``parse``
    reads the YAML (the inventory loader passes the one that parses each file once).

    Problems name the file and line (``prices.yml:7: prices.types.lorry: ...``).
    """
    if not path.is_file():
        return PriceList(), []
    try:
        node = parse(path)
    except YamlSyntaxError as exc:
        return PriceList(), [Problem(path, exc.line, str(exc))]
    found, problems = validate_node(PriceList, node if node is not None else LineDict(), path)
    return (found or PriceList()), problems
