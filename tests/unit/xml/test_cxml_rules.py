"""cXML specifics: who sent it, unsupported requests, values that do not fit."""
from __future__ import annotations

import pytest

from gateway.xml import XMLDocumentError, XMLRenderError, parse_document, render_document
from tests.unit.xml.conftest import NOW, make_partner, purchase_order

ORDER = b"""<cXML payloadID="1" timestamp="2026-01-01T00:00:00Z">
<Header><From><Credential domain="NetworkId"><Identity>AN-BUYER</Identity></Credential></From>
<To><Credential domain="NetworkId"><Identity>AN-US</Identity></Credential></To></Header>
<Request><OrderRequest>
<OrderRequestHeader orderID="PO-1" orderDate="2026-01-05T09:00:00-08:00" type="update"/>
<ItemOut quantity="%s" lineNumber="1"><ItemID><SupplierPartID>S1</SupplierPartID></ItemID>
</ItemOut></OrderRequest></Request></cXML>"""


def test_sender_identity_must_match_when_configured() -> None:
    assert parse_document(make_partner(options={"cxml_identity": "AN-BUYER"}),
                          ORDER % b"2").purpose == "change"
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(make_partner(options={"cxml_identity": "AN-OTHER"}), ORDER % b"2")
    assert caught.value.value == "AN-BUYER" and caught.value.expected == "AN-OTHER"
    assert caught.value.xpath == "/cXML/Header/From/Credential/Identity"


def test_partner_local_date_is_kept() -> None:
    doc = parse_document(make_partner(), ORDER % b"2")
    assert str(doc.po_date) == "2026-01-05"


def test_bad_quantity_names_line_and_attribute() -> None:
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(make_partner(), ORDER % b"two", source="po.xml")
    error = caught.value
    assert (error.field, error.value, error.line) == ("lines.0.quantity", "two", 6)
    assert error.xpath.endswith("ItemOut/@quantity") and "po.xml" in str(error)


def test_unsupported_request_is_named() -> None:
    data = b"<cXML><Request><PunchOutSetupRequest/></Request></cXML>"
    with pytest.raises(XMLDocumentError, match="PunchOutSetupRequest is not supported"):
        parse_document(make_partner(), data)


def test_cxml_without_request() -> None:
    with pytest.raises(XMLDocumentError, match="without a request"):
        parse_document(make_partner(), b"<cXML><Header/></cXML>")


def test_render_refuses_what_cxml_cannot_carry() -> None:
    from gateway.canonical import FunctionalAck
    ack = FunctionalAck(functional_id="PO", group_control_number="1", group_verdict="A")
    with pytest.raises(XMLRenderError):
        render_document(make_partner(), ack, payload_id="1", now=NOW)


def test_shared_secret_comes_from_the_environment_only(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    partner = make_partner(options={"cxml_shared_secret_env": "OG_TEST_CXML_SECRET"})
    assert b"SharedSecret" not in render_document(partner, purchase_order(), payload_id="1",
                                                  now=NOW)
    monkeypatch.setenv("OG_TEST_CXML_SECRET", "s3cret")
    data = render_document(partner, purchase_order(), payload_id="1", now=NOW)
    assert b"<SharedSecret>s3cret</SharedSecret>" in data
