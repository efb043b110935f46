"""Order flows through the real database (SQLite file and a real PostgreSQL)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from core.adapters import tables as t
from core.domain import commands as c
from core.domain.errors import HoldBlocks, InvariantViolation

SHIP_TO = (c.Party("ship_to", name="Buyer", postal_code="10001", state="NY"),)


def place(core, po="PO1", lines=None, partner="demo-retailer", **kw):
    lines = lines or (c.OrderLineInput("1", D(10), sku="DEMO-100", unit_price=D("12.50")),)
    return core.handle(c.PlaceOrder(po, tuple(lines), partner_id=partner, parties=SHIP_TO, **kw))


def outbox(core):
    with core.engine.connect() as conn:
        return [(r.document_type, r.partner_id, r.payload_ref) for r in
                conn.execute(select(t.outbox).order_by(t.outbox.c.id))]


def atp_matches_ledger(core) -> None:
    totals = core.inventory.ledger_totals()
    with core.engine.connect() as conn:
        for r in conn.execute(select(t.inventory_levels)):
            assert (D(str(r.on_hand)), D(str(r.reserved)), D(str(r.in_transit))) == \
                totals.get((r.sku, r.location), (0, 0, 0)), (r.sku, r.location)


def test_place_sources_and_acknowledges_once(core) -> None:
    out = place(core, lines=(c.OrderLineInput("1", D(120), sku="DEMO-100"),
                             c.OrderLineInput("2", D(1), sku="NOPE")))
    order = core.orders.get(out.order_id)
    l1, l2 = order["lines"]
    assert l1["quantities"]["allocated"] == "120"
    assert [(a["location"], a["quantity"]) for a in l1["allocations"]] == [("WH-EAST", "100"),
                                                                           ("WH-WEST", "20")]
    assert l2["status"] == "rejected" and l2["reject_reason"] == "unknown item"
    assert outbox(core) == [("855", "demo-retailer", {"acknowledgement_id": out.ids["acknowledgement_id"]})]
    with core.engine.connect() as conn:
        codes = sorted((r.line_number, r.status_code, D(str(r.quantity))) for r in
                       conn.execute(select(t.acknowledgement_lines)))
    assert codes == [("1", "IA", 120), ("2", "IR", 1)]
    again = place(core, lines=(c.OrderLineInput("1", D(5), sku="DEMO-100"),))
    assert again.created is False and again.order_id == out.order_id
    assert len(outbox(core)) == 1
    atp_matches_ledger(core)


def placed(line) -> list[tuple[str, str]]:
    """A line's allocations as (location, quantity)."""
    return [(a["location"], a["quantity"]) for a in line["allocations"]]


def east_fully_reserved(core) -> bool:
    """WH-EAST's 100 of DEMO-100 all reserved, and no more."""
    on_hand, reserved, _ = core.inventory.ledger_totals()[("DEMO-100", "WH-EAST")]
    return reserved == on_hand == 100


def test_two_lines_of_one_item_do_not_count_the_same_stock(core) -> None:
    """WH-EAST has 100 of DEMO-100: two lines of 60 cannot both be placed there."""
    out = place(core, lines=(c.OrderLineInput("1", D(60), sku="DEMO-100"),
                             c.OrderLineInput("2", D(60), sku="DEMO-100")))
    l1, l2 = core.orders.get(out.order_id)["lines"]
    assert placed(l1) == [("WH-EAST", "60")]
    assert placed(l2) == [("WH-EAST", "40"), ("WH-WEST", "20")]
    assert east_fully_reserved(core)
    atp_matches_ledger(core)


