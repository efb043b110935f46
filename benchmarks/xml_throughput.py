"""XML throughput: cXML OrderRequest and the acme XPath mapping, parse and render.

    python benchmarks/xml_throughput.py --docs 200 --lines 20

Builds canonical purchase orders, renders each format, then parses them back; prints documents/s
and lines/s per direction and format (one process, one core).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.canonical import Address, ItemIds, OrderLine, Party, PurchaseOrder  # noqa: E402
from gateway.partners.profile import PartnerProfile  # noqa: E402
from gateway.xml import parse_document, render_document  # noqa: E402

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def order(n: int, lines: int) -> PurchaseOrder:
    return PurchaseOrder(
        po_number=f"PO-{n:06d}", po_date=dt.date(2026, 1, 2), currency="USD",
        buyer_partner_id="bench",
        parties=[Party(role="ship_to", name="Store", address=Address(
            lines=["1 Main St"], city="Columbus", state="OH", postal_code="43201", country="US"))],
        lines=[OrderLine(line_number=str(k), item=ItemIds(sku=f"SKU-{k}", description="Thing"),
                         quantity=Decimal(k), unit_price=Decimal("9.99"))
               for k in range(1, lines + 1)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--lines", type=int, default=20)
    args = parser.parse_args()
    docs = [order(n, args.lines) for n in range(args.docs)]
    partners = {
        "cxml": PartnerProfile(id="bench", name="B", role="customer",
                               x12={"partner": {"isa_id": "BENCH"}}),
        "acme-xml": PartnerProfile(id="bench", name="B", role="customer",
                                   x12={"partner": {"isa_id": "BENCH"}}, documents=[
                                       {"type": "850", "direction": d, "format": "xml",
                                        "mapping": "acme-order"} for d in ("in", "out")]),
    }
    print(f"{args.docs} orders of {args.lines} lines")
    for label, partner in partners.items():
        started = time.perf_counter()
        rendered = [render_document(partner, doc, payload_id=str(n), now=NOW)
                    for n, doc in enumerate(docs)]
        render = time.perf_counter() - started
        started = time.perf_counter()
        parsed = [parse_document(partner, data) for data in rendered]
        parse = time.perf_counter() - started
        assert parsed == docs
        size = sum(map(len, rendered)) / len(rendered)
        print(f"{label:8} render {args.docs / render:8.1f} docs/s "
              f"{args.docs * args.lines / render:9.0f} lines/s   ({size / 1024:.1f} KiB each)")
        print(f"{label:8} parse  {args.docs / parse:8.1f} docs/s "
              f"{args.docs * args.lines / parse:9.0f} lines/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
