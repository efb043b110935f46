"""Hypothesis: any sequence of valid and invalid commands keeps every line's buckets summing to
its ordered quantity, allocations equal to allocated + released, and inventory levels (ATP) equal
to the sum of the ledger. Refused commands change nothing."""
from __future__ import annotations

import itertools
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.adapters import tables as t
from core.bootstrap import bootstrap
from core.domain import commands as c
from core.domain.errors import DomainError
from gateway.cli.setup import load_demo_data

SKUS = ["DEMO-100", "DEMO-200", "DEMO-300", "DEMO-900", "NOPE"]
qty = st.integers(min_value=-2, max_value=60).map(D)
op = st.one_of(
    st.tuples(st.just("place"), st.lists(st.tuples(st.sampled_from(SKUS), qty), min_size=1, max_size=4)),
    st.tuples(st.just("ship"), st.integers(0, 3), qty),
    st.tuples(st.just("ship_all"), st.integers(0, 3)),
    st.tuples(st.just("invoice"), st.integers(0, 3)),
    st.tuples(st.just("cancel"), st.integers(0, 3), qty),
    st.tuples(st.just("change"), st.integers(0, 3), qty),
    st.tuples(st.just("release"), st.integers(0, 3)),
    st.tuples(st.just("adjust"), st.sampled_from(SKUS[:3]), st.integers(-30, 30).map(D)),
    st.tuples(st.just("source"), st.integers(0, 3)),
)


@pytest.fixture(scope="module")
def shared_core(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("prop") / "p.db"
    core = bootstrap(f"sqlite:///{path}", migrate_first=True)
    load_demo_data(core)
    yield core
    core.close()


counter = itertools.count()


def check(core) -> None:
    totals = core.inventory.ledger_totals()
    with core.engine.connect() as conn:
        for r in conn.execute(select(t.inventory_levels)):
            assert (D(str(r.on_hand)), D(str(r.reserved)), D(str(r.in_transit))) == \
                totals.get((r.sku, r.location), (0, 0, 0))
        allocs: dict[int, D] = {}
        for a in conn.execute(select(t.allocations)):
            allocs[a.line_id] = allocs.get(a.line_id, D(0)) + D(str(a.allocated)) + D(str(a.released))
        for li in conn.execute(select(t.order_lines)):
            buckets = sum(D(str(getattr(li, b))) for b in (
                "open", "accepted", "backordered", "rejected", "allocated", "released", "shipped",
                "invoiced", "cancelled"))
            assert buckets == D(str(li.ordered))
            assert min(D(str(getattr(li, b))) for b in ("open", "allocated", "shipped")) >= 0
            assert allocs.get(li.id, D(0)) == D(str(li.allocated)) + D(str(li.released))


@settings(max_examples=25)
@given(ops=st.lists(op, min_size=1, max_size=8))
def test_invariants_hold_for_any_command_sequence(shared_core, ops) -> None:
    core = shared_core
    run = next(counter)
    orders: list[int] = []
    for step in ops:
        name = step[0]
        target = (orders[step[1] % len(orders)] if orders and name not in ("place", "adjust")
                  else None)
        try:
            if name == "place":
                lines = tuple(c.OrderLineInput(str(i + 1), q, sku=s) for i, (s, q) in enumerate(step[1]))
                out = core.handle(c.PlaceOrder(f"H{run}-{len(orders)}", lines,
                                               partner_id="demo-retailer",
                                               parties=(c.Party("ship_to", postal_code="60601"),)))
                orders.append(out.order_id)
            elif name == "adjust":
                core.handle(c.AdjustInventory(step[1], "WH-EAST", step[2]))
            elif target is None:
                continue
            elif name == "ship":
                core.handle(c.RecordShipment(order_id=target, lines=(c.ShipLine("1", step[2]),)))
            elif name == "ship_all":
                core.handle(c.RecordShipment(order_id=target))
            elif name == "invoice":
                core.handle(c.IssueInvoice(order_id=target))
            elif name == "cancel":
                core.handle(c.CancelLines(order_id=target, lines=(c.CancelLine("1", step[2]),)))
            elif name == "change":
                core.handle(c.ChangeOrder(order_id=target, changes=(c.LineChange("1", quantity=step[2]),)))
            elif name == "release":
                core.handle(c.ReleaseToFulfillment(order_id=target))
            elif name == "source":
                core.handle(c.SourceOrder(order_id=target))
        except DomainError:
            pass  # refused: the check below proves nothing was partly applied
        check(core)