def test_ship_invoice_and_refusals_leave_nothing_half_done(core) -> None:
    out = place(core)
    with pytest.raises(InvariantViolation) as info:
        core.handle(c.RecordShipment(order_id=out.order_id, lines=(c.ShipLine("1", D(11)),)))
    assert info.value.line == "1" and info.value.numbers["requested"] == 11
    core.handle(c.RecordShipment(order_id=out.order_id, lines=(c.ShipLine("1", D(4)),),
                                 carrier="UPSN", tracking="1Z1"))
    with pytest.raises(InvariantViolation):
        core.handle(c.IssueInvoice(order_id=out.order_id, lines=(c.InvoiceLine("1", D(5)),)))
    inv = core.handle(c.IssueInvoice(order_id=out.order_id))
    order = core.orders.get(out.order_id)
    assert order["lines"][0]["quantities"]["invoiced"] == "4"
    assert order["status"] == "partially_shipped"
    assert [d for d, _, _ in outbox(core)] == ["855", "856", "810"]
    with core.engine.connect() as conn:
        total = conn.execute(select(t.invoices.c.total).where(t.invoices.c.id == inv.ids["invoice_id"])).scalar()
    assert D(str(total)) == D("50.00")
    item = core.inventory.item("DEMO-100")
    east = next(x for x in item["locations"] if x["location"] == "WH-EAST")
    assert (east["on_hand"], east["reserved"], east["available"]) == ("96", "6", "90")
    atp_matches_ledger(core)


def test_cancel_releases_reservations_and_refuses_after_shipment(core) -> None:
    out = place(core)
    core.handle(c.RecordShipment(order_id=out.order_id))
    with pytest.raises(Exception) as info:
        core.handle(c.CancelOrder(order_id=out.order_id, reason="late"))
    assert info.value.state == "shipped"
    out2 = place(core, po="PO2")
    core.handle(c.CancelOrder(order_id=out2.order_id, reason="buyer"))
    assert core.orders.get(out2.order_id)["status"] == "cancelled"
    atp_matches_ledger(core)


def test_price_hold_blocks_ack_until_resolved(core) -> None:
    out = place(core, auto_source=False)
    core.handle(c.PlaceHold(order_id=out.order_id, hold_type=c.HoldType.PRICE_MISMATCH, reason="x"))
    core.handle(c.SourceOrder(order_id=out.order_id))
    assert outbox(core) == []
    with pytest.raises(HoldBlocks):
        core.handle(c.AcknowledgeOrder(order_id=out.order_id))
    res = core.handle(c.ResolveHold(order_id=out.order_id, hold_type="price_mismatch"))
    assert "acknowledgement_id" in res.ids
    assert [d for d, _, _ in outbox(core)] == ["855"]


def test_dropship_vendor_flow(core) -> None:
    out = place(core, lines=(c.OrderLineInput("1", D(2), sku="DEMO-900", unit_price=D("99")),))
    box = outbox(core)
    assert ("850", "demo-vendor") in [(d, p) for d, p, _ in box]
    vo_id = next(ref["vendor_order_id"] for d, _, ref in box if d == "850")
    with core.engine.connect() as conn:
        po = conn.execute(select(t.vendor_orders.c.po_number).where(t.vendor_orders.c.id == vo_id)).scalar()
    core.handle(c.RecordVendorAcknowledgement("demo-vendor", po, (c.VendorAckLine("1", "IA", D(2)),)))
    res = core.handle(c.RecordVendorShipment("demo-vendor", po, "VSH1",
                                             (c.VendorShipLine("1", D(2), sscc="106141411234567897"),),
                                             carrier="FDEG", tracking="T1"))
    assert "shipment_id" in res.ids
    again = core.handle(c.RecordVendorShipment("demo-vendor", po, "VSH1", (c.VendorShipLine("1", D(2)),)))
    assert again.created is False
    core.handle(c.RecordVendorInvoice("demo-vendor", po, "VINV1",
                                      (c.VendorInvoiceLine("1", D(2), D("60")),), total=D("120")))
    order = core.orders.get(out.order_id)
    assert order["lines"][0]["quantities"]["invoiced"] == "2"
    assert [d for d, _, _ in outbox(core)] == ["850", "855", "856", "810"]
    atp_matches_ledger(core)


