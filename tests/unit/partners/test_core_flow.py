"""Inbound apply and outbound build against a real order core (SQLite file in tmp_path):
a retailer's 850 becomes an order; its 855/856/810 and the drop-ship 850 to the vendor are built
from core rows and rendered; the vendor's 855/856/810 are recorded against our PO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from core.adapters import tables as t
from core.bootstrap import bootstrap, create_engine_for
from core.domain import commands as c
from gateway.canonical import (
    AckLine, AckStatus, Carton, Invoice, InvoiceLine, ItemIds, OrderAck, PackItem, ShipNotice,
    is_valid_sscc,
)
from gateway.inbound import apply
from gateway.mapping import ControlNumbers, parse_inbound, render_outbound
from gateway.mapping.api import mapping_for
from gateway.mapping.reader import read
from gateway.outbound import build
from gateway.partners import PartnerError, load_partners
from gateway.x12 import iter_transactions

from tests.unit.mapping import builders as B

NOW = dt.datetime(2024, 5, 2, 8, 0)


@pytest.fixture
def world(home, tmp_path):
    # create_all instead of migrations: same tables (a core test checks that), 10x faster
    engine = create_engine_for(f"sqlite:///{tmp_path / 'core.db'}")
    t.metadata.create_all(engine)
    core = bootstrap(engine=engine)
    core.handle(c.DefineLocation(code="WH1", type="warehouse", postal_code="62701"))
    core.handle(c.DefineLocation(code="demo-vendor", type="dropship", partner_id="demo-vendor"))
    core.handle(c.DefineItem(sku="DEMO-100", unit_price=D("9.99")))
    core.handle(c.DefineItem(sku="DEMO-200", unit_price=D("120"),
                             vendors=(("demo-vendor", "V-200", D("60")),)))
    core.handle(c.ReceiveInventory(sku="DEMO-100", location="WH1", quantity=D("50")))
    yield core, load_partners(home)
    core.close()


def outbox(core, doc_type=None):
    with core.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(t.outbox).order_by(t.outbox.c.id)).mappings()]
    return [r for r in rows if doc_type is None or r["document_type"] == doc_type]


def round_trip_out(partner, doc):
    """Render as we send it, read it back with the same mapping (what the partner sees)."""
    data = render_outbound(partner, doc, control=ControlNumbers(1, 1, 1), now=NOW)
    tx = next(iter_transactions(data))
    mapping = mapping_for(partner, tx.set_id, "out")
    return data, type(doc).model_validate(read(mapping, tx.segments).data)


def receive(partner, doc, core):
    data = render_outbound(partner, doc, control=ControlNumbers(9, 9, 1), now=NOW,
                           direction="in")
    return apply(parse_inbound(partner, next(iter_transactions(data))), partner, core)


def place_retail_order(core, partners):
    retailer = partners["demo-retailer"]
    po = B.purchase_order("demo-retailer")
    return receive(retailer, po, core)


def test_850_in_places_the_order_and_queues_855_and_dropship_850(world):
    core, partners = world
    result = place_retail_order(core, partners)
    assert result.document_type == "850" and result.order_id
    order = core.orders.get(result.order_id)
    assert order["partner_id"] == "demo-retailer" and order["po_number"] == "PO-1001"
    assert [(ln["sku"], ln["ordered"]) for ln in order["lines"]] == [("DEMO-100", "2"),
                                                                      ("DEMO-200", "1.5")]
    assert order["parties"][0]["city"] == "Springfield"
    assert order["requested_delivery_date"] == "2024-05-09"
    [ack_row] = outbox(core, "855")
    ack = build(ack_row, partners["demo-retailer"], core)
    data, seen = round_trip_out(partners["demo-retailer"], ack)
    assert seen.po_number == "PO-1001" and len(seen.lines) == 2
    assert {ln.status for ln in seen.lines} <= {AckStatus.ACCEPTED, AckStatus.BACKORDERED}
    assert b"PO1*1*2*EA*9.99**VN*DEMO-100" in data  # echoed with the retailer's qualifier
    [po_row] = outbox(core, "850")
    assert po_row["partner_id"] == "demo-vendor"
    vendor_po = build(po_row, partners["demo-vendor"], core)
    _, seen_po = round_trip_out(partners["demo-vendor"], vendor_po)
    assert [(ln.item.sku, ln.item.vendor_part, ln.quantity) for ln in seen_po.lines] == [
        ("DEMO-200", "V-200", D("1.5"))]
    assert seen_po.party(B.PartyRole.SHIP_TO).address.city == "Springfield"


def test_repeated_850_is_idempotent(world):
    core, partners = world
    first = place_retail_order(core, partners)
    again = place_retail_order(core, partners)
    assert again.order_id == first.order_id and again.outcome.created is False
    assert len(outbox(core, "855")) == 1


def test_vendor_documents_are_recorded_and_dropship_856_goes_to_the_retailer(world):
    core, partners = world
    vendor = partners["demo-vendor"]
    place_retail_order(core, partners)
    [po_row] = outbox(core, "850")
    vendor_po = build(po_row, vendor, core)
    line = vendor_po.lines[0]
    ack = OrderAck(po_number=vendor_po.po_number, po_date=vendor_po.po_date,
                   ack_date=dt.date(2024, 5, 2), ack_type="AC",
                   lines=[AckLine(line_number=line.line_number, item=line.item,
                                  ordered_quantity=line.quantity, status=AckStatus.ACCEPTED,
                                  quantity=line.quantity)])
    assert receive(vendor, ack, core).outcome is not None
    notice = ShipNotice(shipment_id="VS-1", ship_date=dt.date(2024, 5, 3),
                        po_number=vendor_po.po_number, cartons=[Carton(
                            sscc=B.sscc(42, prefix="0999999"), items=[PackItem(
                                line_number=line.line_number, item=ItemIds(sku="DEMO-200"),
                                quantity=line.quantity)])])
    receive(vendor, notice, core)
    [asn_row] = outbox(core, "856")
    assert asn_row["partner_id"] == "demo-retailer"
    asn = build(asn_row, partners["demo-retailer"], core)
    data, seen = round_trip_out(partners["demo-retailer"], asn)
    assert seen.po_number == "PO-1001"
    assert [(i.item.sku, i.quantity) for i in seen.items()] == [("DEMO-200", D("1.5"))]
    assert all(is_valid_sscc(ct.sscc) for ct in seen.cartons)
    invoice = Invoice(invoice_number="VI-1", invoice_date=dt.date(2024, 5, 4),
                      po_number=vendor_po.po_number, total_amount=D("90"),
                      lines=[InvoiceLine(line_number=line.line_number,
                                         item=ItemIds(sku="DEMO-200"), quantity=D("1.5"),
                                         unit_price=D("60"))])
    assert receive(vendor, invoice, core).command.total == D("90")


def test_our_shipment_and_invoice_render_856_and_810(world):
    core, partners = world
    retailer = partners["demo-retailer"]
    placed = place_retail_order(core, partners)
    core.handle(c.RecordShipment(order_id=placed.order_id, lines=(
        c.ShipLine(line_number="1", quantity=D("2")),), carrier="UPSN", tracking="1Z1",
        ship_date=dt.date(2024, 5, 3)))
    [asn_row] = outbox(core, "856")
    asn = build(asn_row, retailer, core)
    data, seen = round_trip_out(retailer, asn)
    text = data.decode()
    assert "HL*1**S*1~" in text and "HL*2*1*O*1~" in text and "HL*3*2*P*1~" in text
    assert "HL*4*3*I*0~" in text and "TD5*B*2*UPSN~" in text and "REF*CN*1Z1~" in text
    [carton] = seen.cartons
    assert is_valid_sscc(carton.sscc) and f"MAN*GM*{carton.sscc}~" in text
    core.handle(c.IssueInvoice(order_id=placed.order_id, invoice_number="INV-1",
                               invoice_date=dt.date(2024, 5, 4)))
    [inv_row] = outbox(core, "810")
    inv = build(inv_row, retailer, core)
    data, seen = round_trip_out(retailer, inv)
    assert seen.invoice_number == "INV-1" and seen.total_amount == inv.total_amount
    assert f"TDS*{int(inv.total_amount * 100)}~".encode() in data
    assert [(ln.item.sku, ln.quantity) for ln in seen.lines] == [("DEMO-100", D("2"))]


def test_customer_cannot_send_vendor_documents(world):
    core, partners = world
    with pytest.raises(PartnerError) as info:
        apply(B.order_ack(), partners["demo-retailer"], core)
    assert info.value.key_path == "documents"
    with pytest.raises(PartnerError):
        apply(B.purchase_order(), partners["demo-vendor"], core)


def test_functional_ack_is_returned_for_the_flow(world):
    core, partners = world
    result = apply(B.functional_ack(), partners["demo-vendor"], core)
    assert result.command is None and result.functional_ack.group_control_number == "17"
