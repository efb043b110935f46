"""A cXML customer through the real flow: an OrderRequest dropped in its mailbox becomes an order,
and the acknowledgement goes back as a cXML ConfirmationRequest (not X12)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lxml import etree

from gateway.canonical import Address, ItemIds, OrderLine, Party, PurchaseOrder
from gateway.flow.samples import STOCK_SKUS
from gateway.partners import load_partner
from gateway.xml import render_document
from tests.e2e.conftest import World, make_home

PROFILE = """\
id: shopnet
name: Shopnet Procurement
role: customer
usage: T
x12:
  partner: {isa_qualifier: ZZ, isa_id: SHOPNET, gs_id: SHOPNET}
  us: {isa_qualifier: ZZ, isa_id: ORDERGATE, gs_id: ORDERGATE}
documents:
  - {type: "850", direction: in, format: cxml}
  - {type: "855", direction: out, format: cxml}
transport:
  type: local
  inbound_dir: mailboxes/shopnet/inbound
  outbound_dir: mailboxes/shopnet/outbound
  filename_pattern: "{partner}_{doc_type}_{control}.xml"
  stable_seconds: 0
acks:
  send_997: on_error
"""


def _order_request(home: Path) -> bytes:
    partner = load_partner(home, "shopnet")
    order = PurchaseOrder(
        po_number="CX-1001", po_date=dt.date(2026, 11, 20), currency="USD",
        parties=[Party(role="ship_to", name="Shopnet DC", address=Address(
            lines=["1 Dock Road"], city="Columbus", state="OH", postal_code="43201", country="US"))],
        lines=[OrderLine(line_number="1", item=ItemIds(sku=STOCK_SKUS[0]), quantity=Decimal("3"),
                         uom="EA", unit_price=Decimal("4.25"))])
    return render_document(partner, order, payload_id="cx-1001@shopnet",
                           now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc))


def test_cxml_order_request_in_confirmation_request_out(tmp_path: Path) -> None:
    home = make_home(tmp_path / "home")
    (home / "partners" / "shopnet.yaml").write_text(PROFILE)
    world = World(home)
    try:
        world.drop("shopnet", "order-1001.xml", _order_request(home))
        world.run()
        world.run()

        inbound = world.documents(direction="in", partner="shopnet")
        assert [(d["doc_type"], d["status"]) for d in inbound] == [("cxml", "accepted")]
        order = world.gw.core.orders.by_po("CX-1001", "shopnet")
        assert order is not None and [Decimal(line["ordered"]) for line in order["lines"]] == [3]

        written = world.outbound("shopnet")
        assert len(written) == 1, sorted(written)
        [(name, data)] = written.items()
        assert name.endswith(".xml")
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        assert root.tag == "cXML"
        assert root.find(".//ConfirmationRequest") is not None
        assert root.find(".//OrderReference").get("orderID") == "CX-1001"
    finally:
        world.gw.close()