def test_vendor_rejection_resources_the_line(core) -> None:
    out = place(core, lines=(c.OrderLineInput("1", D(2), sku="DEMO-900"),))
    with core.engine.connect() as conn:
        po = conn.execute(select(t.vendor_orders.c.po_number)).scalar()
    core.handle(c.RecordVendorAcknowledgement("demo-vendor", po,
                                              (c.VendorAckLine("1", "IR", D(2), reason="discontinued"),)))
    order = core.orders.get(out.order_id)
    assert order["lines"][0]["quantities"]["backordered"] == "2"
    assert order["history"][-1]["event"] == "sourced"
    atp_matches_ledger(core)


def test_returns_restock(core) -> None:
    out = place(core)
    core.handle(c.RecordShipment(order_id=out.order_id))
    with pytest.raises(InvariantViolation):
        core.handle(c.CreateReturn(order_id=out.order_id, lines=(c.ReturnLine("1", D(11)),)))
    rma = core.handle(c.CreateReturn(order_id=out.order_id, lines=(c.ReturnLine("1", D(3)),)))
    core.handle(c.ReceiveReturn(rma.ids["rma_number"], "WH-WEST"))
    assert core.orders.get(out.order_id)["lines"][0]["quantities"]["returned"] == "3"
    west = next(x for x in core.inventory.item("DEMO-100")["locations"] if x["location"] == "WH-WEST")
    assert west["on_hand"] == "53"
    atp_matches_ledger(core)


def test_stock_vendor_po_in_transit_then_received(core) -> None:
    out = core.handle(c.CreateVendorOrder("acme", (c.VendorOrderLine("1", "DEMO-200", D(7)),), "WH-EAST"))
    core.handle(c.RecordVendorShipment("acme", out.po_number, "S1", (c.VendorShipLine("1", D(7)),)))
    east = next(x for x in core.inventory.item("DEMO-200")["locations"] if x["location"] == "WH-EAST")
    assert (east["on_hand"], east["in_transit"]) == ("0", "7")
    core.handle(c.ReceiveVendorShipment("acme", "S1"))
    east = next(x for x in core.inventory.item("DEMO-200")["locations"] if x["location"] == "WH-EAST")
    assert (east["on_hand"], east["in_transit"]) == ("7", "0")
    atp_matches_ledger(core)


def test_batch_places_each_order_on_its_own(core) -> None:
    good = c.PlaceOrder("B1", (c.OrderLineInput("1", D(3), sku="DEMO-100"),), partner_id="demo-retailer",
                        parties=SHIP_TO)
    bad = c.PlaceOrder("B2", (c.OrderLineInput("1", D(-1), sku="DEMO-100"),), partner_id="demo-retailer")
    dup = c.PlaceOrder("B1", (c.OrderLineInput("1", D(9), sku="DEMO-100"),), partner_id="demo-retailer")
    other = c.PlaceOrder("B3", (c.OrderLineInput("1", D(2), sku="DEMO-900"),
                                c.OrderLineInput("2", D(2), sku="DEMO-200")), channel="web",
                         parties=SHIP_TO)
    results = core.handle_batch([good, bad, dup, other, c.SourceOrder(po_number="B3")])
    assert results[0].created and results[0].status == "allocated"
    assert results[1].code == "invalid_command" and results[1].line == "1"
    assert results[2].created is False and results[2].order_id == results[0].order_id
    assert results[3].created and results[3].ids.get("vendor_order_ids")
    assert isinstance(results[4], c.Outcome) and results[4].status == "allocated"
    assert core.orders.list()["total"] == 2
    assert sorted(d for d, _, _ in outbox(core)) == ["850", "855"]
    again = core.handle_batch([good])
    assert again[0].created is False
    atp_matches_ledger(core)


def _sourced(core, order_id):
    (event,) = [h for h in core.orders.get(order_id)["history"] if h["event"] == "sourced"]
    return event["detail"]


