"""A partner's own XML, mapped with XPath only (mappings/xml/acme-order.yaml)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from gateway.canonical import PartyRole
from gateway.xml import XMLDocumentError, XMLMappingFileError, parse_document, render_document
from gateway.xml.xpathmap.spec import load_xml_mapping
from tests.unit.xml.conftest import DATA, NOW, make_partner, purchase_order

SAMPLE = (DATA / "acme_order.xml").read_bytes()


def test_sample_becomes_the_expected_order(acme_partner) -> None:  # type: ignore[no-untyped-def]
    doc = parse_document(acme_partner, SAMPLE, source="acme_order.xml")
    assert (doc.po_number, doc.po_date, doc.currency, doc.purpose) == (
        "AC-77001", dt.date(2026, 3, 2), "EUR", "original")
    assert doc.buyer_partner_id == "acme"
    assert [(r.type, r.value) for r in doc.references] == [("contract", "RV-2026-11")]
    assert [(d.type, d.date) for d in doc.dates] == [("delivery_requested", dt.date(2026, 3, 16))]
    ship_to = doc.party(PartyRole.SHIP_TO)
    assert ship_to.id == "4012345000009" and ship_to.id_qualifier == "UL"
    assert ship_to.address.lines == ["Hafenstrasse 5", "Tor 3"]
    assert ship_to.address.city == "Hamburg"
    assert doc.party(PartyRole.BILL_TO).name == "Acme Industrial GmbH"
    first, second = doc.lines
    assert (first.line_number, first.item.sku, first.item.buyer_part, first.item.gtin) == (
        "10", "SKU-1001", "ACME-88-1", "04012345000016")
    assert (first.quantity, first.uom, first.unit_price) == (Decimal(12), "BX", Decimal("12.50"))
    assert (second.quantity, second.uom, second.unit_price, second.requested_date) == (
        Decimal("3.5"), "EA", Decimal("0.99"), dt.date(2026, 3, 20))
    assert doc.totals.amount == Decimal("153.47") and doc.totals.line_count == 2


def test_cxml_still_works_for_a_partner_with_its_own_format(acme_partner) -> None:  # type: ignore[no-untyped-def]
    cxml = render_document(make_partner(), purchase_order(), payload_id="x", now=NOW)
    assert parse_document(acme_partner, cxml).po_number == "PO-9001"


@pytest.fixture()
def unchecked_partner(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Acme's mapping without its XSD: the mapping's own checks must stand alone."""
    from gateway.xml.xpathmap.spec import REPO_MAPPINGS
    folder = tmp_path / "mappings" / "xml"
    folder.mkdir(parents=True)
    text = (REPO_MAPPINGS / "acme-order.yaml").read_text()
    (folder / "acme-order.yaml").write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("schema:")))
    return make_partner(documents=[{"type": "850", "direction": "in", "format": "xml",
                                    "mapping": "acme-order"}]).with_home(tmp_path)


def test_schema_violations_are_refused_with_their_place(acme_partner) -> None:  # type: ignore[no-untyped-def]
    bad = SAMPLE.replace(b"<a:OrderDate>02.03.2026</a:OrderDate>",
                         b"<a:OrderDate>2026-03-02</a:OrderDate>")
    bad = bad.replace(b"<a:PriceCents>99</a:PriceCents>", b"<a:PriceCents>0.99</a:PriceCents>")
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(acme_partner, bad, source="acme_order.xml")
    error = caught.value
    assert "acme-order.xsd" in error.message and "(and 1 more)" in error.message
    assert (error.line, error.xpath) == (6, "/a:Order/a:Head/a:OrderDate")
    assert [line for line, _, _ in error.violations] == [6, 37]


def test_rendered_acme_follows_the_schema(acme_partner) -> None:  # type: ignore[no-untyped-def]
    doc = parse_document(acme_partner, SAMPLE)
    data = render_document(acme_partner, doc, payload_id="M-1", now=NOW)
    assert parse_document(acme_partner, data) == doc       # read back = validated again


def test_bad_date_names_line_xpath_and_field(unchecked_partner) -> None:  # type: ignore[no-untyped-def]
    bad = SAMPLE.replace(b"<a:OrderDate>02.03.2026</a:OrderDate>",
                         b"<a:OrderDate>2026-03-02</a:OrderDate>")
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(unchecked_partner, bad, source="acme_order.xml")
    error = caught.value
    assert (error.field, error.value, error.line, error.mapping) == (
        "po_date", "2026-03-02", 6, "acme-order")
    assert error.xpath.endswith("a:Head/a:OrderDate") and "%d.%m.%Y" in error.expected


def test_missing_required_value(unchecked_partner) -> None:  # type: ignore[no-untyped-def]
    bad = SAMPLE.replace(b"<a:Quantity unit=\"PCE\">3.5</a:Quantity>", b"")
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(unchecked_partner, bad)
    assert caught.value.field == "lines.1.quantity" and caught.value.line == 34


