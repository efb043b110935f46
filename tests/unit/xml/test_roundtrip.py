"""canonical -> XML -> canonical gives back the same document, for every XML mapping."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.canonical import ItemIds, OrderLine, PurchaseOrder
from gateway.xml import parse_document, render_document
from gateway.xml.safe import parse_bytes
from tests.unit.xml.conftest import (NOW, invoice, make_partner, order_ack, purchase_order,
                                     ship_notice)

DOCUMENTS = {"OrderRequest": purchase_order, "ConfirmationRequest": order_ack,
             "ShipNoticeRequest": ship_notice, "InvoiceDetailRequest": invoice}


@pytest.mark.parametrize("request_name", sorted(DOCUMENTS))
def test_cxml_round_trip(request_name: str, cxml_partner) -> None:  # type: ignore[no-untyped-def]
    doc = DOCUMENTS[request_name]()
    data = render_document(cxml_partner, doc, payload_id="1@ordergate", now=NOW)
    tree = parse_bytes(data)
    assert tree.getroot().find(f"Request/{request_name}") is not None
    assert tree.docinfo.system_url.startswith("http://xml.cxml.org/schemas/cXML/1.2.050/")
    assert parse_document(cxml_partner, data) == doc


def test_cxml_envelope_names_both_sides_and_mode(cxml_partner) -> None:  # type: ignore[no-untyped-def]
    data = render_document(cxml_partner, order_ack(), payload_id="77@ordergate", now=NOW)
    root = parse_bytes(data).getroot()
    assert root.get("payloadID") == "77@ordergate"
    assert root.get("timestamp") == "2026-03-04T10:30:00+00:00"
    assert root.findtext("Header/From/Credential/Identity") == "ORDERGATE"
    assert root.findtext("Header/To/Credential/Identity") == "SHOPNET"
    assert root.find("Request").get("deploymentMode") == "test"
    production = make_partner("shopnet", usage="P")
    data = render_document(production, order_ack(), payload_id="1", now=NOW)
    assert b'deploymentMode="production"' in data


def test_acme_round_trip(acme_partner) -> None:  # type: ignore[no-untyped-def]
    # Everything the acme format carries (it has no UPC and no vendor part number).
    doc = purchase_order()
    lines = [line.model_copy(update={"item": line.item.model_copy(
        update={"upc": None, "vendor_part": None})}) for line in doc.lines]
    doc = doc.model_copy(update={"buyer_partner_id": "acme", "lines": lines})
    data = render_document(acme_partner, doc, payload_id="MSG-1", now=NOW)
    assert b"urn:example:acme:order:2" in data and b'messageId="MSG-1"' in data
    assert b"<a:PriceCents>250</a:PriceCents>" in data           # implied decimals
    assert b'unit="CTN"' in data                                  # their code for our CA
    assert parse_document(acme_partner, data) == doc


_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                min_size=1, max_size=12)
_amount = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)


@given(po=_text, skus=st.lists(_text, min_size=1, max_size=5), qty=_amount, price=_amount)
def test_any_order_survives_both_formats(po: str, skus: list[str], qty: Decimal,
                                         price: Decimal) -> None:
    doc = PurchaseOrder(po_number=po, po_date=dt.date(2026, 1, 31), currency="USD",
                        buyer_partner_id="acme",
                        lines=[OrderLine(line_number=str(n), item=ItemIds(sku=sku),
                                         quantity=qty, unit_price=price)
                               for n, sku in enumerate(skus, 1)])
    cxml = make_partner("acme", documents=[{"type": "850", "direction": "out",
                                            "format": "cxml"}])
    acme = make_partner("acme", documents=[
        {"type": "850", "direction": "in", "format": "xml", "mapping": "acme-order"},
        {"type": "850", "direction": "out", "format": "xml", "mapping": "acme-order"}])
    assert parse_document(cxml, render_document(cxml, doc, payload_id="p", now=NOW)) == doc
    assert parse_document(acme, render_document(acme, doc, payload_id="p", now=NOW)) == doc