def test_batch_ranks_each_destination_like_a_single_order(core) -> None:
    """A batch ranks candidates once per destination (a cache in the unit of work's sourcer):
    each order still gets its own destination's ranking, the same as when placed alone."""
    west = (c.Party("ship_to", name="Buyer", postal_code="91761", state="CA"),)
    line = (c.OrderLineInput("1", D(2), sku="DEMO-100"),)
    east1, west1, east2 = core.handle_batch([
        c.PlaceOrder("R1", line, channel="web", parties=SHIP_TO),
        c.PlaceOrder("R2", line, channel="web", parties=west),
        c.PlaceOrder("R3", line, channel="web", parties=SHIP_TO)])
    alone = core.handle(c.PlaceOrder("R4", line, channel="web", parties=west))
    assert _sourced(core, west1.order_id)["rules"] == _sourced(core, alone.order_id)["rules"]
    assert _sourced(core, east1.order_id)["rules"] == _sourced(core, east2.order_id)["rules"]
    assert _sourced(core, east1.order_id)["rules"] != _sourced(core, west1.order_id)["rules"]
    placed = {o.po_number: core.orders.get(o.order_id)["lines"][0]["allocations"][0]["location"]
              for o in (east1, west1, east2, alone)}
    assert placed == {"R1": "WH-EAST", "R2": "WH-WEST", "R3": "WH-EAST", "R4": "WH-WEST"}
    atp_matches_ledger(core)


def test_bulk_batch_stores_what_single_orders_store(core, monkeypatch) -> None:
    """A batch big enough for the bulk paths (PostgreSQL: COPY and one UPDATE for the levels;
    SQLite: quantities bound as ints/floats) reads back exactly like orders placed one by one:
    fractions, prices, dates, JSON, booleans, rejected lines and the ledger."""
    from datetime import date

    def lines(n):
        return tuple(c.OrderLineInput(str(i), D("2.5") if i % 3 == 0 else D(1),
                                      sku="NOPE" if i == 7 else "DEMO-100",
                                      unit_price=D("12.3456"), description=f"line {i}",
                                      requested_ship_date=date(2026, 12, i % 28 + 1))
                     for i in range(1, n + 1))

    batch = [c.PlaceOrder(f"BULK{k}", lines(12), partner_id="demo-retailer", parties=SHIP_TO,
                          references=(("CO", f"ref-{k}"),)) for k in range(3)]
    single = c.PlaceOrder("ONE", lines(12), partner_id="demo-retailer", parties=SHIP_TO,
                          references=(("CO", "ref-1"),))
    results = core.handle_batch(batch)
    from core.adapters import bulk

    monkeypatch.setattr(bulk, "COPY_FROM", 10**9)  # PostgreSQL: plain executemany this time
    alone = core.handle(single)

    def shape(order_id):
        o = core.orders.get(order_id)
        keep = ("status", "currency", "references", "parties")
        lines_ = [{k: v for k, v in li.items()} for li in o["lines"]]
        events = [(h["event"], sorted(h["detail"])) for h in o["history"]]
        return {k: o.get(k) for k in keep}, lines_, events

    batch_shape = shape(results[1].order_id)
    alone_shape = shape(alone.order_id)
    assert batch_shape[0]["references"] == alone_shape[0]["references"]
    assert batch_shape[1] == alone_shape[1]
    assert batch_shape[2] == alone_shape[2]
    (l3,) = [li for li in batch_shape[1] if li["line_number"] == "3"]
    assert l3["ordered"] == "2.5" and l3["unit_price"] == "12.3456"
    (l7,) = [li for li in batch_shape[1] if li["line_number"] == "7"]
    assert l7["status"] == "rejected" and l7["reject_reason"] == "unknown item"
    with core.engine.connect() as conn:
        ack = conn.execute(select(t.acknowledgements).where(
            t.acknowledgements.c.order_id == results[1].order_id)).one()
        ack_lines = conn.execute(select(t.acknowledgement_lines).where(
            t.acknowledgement_lines.c.acknowledgement_id == ack.id)).all()
    assert ack.automatic is True
    assert {r.date for r in ack_lines} >= {date(2026, 12, 4)}
    assert sorted(D(str(r.quantity)) for r in ack_lines if r.status_code == "IR") == [D(1)]
    atp_matches_ledger(core)
