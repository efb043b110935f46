"""cXML OrderRequest <-> canonical PurchaseOrder.

Header: orderID, orderDate, type (new/update/delete = original/change/cancellation),
requestedDeliveryDate (a `delivery_requested` date), Total, ShipTo/BillTo/Contact, Extrinsic
references. Lines: ItemOut (lineNumber, quantity, requestedDeliveryDate) with ItemID and ItemDetail
(UnitPrice, Description, UnitOfMeasure, ManufacturerPartID).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.canonical import PurchaseOrder
from gateway.xml.cxml.parts import (XML_LANG, money, read_item, read_parties, sub, write_contacts,
                                    write_item_id, write_parties_in_order)
from gateway.xml.values import Reader, cxml_datetime, decimal_text

PURPOSE = {"new": "original", "update": "change", "delete": "cancellation"}
CXML_TYPE = {v: k for k, v in PURPOSE.items()}
DELIVERY = "delivery_requested"


def read(reader: Reader, body: Any, partner_id: str | None) -> PurchaseOrder:
    header = reader.nodes(body, "OrderRequestHeader")
    if not header:
        reader.text(body, "OrderRequestHeader", "po_number", required=True)
    head = header[0]
    kind = reader.text(head, "@type", "purpose") or "new"
    data: dict[str, Any] = {
        "po_number": reader.text(head, "@orderID", "po_number", required=True),
        "po_date": reader.typed(head, "@orderDate", "po_date", "date", required=True),
        "purpose": PURPOSE.get(kind, kind),
        "currency": reader.text(body, "OrderRequestHeader/Total/Money/@currency | "
                                      "ItemOut/ItemDetail/UnitPrice/Money/@currency", "currency"),
        "buyer_partner_id": partner_id,
        "parties": read_parties(reader, head),
        "references": [{"type": el.get("name"), "value": "".join(el.itertext()).strip()}
                       for el in reader.nodes(head, "Extrinsic[@name]")
                       if "".join(el.itertext()).strip()],
        "dates": [],
        "lines": [],
    }
    requested = reader.typed(head, "@requestedDeliveryDate", "dates.0.date", "date")
    if requested is not None:
        data["dates"].append({"type": DELIVERY, "date": requested})
    amount = reader.typed(head, "Total/Money", "totals.amount", "decimal")
    if amount is not None:
        data["totals"] = {"amount": amount}
    for n, item in enumerate(reader.nodes(body, "ItemOut")):
        field = f"lines.{n}"
        detail = next(iter(reader.nodes(item, "ItemDetail")), None)
        line: dict[str, Any] = {
            "line_number": reader.text(item, "@lineNumber", f"{field}.line_number"),
            "quantity": reader.typed(item, "@quantity", f"{field}.quantity", "decimal",
                                     required=True),
            "requested_date": reader.typed(item, "@requestedDeliveryDate",
                                           f"{field}.requested_date", "date"),
            "item": read_item(reader, next(iter(reader.nodes(item, "ItemID")), item), detail,
                              f"{field}.item"),
        }
        if detail is not None:
            line["unit_price"] = reader.typed(detail, "UnitPrice/Money", f"{field}.unit_price",
                                              "decimal")
            line["uom"] = reader.text(detail, "UnitOfMeasure", f"{field}.uom")
        data["lines"].append({k: v for k, v in line.items() if v is not None})
    return reader.build(PurchaseOrder, data, line=body.sourceline)


def write(request: Any, order: PurchaseOrder, *, now: dt.datetime) -> None:
    body = sub(request, "OrderRequest")
    requested = next((d.date for d in order.dates if d.type == DELIVERY), None)
    head = sub(body, "OrderRequestHeader", orderID=order.po_number,
               orderDate=cxml_datetime(order.po_date),
               type=CXML_TYPE.get(order.purpose, order.purpose),
               requestedDeliveryDate=cxml_datetime(requested) if requested else None)
    money(head, "Total", order.totals.amount if order.totals else None, order.currency)
    write_parties_in_order(head, order.parties)
    write_contacts(head, order.parties)
    for reference in order.references:
        sub(head, "Extrinsic", reference.value, name=reference.type)
    for line in order.lines:
        item = sub(body, "ItemOut", quantity=decimal_text(line.quantity),
                   lineNumber=line.line_number,
                   requestedDeliveryDate=cxml_datetime(line.requested_date)
                   if line.requested_date else None)
        write_item_id(item, line.item)
        detail = sub(item, "ItemDetail")
        money(detail, "UnitPrice", line.unit_price, order.currency)
        sub(detail, "Description", line.item.description or "").set(XML_LANG, "en")
        sub(detail, "UnitOfMeasure", line.uom)
        if line.item.vendor_part:
            sub(detail, "ManufacturerPartID", line.item.vendor_part)
