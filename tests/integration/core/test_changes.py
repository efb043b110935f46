"""Manual acknowledgement, changes (what an 860 needs), holds on release, read-model paging,
and concurrent placement of one PO (PostgreSQL: two processes' worth of connections)."""
from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from core.adapters import tables as t
from core.domain import commands as c
from core.domain.errors import HoldBlocks, IllegalTransition, InvalidCommand, InvariantViolation

SHIP_TO = (c.Party("ship_to", postal_code="10001"),)


def place(core, po="C1", qty=10, **kw):
    return core.handle(c.PlaceOrder(po, (c.OrderLineInput("1", D(qty), sku="DEMO-100"),
                                         c.OrderLineInput("2", D(4), sku="DEMO-200")),
                                    partner_id="demo-retailer", parties=SHIP_TO, **kw))


def test_manual_ack_per_line(core) -> None:
    out = place(core, auto_source=False)
    core.handle(c.AcknowledgeOrder(order_id=out.order_id, lines=(
        c.AckLine("1", c.AckAction.CHANGE, quantity=D(8), unit_price=D("11")),
        c.AckLine("2", c.AckAction.REJECT, reason="discontinued"))))
    order = core.orders.get(out.order_id)
    assert order["lines"][0]["ordered"] == "8"
    assert order["lines"][1]["status"] == "rejected"
    with core.engine.connect() as conn:
        codes = sorted((r.line_number, r.status_code, r.reason) for r in
                       conn.execute(select(t.acknowledgement_lines)))
    assert codes == [("1", "IC", ""), ("2", "IR", "discontinued")]


def test_change_order_quantities_and_refusals(core) -> None:
    out = place(core)
    core.handle(c.ChangeOrder(order_id=out.order_id, changes=(c.LineChange("1", quantity=D(12)),)))
    line = core.orders.get(out.order_id)["lines"][0]
    assert (line["ordered"], line["quantities"]["allocated"]) == ("12", "12")
    core.handle(c.RecordShipment(order_id=out.order_id, lines=(c.ShipLine("1", D(5)),)))
    with pytest.raises(InvariantViolation) as info:
        core.handle(c.ChangeOrder(order_id=out.order_id, changes=(c.LineChange("1", quantity=D(3)),)))
    assert info.value.numbers["minimum"] == 5
    core.handle(c.ChangeOrder(order_id=out.order_id, changes=(c.LineChange("1", quantity=D(6)),)))
    assert core.orders.get(out.order_id)["lines"][0]["quantities"]["allocated"] == "1"
    core.handle(c.IssueInvoice(order_id=out.order_id))
    with pytest.raises(IllegalTransition):
        core.handle(c.ChangeOrder(order_id=out.order_id, changes=(c.LineChange("1", unit_price=D(1)),)))
    with pytest.raises(InvalidCommand):
        core.handle(c.ChangeOrder(order_id=out.order_id, changes=(c.LineChange("1", quantity="lots"),)))


def test_credit_hold_blocks_release_and_ship_until_resolved(core) -> None:
    out = place(core)
    hold = core.handle(c.PlaceHold(order_id=out.order_id, hold_type="credit", reason="over limit"))
    with pytest.raises(HoldBlocks):
        core.handle(c.ReleaseToFulfillment(order_id=out.order_id))
    with pytest.raises(HoldBlocks):
        core.handle(c.RecordShipment(order_id=out.order_id))
    core.handle(c.ResolveHold(order_id=out.order_id, hold_id=hold.ids["hold_id"], resolution="paid"))
    core.handle(c.ReleaseToFulfillment(order_id=out.order_id))
    assert core.orders.get(out.order_id)["status"] == "released"
    with pytest.raises(InvalidCommand):
        core.handle(c.PlaceHold(order_id=out.order_id, hold_type="weather"))


def test_list_filters_and_paging(core) -> None:
    for i in range(5):
        place(core, po=f"L{i}", qty=1)
    core.handle(c.CancelOrder(po_number="L0"))
    page = core.orders.list(limit=2, offset=1)
    assert page["total"] == 5 and [o["po_number"] for o in page["orders"]] == ["L3", "L2"]
    assert [o["po_number"] for o in core.orders.list(status="cancelled")["orders"]] == ["L0"]


def test_concurrent_placement_of_one_po_makes_one_order(core) -> None:
    cmd = c.PlaceOrder("RACE", (c.OrderLineInput("1", D(1), sku="DEMO-100"),),
                       partner_id="demo-retailer", parties=SHIP_TO)
    results, errors = [], []

    def go() -> None:
        try:
            results.append(core.handle(cmd))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len({r.order_id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    with core.engine.connect() as conn:
        assert conn.execute(select(t.outbox)).all().__len__() == 1
