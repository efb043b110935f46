"""cXML ShipNoticeRequest <-> canonical ShipNotice (the 856 of cXML).

cXML lists shipped items flat (ShipNoticeItem) and names each item's container in
`Packaging/ShippingContainerSerialCode` (the SSCC-18); the canonical notice nests items in cartons.
Writing puts each carton's SSCC (and gross weight) on its items; reading groups items back into
cartons by SSCC in order of first appearance (items without Packaging form one carton without an
SSCC). Carrier: CarrierIdentifier domain SCAC / companyName, ShipmentIdentifier = tracking number,
TransportInformation/Route@method = transport method. Bill of lading, package count and weight
travel as header Extrinsics; parties as Contacts.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.canonical import ShipNotice
from gateway.xml.cxml.parts import read_contacts, read_item, sub, write_contacts, write_item_id
from gateway.xml.values import Reader, cxml_datetime, decimal_text

OPERATION = {"00": "new", "05": "update", "03": "delete"}
PURPOSE = {v: k for k, v in OPERATION.items()}
HEADER_EXTRINSICS = {"billOfLading": "bill_of_lading", "packageCount": "package_count",
                     "grossWeight": "gross_weight", "weightUnit": "weight_uom"}


def read(reader: Reader, body: Any, partner_id: str | None) -> ShipNotice:
    head = next(iter(reader.nodes(body, "ShipNoticeHeader")), body)
    portion = next(iter(reader.nodes(body, "ShipNoticePortion")), body)
    control = next(iter(reader.nodes(body, "ShipControl")), None)
    operation = reader.text(head, "@operation", "purpose") or "new"
    data: dict[str, Any] = {
        "shipment_id": reader.text(head, "@shipmentID", "shipment_id", required=True),
        "ship_date": reader.typed(head, "@shipmentDate", "ship_date", "date")
        or reader.typed(head, "@noticeDate", "ship_date", "date", required=True),
        "purpose": PURPOSE.get(operation, operation),
        "po_number": reader.text(portion, "OrderReference/@orderID", "po_number"),
        "po_date": reader.typed(portion, "OrderReference/@orderDate", "po_date", "date"),
        "parties": read_contacts(reader, head, "parties", 0),
        "references": [],
        "cartons": [],
    }
    for extrinsic in reader.nodes(head, "Extrinsic[@name]"):
        value = "".join(extrinsic.itertext()).strip()
        name = HEADER_EXTRINSICS.get(extrinsic.get("name"))
        if name:
            reader.origins[name] = (extrinsic, ".", extrinsic.sourceline)
            data[name] = value
        elif value:
            data["references"].append({"type": extrinsic.get("name"), "value": value})
    if control is not None:
        carrier = {
            "scac": reader.text(control, "CarrierIdentifier[@domain='SCAC']", "carrier.scac"),
            "name": reader.text(control, "CarrierIdentifier[@domain='companyName']",
                                "carrier.name"),
            "tracking_number": reader.text(control, "ShipmentIdentifier",
                                           "carrier.tracking_number"),
            "transport_method": reader.text(control, "TransportInformation/Route/@method",
                                            "carrier.transport_method"),
        }
        data["carrier"] = {k: v for k, v in carrier.items() if v is not None}
    cartons: dict[str | None, dict[str, Any]] = {}
    for n, item in enumerate(reader.nodes(portion, "ShipNoticeItem")):
        field = f"cartons.{len(cartons)}.items.{n}"
        sscc = reader.text(item, "Packaging/ShippingContainerSerialCode", f"{field}.sscc")
        carton = cartons.setdefault(sscc, {"sscc": sscc, "items": []})
        weight = reader.typed(item, "Packaging/Dimension[@type='grossWeight']/@quantity",
                              f"{field}.weight", "decimal")
        if weight is not None:
            carton["weight"] = weight
        packed = {
            "line_number": reader.text(item, "@lineNumber", f"{field}.line_number"),
            "quantity": reader.typed(item, "@quantity", f"{field}.quantity", "decimal",
                                     required=True),
            "uom": reader.text(item, "UnitOfMeasure", f"{field}.uom"),
            "ordered_quantity": reader.typed(item, "Extrinsic[@name='orderedQuantity']",
                                             f"{field}.ordered_quantity", "decimal"),
            "item": read_item(reader, next(iter(reader.nodes(item, "ItemID")), item),
                              next(iter(reader.nodes(item, "ShipNoticeItemDetail")), None),
                              f"{field}.item"),
        }
        carton["items"].append({k: v for k, v in packed.items() if v is not None})
    data["cartons"] = list(cartons.values())
    return reader.build(ShipNotice, data, line=body.sourceline)


def write(request: Any, notice: ShipNotice, *, now: dt.datetime) -> None:
    body = sub(request, "ShipNoticeRequest")
    head = sub(body, "ShipNoticeHeader", shipmentID=notice.shipment_id,
               operation=OPERATION.get(notice.purpose, notice.purpose),
               noticeDate=cxml_datetime(now), shipmentDate=cxml_datetime(notice.ship_date))
    write_contacts(head, notice.parties, all_roles=True)
    for name, attribute in HEADER_EXTRINSICS.items():
        value = getattr(notice, attribute)
        if value is not None and not (attribute == "weight_uom" and notice.gross_weight is None):
            sub(head, "Extrinsic", value, name=name)
    for reference in notice.references:
        sub(head, "Extrinsic", reference.value, name=reference.type)
    carrier = notice.carrier
    if carrier is not None:
        control = sub(body, "ShipControl")
        if carrier.scac:
            sub(control, "CarrierIdentifier", carrier.scac, domain="SCAC")
        if carrier.name:
            sub(control, "CarrierIdentifier", carrier.name, domain="companyName")
        sub(control, "ShipmentIdentifier", carrier.tracking_number or "")
        if carrier.transport_method:
            sub(sub(control, "TransportInformation"), "Route", method=carrier.transport_method)
    portion = sub(body, "ShipNoticePortion")
    reference = sub(portion, "OrderReference", orderID=notice.po_number or "",
                    orderDate=cxml_datetime(notice.po_date) if notice.po_date else None)
    sub(reference, "DocumentReference", payloadID="")
    for carton in notice.cartons:
        for packed in carton.items:
            item = sub(portion, "ShipNoticeItem", quantity=decimal_text(packed.quantity),
                       lineNumber=packed.line_number)
            write_item_id(item, packed.item)
            if packed.item.description or packed.item.vendor_part:
                detail = sub(item, "ShipNoticeItemDetail")
                if packed.item.description:
                    sub(detail, "Description", packed.item.description)
                if packed.item.vendor_part:
                    sub(detail, "ManufacturerPartID", packed.item.vendor_part)
            sub(item, "UnitOfMeasure", packed.uom)
            if carton.sscc or carton.weight is not None:
                packaging = sub(item, "Packaging")
                if carton.weight is not None:
                    sub(packaging, "Dimension", quantity=decimal_text(carton.weight),
                        type="grossWeight")
                if carton.sscc:
                    sub(packaging, "ShippingContainerSerialCode", carton.sscc)
            if packed.ordered_quantity is not None:
                sub(item, "Extrinsic", decimal_text(packed.ordered_quantity),
                    name="orderedQuantity")
