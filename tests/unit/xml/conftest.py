"""Partners and canonical documents for the XML tests (written here, not copied from anywhere)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from gateway.canonical import (AckLine, Address, AllowanceCharge, Carrier, Carton, DateRef,
                               Invoice, InvoiceLine, ItemIds, OrderAck, OrderLine, PackItem,
                               Party, PaymentTerms, PurchaseOrder, Reference, ShipNotice, Tax,
                               Totals)
from gateway.partners.profile import PartnerProfile

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.timezone.utc)


def make_partner(pid: str = "acme", *, documents: list[dict] | None = None,
                 options: dict[str, str] | None = None, usage: str = "T") -> PartnerProfile:
    return PartnerProfile(id=pid, name=pid.title(), role="customer", usage=usage,
                          x12={"partner": {"isa_id": pid.upper()}},
                          documents=documents or [], options=options or {})


@pytest.fixture()
def cxml_partner() -> PartnerProfile:
    return make_partner("shopnet", documents=[
        {"type": "850", "direction": "in", "format": "cxml"},
        {"type": "855", "direction": "out", "format": "cxml"},
        {"type": "856", "direction": "out", "format": "cxml"},
        {"type": "810", "direction": "out", "format": "cxml"}])


@pytest.fixture()
def acme_partner() -> PartnerProfile:
    return make_partner("acme", documents=[
        {"type": "850", "direction": "in", "format": "xml", "mapping": "acme-order"},
        {"type": "850", "direction": "out", "format": "xml", "mapping": "acme-order"}])


def ship_to(**extra: object) -> Party:
    return Party(role="ship_to", name="Store 42 & Co <Nord>", id="0042", id_qualifier="92",
                 address=Address(lines=["Attn: Receiving", "1 Dock Road"], city="Columbus",
                                 state="OH", postal_code="43201", country="US"), **extra)


def purchase_order() -> PurchaseOrder:
    return PurchaseOrder(
        po_number="PO-9001", po_date=dt.date(2026, 3, 1), currency="USD",
        buyer_partner_id="shopnet",
        parties=[ship_to(), Party(role="bill_to", name="Head Office"),
                 Party(role="buyer", name="Jane Buyer")],
        references=[Reference(type="contract", value="C-7")],
        dates=[DateRef(type="delivery_requested", date=dt.date(2026, 3, 9))],
        lines=[OrderLine(line_number="1", item=ItemIds(sku="SKU-1", buyer_part="B-1",
                                                       upc="012345678905", description="Widget"),
                         quantity=Decimal("10"), uom="EA", unit_price=Decimal("2.50"),
                         requested_date=dt.date(2026, 3, 8)),
               OrderLine(line_number="2", item=ItemIds(sku="SKU-2", vendor_part="V-2"),
                         quantity=Decimal("1.5"), uom="CA", unit_price=Decimal("100.00"))],
        totals=Totals(amount=Decimal("175.00")))


def order_ack() -> OrderAck:
    return OrderAck(
        po_number="PO-9001", po_date=dt.date(2026, 3, 1), ack_number="ACK-1",
        ack_date=dt.date(2026, 3, 2), ack_type="AC", parties=[ship_to()],
        lines=[AckLine(line_number="1", item=ItemIds(sku="SKU-1", buyer_part="B-1"),
                       ordered_quantity=Decimal("10"), unit_price=Decimal("2.50"),
                       status="IA", quantity=Decimal("10"), scheduled_date=dt.date(2026, 3, 8)),
               AckLine(line_number="2", item=ItemIds(sku="SKU-2"), ordered_quantity=Decimal("5"),
                       status="IB", quantity=Decimal("5")),
               AckLine(line_number="3", ordered_quantity=Decimal("2"), uom="CA",
                       status="IQ", quantity=Decimal("1"))],
        totals=Totals(amount=Decimal("25.00")))


def ship_notice() -> ShipNotice:
    return ShipNotice(
        shipment_id="SH-77", ship_date=dt.date(2026, 3, 5), po_number="PO-9001",
        po_date=dt.date(2026, 3, 1),
        carrier=Carrier(scac="UPSN", name="UPS", tracking_number="1Z999",
                        transport_method="M"),
        bill_of_lading="BOL-5", package_count=2, gross_weight=Decimal("12.5"),
        parties=[ship_to(), Party(role="ship_from", name="Our Warehouse")],
        references=[Reference(type="invoice", value="INV-1")],
        cartons=[Carton(sscc="000123450000000010", weight=Decimal("7.5"),
                        items=[PackItem(line_number="1", item=ItemIds(sku="SKU-1"),
                                        quantity=Decimal("6"), ordered_quantity=Decimal("10"))]),
                 Carton(sscc="000123450000000027",
                        items=[PackItem(line_number="1", item=ItemIds(sku="SKU-1"),
                                        quantity=Decimal("4")),
                               PackItem(line_number="2", item=ItemIds(sku="SKU-2",
                                                                      description="Gadget"),
                                        quantity=Decimal("1"), uom="CA")])])


def invoice() -> Invoice:
    return Invoice(
        invoice_number="INV-1", invoice_date=dt.date(2026, 3, 6), po_number="PO-9001",
        po_date=dt.date(2026, 3, 1), currency="USD",
        parties=[Party(role="remit_to", name="Ordergate Sales",
                       address=Address(lines=["PO Box 1"], city="Austin", state="TX",
                                       postal_code="73301", country="US")),
                 Party(role="bill_to", name="Head Office")],
        references=[Reference(type="shipment", value="SH-77")],
        terms=PaymentTerms(discount_percent=Decimal("2"), discount_days=10, net_days=30),
        lines=[InvoiceLine(line_number="1", item=ItemIds(sku="SKU-1", buyer_part="B-1"),
                           quantity=Decimal("10"), unit_price=Decimal("2.50")),
               InvoiceLine(line_number="2", item=ItemIds(sku="SKU-2", description="Gadget"),
                           quantity=Decimal("1"), uom="CA", unit_price=Decimal("100.00"))],
        allowances_charges=[AllowanceCharge(kind="charge", code="D240", amount=Decimal("9.95"),
                                            description="Freight"),
                            AllowanceCharge(kind="allowance", code="C310", amount=Decimal("5"))],
        taxes=[Tax(type="sales", amount=Decimal("10.50"), rate=Decimal("8.25"))],
        total_amount=Decimal("139.95"))
