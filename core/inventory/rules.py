"""Sourcing rules as data (HOME/sourcing.yaml), validated with pydantic. An error names the file
and the key. Rules are tried in order for each line; the fallback says what happens to what no
rule could place."""
from __future__ import annotations

from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.domain.errors import ConfigurationError


class SortKey(str, Enum):
    DISTANCE = "distance"
    PRIORITY = "priority"
    MOST_STOCK = "most_stock"
    COST = "cost"
    LEAD_TIME = "lead_time"


class SplitPolicy(str, Enum):
    ONE_LOCATION = "one_location"  # the whole remaining quantity from one location, or skip
    SPLIT = "split"  # take what each location has, up to max_splits locations per line


class Fallback(str, Enum):
    DROPSHIP = "dropship"  # any drop-ship vendor that carries the item
    BACKORDER = "backorder"
    REJECT = "reject"


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    location_types: list[str] = Field(default_factory=lambda: ["warehouse"])
    locations: list[str] = Field(default_factory=list)  # restrict to these codes
    countries: list[str] = Field(default_factory=list)  # ship-to country filter
    regions: list[str] = Field(default_factory=list)  # ship-to state/region filter
    items: list[str] = Field(default_factory=list)  # fnmatch patterns on the SKU
    channels: list[str] = Field(default_factory=list)
    min_available: float = 0
    sort: list[SortKey] = Field(default_factory=lambda: [SortKey.DISTANCE, SortKey.PRIORITY])
    split: SplitPolicy = SplitPolicy.SPLIT
    max_splits: int = Field(default=3, ge=1)


class Checks(BaseModel):
    model_config = ConfigDict(extra="forbid")

    price_mismatch_tolerance: float | None = None  # set: hold lines priced off the item list


class SourcingRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(default_factory=list)
    fallback: list[Fallback] = Field(default_factory=lambda: [Fallback.BACKORDER])
    invoice_on_vendor_invoice: bool = True  # drop-ship: a vendor 810 invoices our customer
    checks: Checks = Field(default_factory=Checks)


DEFAULT_RULES_YAML = """\
# Sourcing rules: tried in order for every line; see core/inventory/rules.py for every key.
rules:
  - name: nearest-warehouse
    location_types: [warehouse]
    sort: [distance, priority]
    split: split
    max_splits: 2
  - name: stores
    location_types: [store]
    sort: [distance, most_stock]
    split: one_location
  - name: drop-ship
    location_types: [dropship]
    sort: [cost, lead_time]
    split: one_location
fallback: [backorder]
invoice_on_vendor_invoice: true
checks:
  price_mismatch_tolerance: null
"""


def parse_rules(text: str, source: str = "sourcing.yaml") -> SourcingRules:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{source}: not valid YAML ({exc})", source=source) from None
    try:
        return SourcingRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ConfigurationError(f"{source}: {key}: {first['msg']}", source=f"{source}:{key}") from None


def load_rules(path: Path | None) -> SourcingRules:
    """The rules in `path`, or the defaults (written by `ordergate init`) when there is none."""
    if path is None or not Path(path).exists():
        return parse_rules(DEFAULT_RULES_YAML, "<default rules>")
    return parse_rules(Path(path).read_text(encoding="utf-8"), str(path))
