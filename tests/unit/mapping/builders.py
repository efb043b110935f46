"""Canonical documents filled the way a full mapping round trip keeps them (our own fixtures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.canonical import (
    Address, AllowanceCharge, AckError, AckLine, AckStatus, AckVerdict, Carrier, Carton, DateRef,
    FunctionalAck, Invoice, InvoiceLine, ItemIds, OrderAck, OrderLine, PackItem, Party, PartyRole,
    PaymentTerms, PurchaseOrder, Reference, SetAck, ShipNotice, Tax, gs1_check_digit,
)
from gateway.x12 import Segment

D = Decimal


def segs(*lines: str) -> list[Segment]:
    """Segments from '*'-separated lines, numbered from 1 as in a transaction set."""
    out = []
    for n, line in enumerate(lines, start=1):
        parts = line.split("*")
        seg = Segment.build(parts[0], parts[1:])
        seg.position = n
        out.append(seg)
    return out


def sscc(serial: int, prefix: str = "0061414") -> str:
    body = f"0{prefix}{serial:0{16 - len(prefix)}d}"
    return body + gs1_check_digit(body)


def ship_to() -> Party:
    return Party(role=PartyRole.SHIP_TO, name="Jane Doe", id_qualifier="92", id="STORE-7",
                 address=Address(lines=["1 Main St", "Apt 2"], city="Springfield", state="IL",
                                 postal_code="62701", country="US"))


def purchase_order(partner: str | None = "demo-vendor") -> PurchaseOrder:
    return PurchaseOrder(
        po_number="PO-1001", po_date=dt.date(2024, 5, 1), purpose="original", order_type="SA",
        currency="USD", buyer_partner_id=partner,
        parties=[ship_to(), Party(role=PartyRole.BILL_TO, name="Accounts")],
        references=[Reference(type="DP", value="042")],
        dates=[DateRef(type="delivery_requested", date=dt.date(2024, 5, 9))],
        carrier=Carrier(scac="UPSN", transport_method="M", name="UPS Ground"),
        lines=[
            OrderLine(line_number="1", item=ItemIds(sku="DEMO-100", buyer_part="B-100",
                                                    upc="012345678905", description="Widget"),
                      quantity=D("2"), uom="EA", unit_price=D("9.99"),
                      requested_date=dt.date(2024, 5, 8)),
            OrderLine(line_number="2", item=ItemIds(sku="DEMO-200"), quantity=D("1.5"),
                      uom="CA", unit_price=D("120")),
        ],
        allowances_charges=[AllowanceCharge(kind="charge", code="D240", amount=D("12.50"))],
    )


def order_ack() -> OrderAck:
    return OrderAck(
        po_number="PO-1001", po_date=dt.date(2024, 5, 1), ack_number="ACK-1",
        ack_date=dt.date(2024, 5, 2), ack_type="AC", parties=[ship_to()],
        lines=[
            AckLine(line_number=str(n), item=ItemIds(sku=f"DEMO-{n}00"), ordered_quantity=D(q),
                    uom="EA", unit_price=D("5.25"), status=status, quantity=D(a),
                    scheduled_date=dt.date(2024, 5, 6))
            for n, (status, q, a) in enumerate([
                (AckStatus.ACCEPTED, "3", "3"), (AckStatus.ACCEPTED_QTY_CHANGED, "5", "4"),
                (AckStatus.ACCEPTED_PRICE_CHANGED, "1", "1"), (AckStatus.BACKORDERED, "2", "2"),
                (AckStatus.ACCEPTED_PARTIAL_BACKORDER, "6", "6"), (AckStatus.REJECTED, "1", "0"),
            ], start=1)
        ],
    )


def ship_notice() -> ShipNotice:
    return ShipNotice(
        shipment_id="SHP-77", ship_date=dt.date(2024, 5, 6), ship_time="1430",
        po_number="PO-1001", po_date=dt.date(2024, 5, 1), purpose="00",
        carrier=Carrier(scac="UPSN", transport_method="M", name="UPS",
                        tracking_number="1Z999"),
        bill_of_lading="BOL-5", package_count=2, gross_weight=D("12.5"), weight_uom="LB",
        parties=[ship_to(), Party(role=PartyRole.SHIP_FROM, name="Warehouse 1")],
        cartons=[
            Carton(sscc=sscc(1), weight=D("7.5"), items=[
                PackItem(line_number="1", item=ItemIds(sku="DEMO-100", upc="012345678905"),
                         quantity=D("2")),
                PackItem(line_number="2", item=ItemIds(sku="DEMO-200"), quantity=D("1")),
            ]),
            Carton(sscc=sscc(2), items=[
                PackItem(line_number="2", item=ItemIds(sku="DEMO-200"), quantity=D("3"),
                         uom="CA"),
            ]),
        ],
    )


def invoice() -> Invoice:
    lines = [InvoiceLine(line_number="1", item=ItemIds(sku="DEMO-100", buyer_part="B-100"),
                         quantity=D("2"), unit_price=D("9.99")),
             InvoiceLine(line_number="2", item=ItemIds(sku="DEMO-200"), quantity=D("3"),
                         uom="CA", unit_price=D("120.5"))]
    inv = Invoice(
        invoice_number="INV-9", invoice_date=dt.date(2024, 5, 7), po_number="PO-1001",
        po_date=dt.date(2024, 5, 1), currency="USD",
        parties=[ship_to(), Party(role=PartyRole.REMIT_TO, name="Ordergate Inc.")],
        references=[Reference(type="BM", value="BOL-5")],
        terms=PaymentTerms(type="01", basis_date="3", discount_percent=D("2"), discount_days=10,
                           net_days=30, description="2% 10 NET 30"),
        lines=lines,
        allowances_charges=[AllowanceCharge(kind="allowance", code="C310", amount=D("5")),
                            AllowanceCharge(kind="charge", code="D240", amount=D("12.5"))],
        taxes=[Tax(type="ST", amount=D("8.25"), rate=D("6.5"))],
        total_amount=D("0"),
    )
    return inv.model_copy(update={"total_amount": inv.computed_total()})


def functional_ack(kind: str = "997") -> FunctionalAck:
    return FunctionalAck(
        kind=kind, functional_id="PO", group_control_number="17",
        version="005010" if kind == "999" else None,
        group_verdict=AckVerdict.PARTIAL, group_codes=["5"],
        sets=[SetAck(set_id="850", control_number="0001", verdict=AckVerdict.ACCEPTED),
              SetAck(set_id="850", control_number="0002", verdict=AckVerdict.REJECTED,
                     set_codes=["5"],
                     errors=[AckError(segment_id="PO1", segment_position=7, loop_id="PO1",
                                      segment_code="8", element_position=2, element_ref="330",
                                      element_code="7", bad_value="X")])],
        included_sets=2, received_sets=2, accepted_sets=1,
    )


def minimal() -> dict:
    """The least each document can carry: optional segments and paired elements left out."""
    item = ItemIds(sku="DEMO-100")
    return {
        "850": PurchaseOrder(po_number="P1", po_date=dt.date(2024, 5, 1), lines=[
            OrderLine(line_number="1", item=item, quantity=D("1"))]),
        "855": OrderAck(po_number="P1", po_date=dt.date(2024, 5, 1), ack_date=dt.date(2024, 5, 2),
                        lines=[AckLine(line_number="1", item=item, ordered_quantity=D("1"),
                                       status=AckStatus.ACCEPTED, quantity=D("1"))]),
        "856": ShipNotice(shipment_id="S1", ship_date=dt.date(2024, 5, 3), po_number="P1",
                          carrier=Carrier(name="Own truck"), package_count=1,
                          cartons=[Carton(sscc=sscc(9), items=[PackItem(
                              line_number="1", item=item, quantity=D("1"))])]),
        "810": Invoice(invoice_number="I1", invoice_date=dt.date(2024, 5, 4), po_number="P1",
                       lines=[InvoiceLine(line_number="1", item=item, quantity=D("1"),
                                          unit_price=D("2"))], total_amount=D("2")),
    }


ALL = {"850": purchase_order, "855": order_ack, "856": ship_notice, "810": invoice,
       "997": functional_ack}
