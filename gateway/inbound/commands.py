"""Canonical documents -> core commands. One function per (document, partner role).

Pure translation: no database, so it is tested without a core. The SKU the core understands is
``item.sku``; a customer who sends only the vendor's (our) part number is read as our SKU.
"""

from __future__ import annotations

from core.domain import commands as c
from gateway.canonical import Invoice, OrderAck, Party, PartyRole, PurchaseOrder, ShipNotice

DATE_FIELDS = {
    "delivery_requested": "requested_delivery_date",
    "ship_requested": "requested_ship_date",
    "ship_not_before": "requested_ship_date",
    "ship_no_later": "cancel_after",
    "do_not_deliver_after": "cancel_after",
}


def core_party(p: Party) -> c.Party:
    a = p.address
    lines = (a.lines if a else []) + ["", ""]
    return c.Party(role=p.role.value, name=p.name or "", address1=lines[0], address2=lines[1],
                   city=(a.city if a else None) or "", state=(a.state if a else None) or "",
                   postal_code=(a.postal_code if a else None) or "",
                   country=(a.country if a else None) or "US",
                   id_qualifier=p.id_qualifier or "", id_code=p.id or "")


def place_order(doc: PurchaseOrder, partner_id: str, source: str | None) -> c.PlaceOrder:
    dates: dict[str, object] = {}
    for d in doc.dates:
        target = DATE_FIELDS.get(d.type)
        if target and target not in dates:
            dates[target] = d.date
    line_input = c.OrderLineInput
    lines = []
    for n, ln in enumerate(doc.lines, start=1):
        item = ln.item  # read once (a model attribute), not seven times
        vendor_part = item.vendor_part
        lines.append(line_input(
            line_number=ln.line_number or str(n), quantity=ln.quantity,
            sku=item.sku or vendor_part, uom=ln.uom, unit_price=ln.unit_price,
            upc=item.upc or item.gtin, buyer_part=item.buyer_part,
            vendor_part=vendor_part, description=item.description or "",
            requested_ship_date=ln.requested_date))
    carrier = doc.carrier
    return c.PlaceOrder(
        po_number=doc.po_number, lines=tuple(lines), channel="edi", partner_id=partner_id,
        order_date=doc.po_date, parties=tuple(core_party(p) for p in doc.parties),
        currency=doc.currency or "USD",
        carrier=(carrier.scac or carrier.name or "") if carrier else "",
        service=(carrier.service_level or "") if carrier else "",
        references=tuple((r.type, r.value) for r in doc.references), source_document=source,
        **dates)  # type: ignore[arg-type]


def vendor_ack(doc: OrderAck, vendor: str, source: str | None) -> c.RecordVendorAcknowledgement:
    lines = tuple(
        c.VendorAckLine(line_number=ln.line_number or str(n),
                        status_code=ln.status.value if ln.status else _header_status(doc),
                        quantity=ln.quantity if ln.quantity is not None else ln.ordered_quantity,
                        unit_price=ln.unit_price, date=ln.scheduled_date,
                        substitute_sku=ln.item.sku if ln.status and ln.status.value == "IS"
                        else None)
        for n, ln in enumerate(doc.lines, start=1))
    return c.RecordVendorAcknowledgement(vendor=vendor, vendor_po_number=doc.po_number,
                                         lines=lines, ack_type=doc.ack_type,
                                         ack_date=doc.ack_date, source_document=source)


def _header_status(doc: OrderAck) -> str:
    return "IR" if doc.ack_type in ("RJ", "RD") else "IA"


def vendor_shipment(doc: ShipNotice, vendor: str, source: str | None
                    ) -> c.RecordVendorShipment:
    lines = tuple(
        c.VendorShipLine(line_number=item.line_number or str(n), quantity=item.quantity,
                         sku=item.item.sku or item.item.vendor_part, sscc=carton.sscc)
        for n, (carton, item) in enumerate(
            ((ct, it) for ct in doc.cartons for it in ct.items), start=1))
    ship_to = next((p for p in doc.parties if p.role == PartyRole.SHIP_TO), None)
    carrier = doc.carrier
    return c.RecordVendorShipment(
        vendor=vendor, vendor_po_number=doc.po_number or "", shipment_id=doc.shipment_id,
        lines=lines, ship_date=doc.ship_date,
        carrier=(carrier.scac or carrier.name or "") if carrier else "",
        tracking=(carrier.tracking_number or "") if carrier else "",
        ship_to=core_party(ship_to) if ship_to else None, source_document=source)


def vendor_invoice(doc: Invoice, vendor: str, source: str | None) -> c.RecordVendorInvoice:
    lines = tuple(c.VendorInvoiceLine(line_number=ln.line_number or str(n), quantity=ln.quantity,
                                      unit_price=ln.unit_price,
                                      sku=ln.item.sku or ln.item.vendor_part)
                  for n, ln in enumerate(doc.lines, start=1))
    charges = tuple(c.Charge(indicator="A" if ac.kind == "allowance" else "C",
                             code=ac.code or "", amount=ac.amount,
                             description=ac.description or "")
                    for ac in doc.allowances_charges if ac.kind != "none")
    return c.RecordVendorInvoice(
        vendor=vendor, vendor_po_number=doc.po_number or "", invoice_number=doc.invoice_number,
        lines=lines, invoice_date=doc.invoice_date, charges=charges, total=doc.total_amount,
        currency=doc.currency or "USD", source_document=source)


__all__ = ["core_party", "place_order", "vendor_ack", "vendor_invoice", "vendor_shipment"]
