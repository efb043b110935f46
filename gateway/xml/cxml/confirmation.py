"""cXML ConfirmationRequest <-> canonical OrderAck (the 855 of cXML).

Header type: detail / accept / reject = BAK02 AC / AD / RJ. Each AckLine is a ConfirmationItem
(lineNumber, ordered quantity, UnitOfMeasure) with one ConfirmationStatus (type, quantity,
deliveryDate, UnitPrice, the item in ItemIn/ItemID). Line status: accept = IA, reject = IR,
backordered = IB; every other X12 status travels as `detail` with the X12 code kept in an
Extrinsic named `ackStatus`, so no status is lost either way.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.canonical import OrderAck
from gateway.xml.cxml.parts import money, read_item, read_parties, sub, write_contacts, \
    write_item_id, write_parties_in_order
from gateway.xml.values import Reader, cxml_datetime, decimal_text

HEADER_TYPE = {"AC": "detail", "AD": "accept", "RJ": "reject"}
ACK_TYPE = {v: k for k, v in HEADER_TYPE.items()}
LINE_TYPE = {"IA": "accept", "IR": "reject", "IB": "backordered"}
LINE_STATUS = {v: k for k, v in LINE_TYPE.items()}


def read(reader: Reader, body: Any, partner_id: str | None) -> OrderAck:
    head = next(iter(reader.nodes(body, "ConfirmationHeader")), body)
    reference = next(iter(reader.nodes(body, "OrderReference")), body)
    kind = reader.text(head, "@type", "ack_type") or "detail"
    data: dict[str, Any] = {
        "po_number": reader.text(reference, "@orderID", "po_number", required=True),
        "po_date": reader.typed(reference, "@orderDate", "po_date", "date"),
        "ack_number": reader.text(head, "@confirmID", "ack_number"),
        "ack_date": reader.typed(head, "@noticeDate", "ack_date", "date"),
        "ack_type": ACK_TYPE.get(kind, kind),
        "parties": read_parties(reader, head),
        "lines": [],
    }
    amount = reader.typed(head, "Total/Money", "totals.amount", "decimal")
    if amount is not None:
        data["totals"] = {"amount": amount}
    for n, item in enumerate(reader.nodes(body, "ConfirmationItem")):
        field = f"lines.{n}"
        status = next(iter(reader.nodes(item, "ConfirmationStatus")), None)
        line: dict[str, Any] = {
            "line_number": reader.text(item, "@lineNumber", f"{field}.line_number"),
            "ordered_quantity": reader.typed(item, "@quantity", f"{field}.ordered_quantity",
                                             "decimal", required=True),
            "uom": reader.text(item, "UnitOfMeasure", f"{field}.uom"),
        }
        if status is not None:
            code = reader.text(status, "Extrinsic[@name='ackStatus']", f"{field}.status")
            kind = reader.text(status, "@type", f"{field}.status")
            line["status"] = code or LINE_STATUS.get(kind or "", None)
            line["quantity"] = reader.typed(status, "@quantity", f"{field}.quantity", "decimal")
            line["scheduled_date"] = reader.typed(status, "@deliveryDate",
                                                  f"{field}.scheduled_date", "date")
            line["unit_price"] = reader.typed(status, "UnitPrice/Money", f"{field}.unit_price",
                                              "decimal")
            item_in = next(iter(reader.nodes(status, "ItemIn/ItemID")), None)
            if item_in is not None:
                detail = next(iter(reader.nodes(status, "ItemIn/ItemDetail")), None)
                line["item"] = read_item(reader, item_in, detail, f"{field}.item")
        data["lines"].append({k: v for k, v in line.items() if v is not None})
    return reader.build(OrderAck, data, line=body.sourceline)


def write(request: Any, ack: OrderAck, *, now: dt.datetime, currency: str | None = None) -> None:
    body = sub(request, "ConfirmationRequest")
    head = sub(body, "ConfirmationHeader", type=HEADER_TYPE.get(ack.ack_type, "detail"),
               noticeDate=cxml_datetime(ack.ack_date or now), confirmID=ack.ack_number)
    money(head, "Total", ack.totals.amount if ack.totals else None, currency)
    write_parties_in_order(head, ack.parties)
    write_contacts(head, ack.parties)
    reference = sub(body, "OrderReference", orderID=ack.po_number,
                    orderDate=cxml_datetime(ack.po_date) if ack.po_date else None)
    sub(reference, "DocumentReference", payloadID="")
    for line in ack.lines:
        item = sub(body, "ConfirmationItem", quantity=decimal_text(line.ordered_quantity),
                   lineNumber=line.line_number)
        sub(item, "UnitOfMeasure", line.uom)
        code = line.status.value if line.status is not None else None
        status = sub(item, "ConfirmationStatus",
                     type=LINE_TYPE.get(code or "", "detail") if code else
                     HEADER_TYPE.get(ack.ack_type, "detail"),
                     quantity=decimal_text(line.quantity if line.quantity is not None
                                           else line.ordered_quantity),
                     deliveryDate=cxml_datetime(line.scheduled_date)
                     if line.scheduled_date else None)
        sub(status, "UnitOfMeasure", line.uom)
        money(status, "UnitPrice", line.unit_price, currency)
        if any(line.item.model_dump().values()):
            item_in = sub(status, "ItemIn", quantity=decimal_text(line.ordered_quantity))
            write_item_id(item_in, line.item)
            if line.item.description or line.item.vendor_part:
                detail = sub(item_in, "ItemDetail")
                if line.item.description:
                    sub(detail, "Description", line.item.description)
                if line.item.vendor_part:
                    sub(detail, "ManufacturerPartID", line.item.vendor_part)
        if code and code not in LINE_TYPE:
            sub(status, "Extrinsic", code, name="ackStatus")
