"""Orders built ahead (`Core.prepare_batch`) and placed later (`handle_batch(prepared=...)`):
what still holds is taken as it was built, anything that moved in between is built again, and
either way the result is what placing the batch without preparing would give."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from core.bootstrap import bootstrap
from core.domain import commands as c
from tests.integration.core.conftest import _demo
from tests.integration.core.test_flows import (SHIP_TO, atp_matches_ledger, east_fully_reserved,
                                              placed)

WEST = (c.Party("ship_to", name="Buyer", postal_code="91761", state="CA"),)


def _po(po: str, *lines: tuple[str, str, int], ship_to=SHIP_TO, **kw) -> c.PlaceOrder:
    return c.PlaceOrder(po, tuple(c.OrderLineInput(n, D(q), sku=sku) for n, sku, q in lines),
                        partner_id="demo-retailer", parties=ship_to, **kw)


def _state(core, outcomes) -> list:
    out = []
    for o in outcomes:
        if not isinstance(o, c.Outcome):
            out.append(("refused", getattr(o, "code", type(o).__name__)))
            continue
        order = core.orders.get(o.order_id)
        out.append((o.po_number, o.created, o.status, order["status"],
                    [(li["line_number"], li["status"], li["quantities"],
                      [(a["location"], a["quantity"]) for a in li["allocations"]])
                     for li in order["lines"]],
                    [(h["event"], h["detail"]) for h in order["history"]]))
    return out


def _batch() -> list[c.PlaceOrder]:
    return [
        _po("P1", ("1", "DEMO-100", 30), ("2", "DEMO-100", 30), ("3", "DEMO-200", 2)),
        _po("P2", ("1", "DEMO-100", 60), ship_to=WEST),        # more than WH-WEST has: split
        _po("P3", ("1", "NOPE", 1), ("2", "DEMO-300", 1)),      # an unknown item: line rejected
        _po("P4", ("1", "DEMO-100", -1)),                       # refused
        _po("P1", ("1", "DEMO-100", 5)),                        # a repeat in the batch
        c.PlaceOrder("P5", (c.OrderLineInput("1", D(2), upc="000000000000"),), channel="web",
                     parties=SHIP_TO),                          # by UPC: never prepared
    ]


def test_prepared_batch_places_what_a_plain_batch_places(core, tmp_path: Path, request) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    if core.engine.dialect.name == "postgresql":
        url = request.getfixturevalue("pg_cluster").create_database()
    plain = _demo(bootstrap(url, migrate_first=True))
    try:
        expected = _state(plain, plain.handle_batch(_batch()))
        batch = _batch()
        prepared = core.prepare_batch(batch)
        got = _state(core, core.handle_batch(batch, prepared=prepared))
    finally:
        plain.close()
    assert got == expected
    assert prepared.reused == len(prepared.built) == 3     # P1, P2, P3 (P4 refused, P5 by UPC)
    atp_matches_ledger(core)


def test_stock_taken_meanwhile_is_sourced_again(core) -> None:
    """WH-EAST has 100 of DEMO-100. Prepared: 80 there. Meanwhile another order takes 60, so
    the prepared plan no longer fits: the order is sourced again (40 east, 40 west)."""
    batch = [_po("S1", ("1", "DEMO-100", 80))]
    prepared = core.prepare_batch(batch)
    assert [a.location for li in prepared.built[id(batch[0])].order.lines
            for a in li.allocations] == ["WH-EAST"]   # what the snapshot had room for
    core.handle(_po("OTHER", ("1", "DEMO-100", 60)))
    (out,) = core.handle_batch(batch, prepared=prepared)
    assert prepared.reused == 0
    (line,) = core.orders.get(out.order_id)["lines"]
    assert placed(line) == [("WH-EAST", "40"), ("WH-WEST", "40")]
    assert east_fully_reserved(core)
    atp_matches_ledger(core)


def test_stock_moving_within_what_the_plan_needs_keeps_the_prepared_orders(core) -> None:
    batch = [_po("K1", ("1", "DEMO-100", 10)), _po("K2", ("1", "DEMO-100", 20))]
    prepared = core.prepare_batch(batch)
    core.handle(_po("OTHER", ("1", "DEMO-100", 5)))          # 95 left east: 30 still fit
    outcomes = core.handle_batch(batch, prepared=prepared)
    assert prepared.reused == 2
    assert [o.status for o in outcomes] == ["allocated", "allocated"]
    on_hand, reserved, _ = core.inventory.ledger_totals()[("DEMO-100", "WH-EAST")]
    assert (on_hand, reserved) == (100, 35)
    atp_matches_ledger(core)


def test_a_po_placed_meanwhile_is_a_repeat(core) -> None:
    batch = [_po("R1", ("1", "DEMO-100", 10))]
    prepared = core.prepare_batch(batch)
    first = core.handle(_po("R1", ("1", "DEMO-100", 10)))
    (again,) = core.handle_batch(batch, prepared=prepared)
    assert again.created is False and again.order_id == first.order_id
    assert core.inventory.ledger_totals()[("DEMO-100", "WH-EAST")][1] == 10   # reserved once
    atp_matches_ledger(core)


def test_a_changed_item_builds_the_batch_again(core) -> None:
    batch = [_po("I1", ("1", "DEMO-100", 1))]
    prepared = core.prepare_batch(batch)
    core.handle(c.DefineItem("DEMO-100", description="renamed", unit_price=D("99")))
    (out,) = core.handle_batch(batch, prepared=prepared)
    assert prepared.reused == 0 and out.created
    atp_matches_ledger(core)
