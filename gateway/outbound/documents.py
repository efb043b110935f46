"""Core state -> canonical documents, one builder per outbound document type.

Each builder reads the rows named by the outbox row's ``payload_ref`` (ack, shipment, invoice,
vendor order) plus the order they belong to, and returns a canonical document; the mapping turns
that into the partner's X12. Item ids are echoed as the customer sent them (sku, upc, buyer part).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gateway.canonical import (
    AckStatus, AllowanceCharge, Carrier, Carton, Invoice, InvoiceLine, ItemIds, OrderAck,
    OrderLine, PackItem, PartyRole, PurchaseOrder, ShipNotice, Tax,
)
from gateway.outbound import parties as P
from gateway.outbound.reads import RowReader

ZERO = Decimal(0)
_STATUSES = {status.value: status for status in AckStatus}


def _status(code: Any) -> AckStatus:
    """AckStatus(code), by a dict look-up for a known code (anything else: the Enum itself,
    with its error)."""
    member = _STATUSES.get(code) if code.__class__ is str else None
    return member if member is not None else AckStatus(code)


def _item_fields(line: dict[str, Any] | None, sku: str | None = None) -> dict[str, Any]:
    line = line or {}
    return {"sku": line.get("sku") or sku, "upc": line.get("upc") or None,
            "buyer_part": line.get("buyer_part") or None,
            "vendor_part": line.get("vendor_part") or None,
            "description": line.get("description") or None}


def _item(line: dict[str, Any] | None, sku: str | None = None) -> ItemIds:
    return ItemIds(**_item_fields(line, sku))


def _reader(conn_or_reader: Any) -> RowReader:
    """Builders take a reader (a batch's prefetched rows) or, as before, a connection."""
    return conn_or_reader if isinstance(conn_or_reader, RowReader) else RowReader(conn_or_reader)


def _date(value: Any) -> Any:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _ship_to(order: dict[str, Any]) -> list:
    parties = P.all_parties(order.get("parties"))
    return [p for p in parties if p.role in (PartyRole.SHIP_TO, PartyRole.BILL_TO,
                                             PartyRole.BUYER)]


def order_ack(conn: Any, payload: dict[str, Any], order_id: int) -> OrderAck:
    src = _reader(conn)
    # each ack line row carries its order line's item ids, ordered quantity, uom and list price
    # (reads.ACK_LINES); an ack line without its order line has those as None
    head, rows = src.acknowledgement(payload["acknowledgement_id"])
    order = src.order(order_id)
    # The lines go in as plain dicts, validated with the document in one call: pydantic
    # validates nested data in one pass, where a model built per line and per item (40 for 20
    # lines) paid its Python overhead each time (~12% of building an 855).
    ack_lines = []
    for r in rows:
        ordered = r["ordered"]
        ack_lines.append({
            "line_number": r["line_number"], "item": _item_fields(r),
            "ordered_quantity": ordered if ordered is not None else r["quantity"],
            "uom": r["uom"] or "EA",
            "unit_price": r["unit_price"] if r["unit_price"] is not None else r["line_unit_price"],
            "status": _status(r["status_code"]), "quantity": r["quantity"],
            "scheduled_date": r["date"]})
    return OrderAck.model_validate({
        "po_number": order["po_number"],
        "po_date": order["order_date"] or _date(order["created_at"]),
        "ack_number": f"{order['po_number']}-{head['id']}", "ack_date": _date(head["created_at"]),
        "ack_type": head["ack_type"], "parties": _ship_to(order), "lines": ack_lines})


def _carrier(name: str, tracking: str) -> Carrier | None:
    if not (name or tracking):
        return None
    scac = name if name and len(name) <= 4 and name.isalpha() and name.isupper() else None
    return Carrier(scac=scac, name=None if scac else (name or None),
                   tracking_number=tracking or None)


def ship_notice(conn: Any, payload: dict[str, Any], order_id: int) -> ShipNotice:
    src = _reader(conn)
    head, cartons, rows = src.shipment(payload["shipment_id"])
    order = src.order(order_id)
    lines = src.order_lines(order_id)
    by_carton: dict[str, list[PackItem]] = {c["sscc"]: [] for c in cartons}
    for r in rows:
        line = lines.get(r["line_number"], {})
        by_carton.setdefault(r["sscc"] or "", []).append(PackItem(
            line_number=r["line_number"], item=_item(line), quantity=r["quantity"],
            uom=line.get("uom") or "EA"))
    packs = [Carton(sscc=sscc or None, items=items) for sscc, items in by_carton.items() if items]
    return ShipNotice(
        shipment_id=head["shipment_number"], ship_date=head["ship_date"],
        po_number=order["po_number"], po_date=order["order_date"],
        carrier=_carrier(head["carrier"], head["tracking"]), package_count=len(packs),
        parties=_ship_to(order), cartons=packs)


def invoice(conn: Any, payload: dict[str, Any], order_id: int) -> Invoice:
    src = _reader(conn)
    head, rows, charges = src.invoice(payload["invoice_id"])
    order = src.order(order_id)
    lines = src.order_lines(order_id)
    inv_lines = [InvoiceLine(line_number=r["line_number"],
                             item=_item(lines.get(r["line_number"])), quantity=r["quantity"],
                             uom=(lines.get(r["line_number"]) or {}).get("uom") or "EA",
                             unit_price=r["unit_price"] if r["unit_price"] is not None else ZERO)
                 for r in rows]
    acs = [AllowanceCharge(kind="allowance" if c["indicator"] == "A" else "charge",
                           code=c["code"], amount=c["amount"],
                           description=c["description"] or None) for c in charges]
    taxes = [Tax(type="ST", amount=head["tax"])] if head["tax"] else []
    return Invoice(
        invoice_number=head["invoice_number"], invoice_date=head["invoice_date"],
        po_number=order["po_number"], po_date=order["order_date"], currency=head["currency"],
        parties=_ship_to(order), lines=inv_lines, allowances_charges=acs, taxes=taxes,
        total_amount=head["total"])


def vendor_po(conn: Any, payload: dict[str, Any], order_id: int | None) -> PurchaseOrder:
    src = _reader(conn)
    head, rows = src.vendor_order(payload["vendor_order_id"])
    ship_to = P.to_canonical(head["ship_to"], "ship_to")
    return PurchaseOrder(
        po_number=head["po_number"], po_date=_date(head["created_at"]), order_type=(
            "DS" if head["kind"] == "dropship" else "SA"),
        parties=[ship_to] if ship_to else [],
        lines=[OrderLine(line_number=r["line_number"],
                         item=ItemIds(sku=r["sku"], vendor_part=r["vendor_part"] or None),
                         quantity=r["quantity"], unit_price=r["unit_price"],
                         requested_date=r["requested_date"]) for r in rows])


BUILDERS = {"855": order_ack, "856": ship_notice, "810": invoice, "850": vendor_po}
