"""XML documents: cXML 1.2 and partner-specific XML mapped by XPath, through one hardened parser.

    from gateway.xml import parse_document, render_document
    doc = parse_document(partner, data)                 # bytes -> canonical document
    data = render_document(partner, doc, payload_id="...", now=datetime.now(timezone.utc))

Inbound: the document element decides: `cXML` is read as cXML (OrderRequest, and also
ConfirmationRequest, ShipNoticeRequest, InvoiceDetailRequest); any other root is matched against
the partner's `documents` entries with `format: xml` (their `mapping` names a file under
mappings/xml/, HOME/mappings/xml/ first). Outbound: the partner's `documents` entry for the
document type and direction `out` picks `format: xml` (its mapping) or cXML (anything else).
`gateway.mapping.parse_xml` is this module's `parse_xml` (= `parse_document`).

Every failure is an `XMLError` (UnsafeXMLError, XMLSyntaxError, XMLDocumentError, XMLRenderError)
with its line, XPath and canonical field as attributes; mapping files raise XMLMappingFileError
(a PartnerError naming the file and the key).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.xml.errors import (UnsafeXMLError, XMLDocumentError, XMLError, XMLMappingFileError,
                                XMLRenderError, XMLSyntaxError)
from gateway.xml.safe import DEFAULT_MAX_BYTES, parse_bytes
from gateway.xml.values import local_name

from gateway.xml.check import XMLCheck, check_partner_xml

__all__ = ["parse_document", "parse_xml", "render_document", "parse_bytes", "XMLError",
           "XMLCheck", "check_partner_xml",
           "UnsafeXMLError", "XMLSyntaxError", "XMLDocumentError", "XMLRenderError",
           "XMLMappingFileError", "xml_mappings_for"]

SET_ID = {"purchase_order": "850", "order_ack": "855", "ship_notice": "856", "invoice": "810"}


def parse_document(partner: Any, data: bytes, *, source: str | None = None) -> Any:
    """Partner XML bytes -> canonical document, or an `XMLError` saying where and why."""
    options = getattr(partner, "options", None) or {}
    strict = str(options.get("xml_refuse_cxml_doctype", "")).lower() in {"1", "true", "yes"}
    tree = parse_bytes(data, source=source, max_bytes=_max_bytes(partner),
                       allow_cxml_doctype=not strict)
    root = tree.getroot()
    if local_name(root) == "cXML" and root.nsmap.get(root.prefix) is None:
        from gateway.xml.cxml import read_cxml
        return read_cxml(root, partner, source=source)
    from gateway.xml.xpathmap.engine import matches_root, read_document
    mappings = xml_mappings_for(partner, "in")
    for mapping in mappings:
        if matches_root(mapping, root):
            return read_document(mapping, root, source=source,
                                 partner_id=getattr(partner, "id", None))
    known = ", ".join(f"{m.root} ({m.name})" for m in mappings) or "none configured"
    raise XMLDocumentError(f"no XML mapping of partner {getattr(partner, 'id', None)!r} reads "
                           f"this document", source=source, line=root.sourceline,
                           xpath=f"/{root.tag}", expected=f"cXML or one of: {known}")


def parse_xml(partner: Any, data: bytes) -> Any:
    """The name `gateway.mapping.parse_xml` forwards to (docs/CONTRACTS.md)."""
    return parse_document(partner, data)


def render_document(partner: Any, doc: Any, *, payload_id: str,
                    now: dt.datetime | None = None) -> bytes:
    """Canonical document -> the partner's XML (cXML unless a `format: xml` mapping is set)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    set_id = SET_ID.get(getattr(doc, "document_type", ""))
    spec = _document_spec(partner, set_id, "out") if set_id else None
    if spec is not None and _format(spec) == "xml":
        from gateway.xml.xpathmap.engine import render_document as render_mapped
        from gateway.xml.xpathmap.spec import load_xml_mapping
        if not spec.mapping:
            raise XMLRenderError(f"partner {partner.id} sends {set_id} as XML without a mapping",
                                 expected="documents[].mapping naming a file under mappings/xml/")
        mapping = load_xml_mapping(spec.mapping, getattr(partner, "home", None))
        return render_mapped(mapping, doc, payload_id=payload_id, now=now)
    from gateway.xml.cxml import write_cxml
    return write_cxml(partner, doc, payload_id=payload_id, now=now)


def xml_mappings_for(partner: Any, direction: str) -> list[Any]:
    """The partner's XPath mappings for one direction (loaded and checked)."""
    from gateway.xml.xpathmap.spec import load_xml_mapping
    found = []
    for spec in getattr(partner, "documents", None) or []:
        if _format(spec) == "xml" and _value(spec.direction) == direction and spec.mapping:
            found.append(load_xml_mapping(spec.mapping, getattr(partner, "home", None)))
    return found


def _document_spec(partner: Any, set_id: str, direction: str) -> Any:
    for spec in getattr(partner, "documents", None) or []:
        if spec.type == set_id and _value(spec.direction) == direction:
            return spec
    return None


def _format(spec: Any) -> str:
    return str(_value(getattr(spec, "format", "x12")))


def _value(item: Any) -> Any:
    return getattr(item, "value", item)


def _max_bytes(partner: Any) -> int:
    options = getattr(partner, "options", None) or {}
    try:
        return int(options.get("xml_max_bytes", DEFAULT_MAX_BYTES))
    except (TypeError, ValueError):
        return DEFAULT_MAX_BYTES
