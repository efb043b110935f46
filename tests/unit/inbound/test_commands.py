"""Canonical purchase order -> PlaceOrder: every line field taken from where it should be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gateway.canonical import ItemIds, OrderLine, PurchaseOrder
from gateway.inbound.commands import place_order


def test_line_fields_fall_back_as_documented():
    po = PurchaseOrder(po_number="P1", po_date=dt.date(2024, 5, 1), lines=[
        OrderLine(line_number="10", item=ItemIds(sku="S1", upc="U1", gtin="G1", buyer_part="B1",
                                                 vendor_part="V1", description="Widget"),
                  quantity=Decimal("2"), uom="CA", unit_price=Decimal("1.5"),
                  requested_date=dt.date(2024, 5, 9)),
        OrderLine(item=ItemIds(vendor_part="V2", gtin="G2"), quantity=Decimal("1")),
        OrderLine(line_number="", quantity=Decimal("3")),
    ])
    cmd = place_order(po, "demo-retailer", "doc-1")
    first, second, third = cmd.lines
    assert (first.line_number, first.quantity, first.sku, first.uom, first.unit_price,
            first.upc, first.buyer_part, first.vendor_part, first.description,
            first.requested_ship_date) == ("10", Decimal("2"), "S1", "CA", Decimal("1.5"), "U1",
                                           "B1", "V1", "Widget", dt.date(2024, 5, 9))
    assert (second.line_number, second.sku, second.upc, second.vendor_part,
            second.description, second.uom) == ("2", "V2", "G2", "V2", "", "EA")
    assert (third.line_number, third.sku, third.upc, third.buyer_part) == ("3", None, None, None)
    assert isinstance(cmd.lines, tuple)
    assert (cmd.po_number, cmd.partner_id, cmd.source_document, cmd.order_date) == (
        "P1", "demo-retailer", "doc-1", dt.date(2024, 5, 1))
