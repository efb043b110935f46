"""The public cXML samples translate into canonical documents whose key fields match an
independent reading of the same file (the standard library's ElementTree, not our code)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from gateway.canonical import PartyRole
from gateway.xml import parse_document
from tests.unit.xml.conftest import make_partner


def _independent(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())   # the DOCTYPE is external: expat does not fetch it


def _order_files(corpus: Path) -> list[Path]:
    files = sorted((corpus / "xml").glob("cxml_*.xml"))
    return [f for f in files if b"<OrderRequest" in f.read_bytes()]


def test_corpus_has_cxml_orders(corpus: Path) -> None:
    assert len(_order_files(corpus)) >= 2


def test_corpus_order_requests_match_an_independent_reading(corpus: Path) -> None:
    partner = make_partner("shopnet")
    for path in _order_files(corpus):
        root = _independent(path)
        header = root.find("Request/OrderRequest/OrderRequestHeader")
        items = root.findall("Request/OrderRequest/ItemOut")
        doc = parse_document(partner, path.read_bytes(), source=path.name)
        assert doc.po_number == header.get("orderID"), path.name
        assert str(doc.po_date) == header.get("orderDate")[:10], path.name
        assert len(doc.lines) == len(items), path.name
        assert [line.quantity for line in doc.lines] == [Decimal(i.get("quantity"))
                                                         for i in items], path.name
        assert [line.item.sku for line in doc.lines] == [
            i.findtext("ItemID/SupplierPartID") for i in items], path.name
        assert [line.unit_price for line in doc.lines] == [
            Decimal(i.findtext("ItemDetail/UnitPrice/Money")) for i in items], path.name
        postal = header.find("ShipTo/Address/PostalAddress")
        ship_to = doc.party(PartyRole.SHIP_TO)
        assert ship_to is not None and ship_to.address is not None
        assert ship_to.name == header.findtext("ShipTo/Address/Name")
        assert ship_to.address.city == postal.findtext("City")
        assert ship_to.address.postal_code == postal.findtext("PostalCode")
        assert ship_to.address.country == postal.find("Country").get("isoCountryCode")
        assert doc.totals.amount == Decimal(header.findtext("Total/Money"))
        assert doc.currency == header.find("Total/Money").get("currency")
        assert doc.buyer_partner_id == "shopnet"


def test_corpus_ship_notice_matches_an_independent_reading(corpus: Path) -> None:
    path = corpus / "xml" / "cxml_ShipNoticeRequest.xml"
    if not path.exists():
        pytest.skip("no cXML ship notice in the corpus")
    root = _independent(path)
    request = root.find("Request/ShipNoticeRequest")
    doc = parse_document(make_partner(), path.read_bytes())
    assert doc.shipment_id == request.find("ShipNoticeHeader").get("shipmentID")
    assert doc.po_number == request.find("ShipNoticePortion/OrderReference").get("orderID")
    assert doc.carrier.scac == request.findtext("ShipControl/CarrierIdentifier[@domain='SCAC']")
    assert doc.carrier.tracking_number == request.findtext("ShipControl/ShipmentIdentifier")


def test_ubl_is_not_mistaken_for_cxml(corpus: Path) -> None:
    from gateway.xml import XMLDocumentError
    path = corpus / "xml" / "ubl_peppol_Order_Example.xml"
    if not path.exists():
        pytest.skip("no UBL order in the corpus")
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(make_partner(), path.read_bytes(), source=path.name)
    assert "no XML mapping" in caught.value.message and caught.value.line is not None
