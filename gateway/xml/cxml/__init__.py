"""cXML 1.2: OrderRequest in; ConfirmationRequest, ShipNoticeRequest, InvoiceDetailRequest out.

Each document module has `read(reader, body, partner_id)` and `write(request, doc, now=...)`, so
every document also reads back what we write (round trips, and partners that send them to us).
"""
from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import Any

from gateway.xml.cxml import confirmation, invoice, order, shipnotice
from gateway.xml.cxml.envelope import check_sender, read_envelope, serialize, write_envelope
from gateway.xml.errors import XMLDocumentError, XMLRenderError
from gateway.xml.values import Reader

BY_REQUEST: dict[str, ModuleType] = {"OrderRequest": order, "ConfirmationRequest": confirmation,
                                     "ShipNoticeRequest": shipnotice,
                                     "InvoiceDetailRequest": invoice}
REQUEST_FOR: dict[str, str] = {"purchase_order": "OrderRequest",
                               "order_ack": "ConfirmationRequest",
                               "ship_notice": "ShipNoticeRequest", "invoice": "InvoiceDetailRequest"}


def read_cxml(root: Any, partner: Any, *, source: str | None = None) -> Any:
    reader = Reader(source=source, mapping="cxml")
    envelope = read_envelope(root, reader)
    module = BY_REQUEST.get(envelope.kind)
    if module is None:
        raise XMLDocumentError(f"cXML {envelope.kind} is not supported", source=source,
                               line=envelope.body.sourceline,
                               xpath=f"/cXML/Request/{envelope.kind}",
                               expected="one of " + ", ".join(BY_REQUEST))
    if partner is not None:
        check_sender(envelope, partner, reader)
    return module.read(reader, envelope.body, getattr(partner, "id", None))


def write_cxml(partner: Any, doc: Any, *, payload_id: str, now: dt.datetime) -> bytes:
    kind = REQUEST_FOR.get(getattr(doc, "document_type", ""))
    if kind is None:
        raise XMLRenderError(f"no cXML request carries a {getattr(doc, 'document_type', doc)!r}",
                             expected="one of " + ", ".join(REQUEST_FOR))
    root, request = write_envelope(partner, kind, payload_id=payload_id, now=now)
    module = BY_REQUEST[kind]
    if kind == "ConfirmationRequest":
        currency = (getattr(partner, "options", None) or {}).get("currency")
        module.write(request, doc, now=now, currency=currency)
    else:
        module.write(request, doc, now=now)
    return serialize(root, kind, partner)
