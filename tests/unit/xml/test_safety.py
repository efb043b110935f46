"""Hostile XML is refused before any content is used: XXE, entity bombs, DTDs, size."""
from __future__ import annotations

import pytest
from lxml import etree

from gateway.xml import UnsafeXMLError, XMLSyntaxError, parse_document
from gateway.xml.safe import parse_bytes
from tests.unit.xml.conftest import make_partner

SECRET = "ordergate-test-secret-4711"

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file://%s">]>
<cXML payloadID="1" timestamp="2026-01-01"><Request><OrderRequest>
<OrderRequestHeader orderID="1" orderDate="2026-01-01"><Comments>&xxe;</Comments>
</OrderRequestHeader></OrderRequest></Request></cXML>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


@pytest.fixture()
def secret_file(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def test_xxe_is_refused_and_nothing_is_read(secret_file) -> None:  # type: ignore[no-untyped-def]
    payload = XXE % str(secret_file).encode()
    # The payload is live: lxml's permissive defaults would read the file.
    permissive = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    assert SECRET in etree.tostring(etree.fromstring(payload, permissive)).decode()
    with pytest.raises(UnsafeXMLError) as caught:
        parse_document(make_partner(), payload, source="evil.xml")
    assert SECRET not in str(caught.value)
    assert caught.value.source == "evil.xml" and caught.value.line == 2
    assert caught.value.to_json()["code"] == "xml_unsafe"


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeXMLError, match="entity declarations are refused"):
        parse_document(make_partner(), BILLION_LAUGHS)


@pytest.mark.parametrize("payload", [
    b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd"><x/>',
    b'<!DOCTYPE x PUBLIC "-//A//B" "file:///etc/passwd"><x/>',
    b'<!DOCTYPE x [<!ELEMENT x ANY>]><x/>',
    b'<!DOCTYPE cXML SYSTEM "http://evil.example/cXML.dtd"><cXML/>',
    b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd" '
    b'[<!ATTLIST cXML a CDATA "x">]><cXML/>',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><x/>',
    "<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"
    .encode("utf-16"),
])
def test_doctypes_other_than_cxmls_own_are_refused(payload: bytes) -> None:
    with pytest.raises(UnsafeXMLError):
        parse_bytes(payload)


def test_the_bare_cxml_dtd_reference_is_accepted_but_never_loaded() -> None:
    tree = parse_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE cXML SYSTEM '
                       b'"http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd">\n<cXML/>')
    assert tree.getroot().tag == "cXML"
    with pytest.raises(UnsafeXMLError):
        parse_bytes(b'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd">'
                    b'<cXML/>', allow_cxml_doctype=False)


def test_size_limit_is_enforced_per_partner() -> None:
    body = b"<x>" + b"a" * 2000 + b"</x>"
    with pytest.raises(UnsafeXMLError, match="over the XML size limit of 1000"):
        parse_document(make_partner(options={"xml_max_bytes": "1000"}), body)


def test_not_well_formed_names_line_and_column() -> None:
    with pytest.raises(XMLSyntaxError) as caught:
        parse_bytes(b"<a>\n  <b>\n</a>", source="broken.xml")
    assert caught.value.line == 3 and caught.value.column is not None
    assert "broken.xml" in str(caught.value)


def test_text_and_empty_input_are_errors_not_tracebacks() -> None:
    with pytest.raises(XMLSyntaxError):
        parse_bytes("<x/>")  # type: ignore[arg-type]
    with pytest.raises(XMLSyntaxError):
        parse_bytes(b"")


def test_a_partner_can_refuse_even_the_cxml_dtd_reference(corpus) -> None:  # type: ignore[no-untyped-def]
    data = (corpus / "xml" / "cxml_OrderRequest.xml").read_bytes()
    assert parse_document(make_partner(), data).po_number
    with pytest.raises(UnsafeXMLError, match="DOCTYPE is refused"):
        parse_document(make_partner(options={"xml_refuse_cxml_doctype": "true"}), data)
