"""Hypothesis on the domain alone: any sequence of bucket moves, valid or not, keeps the buckets
summing to the ordered quantity with none negative, and a refused move changes nothing."""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from core.domain.errors import DomainError
from core.domain.model import OrderLine
from core.domain.transitions import STEP_MOVES, Step
from core.inventory.ledger import EFFECTS, Ledger, MovementKind
from core.services.history_text import describe

moves = st.lists(st.tuples(st.sampled_from(sorted(STEP_MOVES, key=lambda s: s.value)),
                           st.integers(-3, 12).map(D)), max_size=25)


@given(ordered=st.integers(1, 20).map(D), steps=moves)
def test_buckets_always_add_up(ordered: D, steps: list[tuple[Step, D]]) -> None:
    line = OrderLine("1", ordered, sku="A")
    for step, qty in steps:
        before = dict(line.q)
        try:
            line.move(step, qty, "test")
        except DomainError:
            assert line.q == before
        assert sum(line.q.values()) == ordered
        assert min(line.q.values()) >= 0


@given(st.lists(st.tuples(st.sampled_from(sorted(MovementKind, key=lambda k: k.value)),
                          st.integers(0, 10).map(D)), max_size=30))
def test_levels_equal_the_sum_of_movements(posts: list[tuple[MovementKind, D]]) -> None:
    ledger = Ledger()
    for kind, qty in posts:
        try:
            ledger.post(kind, "A", "W", qty)
        except DomainError:
            pass
    level = ledger.level("A", "W")
    sums = [sum((m[k] for m in ledger.movements), D(0))
            for k in ("on_hand_delta", "reserved_delta", "in_transit_delta")]
    assert sums == [level.on_hand, level.reserved, level.in_transit]
    assert level.available == level.on_hand - level.reserved - level.safety_stock
    assert all(len(e) == 3 for e in EFFECTS.values())


def test_sourcing_history_names_the_rule_and_the_losers() -> None:
    detail = {"rules": {"nearest-warehouse": {"ranked": [["WH-EAST", 42.5], ["WH-WEST", 3884.7]],
                                              "excluded": {"STORE-12": "type store not in warehouse"}}},
              "lines": [{"line": "1", "sku": "A", "quantity": "5",
                         "placed": [["WH-EAST", "5", "nearest-warehouse"]],
                         "short": [["WH-WEST", "0", "nearest-warehouse"]]}]}
    text = describe("sourced", detail)
    assert "5 from WH-EAST by rule nearest-warehouse (42.5 km)" in text
    assert "WH-WEST lost under nearest-warehouse: only 0 available" in text
    assert "excluded STORE-12 (type store not in warehouse)" in text