def test_canonical_validation_error_points_into_the_file(unchecked_partner) -> None:  # type: ignore[no-untyped-def]
    bad = SAMPLE.replace(b'role="INVOICE"', b'role="CARRIER"')
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(unchecked_partner, bad)
    assert caught.value.field == "parties.1.role" and caught.value.value == "CARRIER"
    assert caught.value.line == 20


def test_unknown_root_lists_what_the_partner_reads(acme_partner) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(XMLDocumentError) as caught:
        parse_document(acme_partner, b'<Order xmlns="urn:other"/>')
    assert "a:Order (acme-order)" in caught.value.expected


# ---- mapping files are checked when they load -------------------------------------------------
def _home_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "mappings" / "xml").mkdir(parents=True)
    (tmp_path / "mappings" / "xml" / "custom.yaml").write_text(text)
    return tmp_path


BASE = "name: custom\ndocument: purchase_order\nroot: Order\n"


@pytest.mark.parametrize("body, key, expected", [
    ("fields: {po_numbr: OrderNo}", "fields.po_numbr", "po_number"),
    ("fields: {po_number: 'Order[@'}", "fields.po_number.path", "XPath"),
    ("lists: {lines: [{each: Line, fields: {item.skew: Sku}}]}", "lists.lines.0.fields.item.skew",
     "sku"),
    ("fields: {po_number: {path: OrderNo, type: money}}", "fields.po_number.type", None),
    ("fields: {po_number: {required: true}}", "fields.po_number", None),
    ("schema: missing.xsd", "schema", "does not exist"),
    ("order: ['a:']", "order.0", "XPath"),
])
def test_mapping_file_errors_name_file_and_key(tmp_path: Path, body: str, key: str,
                                               expected: str | None) -> None:
    home = _home_with(tmp_path, BASE + body)
    with pytest.raises(XMLMappingFileError) as caught:
        load_xml_mapping("custom", home)
    assert caught.value.file.endswith("custom.yaml")
    assert caught.value.key_path == key
    if expected:
        assert expected in str(caught.value)


def test_home_mapping_overrides_the_repository_one(tmp_path: Path) -> None:
    home = _home_with(tmp_path, BASE + "fields: {po_number: '@no', po_date: '@date'}\n"
                      "lists: {lines: [{each: L, fields: {quantity: '@q'}}]}")
    (home / "mappings" / "xml" / "acme-order.yaml").write_text(
        (home / "mappings" / "xml" / "custom.yaml").read_text().replace("custom", "acme-order"))
    partner = make_partner(documents=[{"type": "850", "direction": "in", "format": "xml",
                                       "mapping": "acme-order"}]).with_home(home)
    doc = parse_document(partner, b'<Order no="7" date="2026-01-02"><L q="3"/></Order>')
    assert doc.po_number == "7" and doc.lines[0].quantity == 3


def test_missing_mapping_file_is_a_configuration_error(tmp_path: Path) -> None:
    partner = make_partner(documents=[{"type": "850", "direction": "in", "format": "xml",
                                       "mapping": "nowhere"}]).with_home(tmp_path)
    with pytest.raises(XMLMappingFileError, match="no XML mapping named 'nowhere'"):
        parse_document(partner, b"<Order/>")


def test_partner_check_reports_each_xml_document(tmp_path: Path) -> None:
    from gateway.xml import check_partner_xml
    _home_with(tmp_path, BASE + "fields: {po_numbr: OrderNo}")
    partner = make_partner(documents=[
        {"type": "850", "direction": "in", "format": "xml", "mapping": "acme-order"},
        {"type": "855", "direction": "out", "format": "xml", "mapping": "custom"},
        {"type": "856", "direction": "out", "format": "cxml"},
        {"type": "997", "direction": "out", "format": "cxml"},
        {"type": "810", "direction": "out"}]).with_home(tmp_path)
    checks = {(c.doc_type, c.direction): c for c in check_partner_xml(partner)}
    assert set(checks) == {("850", "in"), ("855", "out"), ("856", "out"), ("997", "out")}
    assert checks[("850", "in")].ok and "acme-order.xsd" in checks[("850", "in")].message
    bad = checks[("855", "out")]
    assert not bad.ok and bad.key_path == "fields.po_numbr" and bad.file.endswith("custom.yaml")
    assert checks[("856", "out")].ok and not checks[("997", "out")].ok


def test_acme_order_response_round_trip() -> None:
    from tests.unit.xml.conftest import order_ack
    partner = make_partner(documents=[
        {"type": "855", "direction": "out", "format": "xml", "mapping": "acme-order-response"},
        {"type": "855", "direction": "in", "format": "xml", "mapping": "acme-order-response"}])
    ack = order_ack()
    ack = ack.model_copy(update={"parties": [], "totals": None, "lines": [
        line.model_copy(update={"item": line.item.model_copy(update={"description": None})})
        for line in ack.lines]})
    data = render_document(partner, ack, payload_id="R-1", now=NOW)
    assert b'status="BACKORDER"' in data and b"<a:DeliverOn>08.03.2026</a:DeliverOn>" in data
    assert parse_document(partner, data) == ack
