"""Sourcing rules as data, the ledger effects table, and the sourcing planner (no database)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.domain.errors import ConfigurationError, InvariantViolation
from core.domain.model import Order, OrderLine
from core.inventory.ledger import EFFECTS, Ledger, Level, MovementKind
from core.inventory.locations import Location
from core.inventory.rules import DEFAULT_RULES_YAML, parse_rules
from core.inventory.sourcing import Sourcer


def test_default_rules_parse() -> None:
    rules = parse_rules(DEFAULT_RULES_YAML)
    assert [r.name for r in rules.rules] == ["nearest-warehouse", "stores", "drop-ship"]


def test_bad_rules_name_file_and_key() -> None:
    with pytest.raises(ConfigurationError) as info:
        parse_rules("rules:\n  - name: x\n    split: sometimes\n", "HOME/sourcing.yaml")
    assert "HOME/sourcing.yaml" in info.value.message and "rules.0.split" in info.value.message


def test_every_movement_kind_has_an_effect() -> None:
    assert set(EFFECTS) == set(MovementKind)


def test_ledger_refuses_negative_on_hand() -> None:
    ledger = Ledger({("A", "W"): Level("A", "W", on_hand=D(2))})
    with pytest.raises(InvariantViolation):
        ledger.post(MovementKind.ADJUSTMENT, "A", "W", D(-3))
    ledger.post(MovementKind.ADJUSTMENT, "A", "W", D(-2))
    assert ledger.levels[("A", "W")].on_hand == 0


LOCS = [Location("WH-EAST", "warehouse", postal_code="08817"),
        Location("WH-WEST", "warehouse", postal_code="91761"),
        Location("STORE-12", "store", postal_code="62701"),
        Location("demo-vendor", "dropship", postal_code="10001")]


def plan(stock: dict[tuple[str, str], int], qty: int, sku: str = "A", zip_code: str = "10001",
         vendor_items: dict | None = None):
    ledger = Ledger({k: Level(k[0], k[1], on_hand=D(v)) for k, v in stock.items()})
    order = Order("PO", "web", parties=[{"role": "ship_to", "postal_code": zip_code, "country": "US"}])
    li = OrderLine("1", D(qty), sku=sku)
    order.lines.append(li)
    s = Sourcer(parse_rules(DEFAULT_RULES_YAML), LOCS, vendor_items or {}, ledger)
    return s.plan(order, [(li, D(qty), frozenset())])


def test_nearest_warehouse_first() -> None:
    p = plan({("A", "WH-EAST"): 10, ("A", "WH-WEST"): 10}, 5, zip_code="10001")
    assert [(x.location.code, x.quantity) for x in p.lines[0].placements] == [("WH-EAST", 5)]
    p = plan({("A", "WH-EAST"): 10, ("A", "WH-WEST"): 10}, 5, zip_code="90001")
    assert [(x.location.code, x.quantity) for x in p.lines[0].placements] == [("WH-WEST", 5)]


def test_split_then_store_then_backorder() -> None:
    p = plan({("A", "WH-EAST"): 3, ("A", "WH-WEST"): 2, ("A", "STORE-12"): 1}, 10)
    lp = p.lines[0]
    assert [(x.location.code, x.quantity) for x in lp.placements] == [("WH-EAST", 3), ("WH-WEST", 2)]
    assert lp.fallback == "backorder" and lp.remaining == 5
    explained = p.explanation()
    assert explained["rules"]["nearest-warehouse"]["excluded"]["STORE-12"].startswith("type store")
    assert ["STORE-12", "1", "stores"] in explained["lines"][0]["short"]


def test_dropship_when_no_stock_and_vendor_carries_item() -> None:
    p = plan({}, 4, sku="V", vendor_items={("demo-vendor", "V"): D("3")})
    assert [(x.location.code, x.rule) for x in p.lines[0].placements] == [("demo-vendor", "drop-ship")]


def test_replay_posts_what_was_posted_on_a_snapshot() -> None:
    """Movements posted on one ledger, replayed on another over the same levels, leave it as
    posting them there would: levels, deltas to save, movements (stamped anew)."""
    def fresh() -> Ledger:
        return Ledger({("A", "W"): Level("A", "W", on_hand=D(10), reserved=D(3)),
                       ("B", "W"): Level("B", "W", on_hand=D(5))})

    snapshot, direct, replayed = fresh(), fresh(), fresh()
    for ledger in (snapshot, direct):
        ledger.post(MovementKind.RESERVATION, "A", "W", D(4), reference="r1")
        ledger.post(MovementKind.RESERVATION, "A", "W", D(2), reference="r2")
        ledger.post(MovementKind.RELEASE, "A", "W", D(1), reference="r3")
        ledger.post(MovementKind.SHIPMENT, "B", "W", D(0), reference="r4")
    replayed.replay(snapshot.movements, at=None)
    assert replayed.levels == direct.levels
    assert replayed.deltas == direct.deltas
    assert [m["reference"] for m in replayed.movements] == ["r1", "r2", "r3", "r4"]


def test_a_refused_replay_changes_nothing() -> None:
    snapshot = Ledger({("A", "W"): Level("A", "W", on_hand=D(10)),
                       ("B", "W"): Level("B", "W", on_hand=D(10))})
    snapshot.post(MovementKind.RESERVATION, "A", "W", D(4))
    snapshot.post(MovementKind.SHIPMENT, "B", "W", D(6), allow_negative=True)
    target = Ledger({("A", "W"): Level("A", "W", on_hand=D(10)),
                     ("B", "W"): Level("B", "W", on_hand=D(5))})   # B has less than it ships
    before = {k: (v.on_hand, v.reserved, v.in_transit) for k, v in target.levels.items()}
    with pytest.raises(InvariantViolation):
        target.replay(snapshot.movements, at=None)
    assert {k: (v.on_hand, v.reserved, v.in_transit) for k, v in target.levels.items()} == before
    assert target.movements == [] and target.deltas == {}
