"""Sample inbound files in a partner's own identity: 850 purchase orders (for the demo, the tests
and the throughput benchmark) and 997s answering our documents.

Used by `ordergate demo` when the partners part offers no `gateway.partners.samples.demo_850s`,
and by tests/e2e and benchmarks/gateway_throughput.py, so every one of them exercises the same
envelope, mapping and core path as a real partner's file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence

from gateway.x12.model import Delimiters
from gateway.x12.writer import GroupSpec, write_interchange

GS_VERSION = "004010"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    price: Decimal = Decimal("10.00")


def _ident(partner: Any) -> tuple[tuple[str, str], tuple[str, str], str, str]:
    ident, us = partner.x12.partner, partner.x12.us
    return ((ident.isa_qualifier, ident.isa_id), (us.isa_qualifier, us.isa_id),
            ident.gs_id or ident.isa_id, us.gs_id or us.isa_id)


def po_850_segments(po_number: str, lines: Sequence[Line], *, po_date: date,
                    ship_to: tuple[str, str, str, str, str] = (
                        "Demo Store 12", "100 Main St", "Columbus", "OH", "43215")) -> list:
    name, street, city, state, postal = ship_to
    segments: list = [("ST", ("850", "")),
                      ("BEG", ("00", "SA", po_number, "", po_date.strftime("%Y%m%d"))),
                      ("N1", ("ST", name, "92", "0012")), ("N3", (street,)),
                      ("N4", (city, state, postal, "US"))]
    for n, line in enumerate(lines, 1):
        segments.append(("PO1", (str(n), str(line.quantity), "EA", f"{line.price:.2f}", "",
                                 "VN", line.sku)))
    segments.append(("CTT", (str(len(lines)), str(sum(line.quantity for line in lines)))))
    return segments


def interchange_850s(partner: Any, orders: Sequence[tuple[str, Sequence[Line]]], *, isa13: int,
                     now: datetime | None = None, sender: Any = None) -> bytes:
    """One interchange from `partner` (or from `sender`'s identity, to forge a misrouted file)
    holding one 850 per (po_number, lines)."""
    now = now or datetime(2026, 1, 5, 9, 30)
    who = sender or partner
    (isa_from, isa_to, gs_from, gs_to) = _ident(who)
    txs = [po_850_segments(po, lines, po_date=now.date()) for po, lines in orders]
    group = GroupSpec("PO", gs_from, gs_to, isa13, GS_VERSION, txs)
    d = partner.x12.delimiters
    delimiters = Delimiters(d.element.encode(), d.component.encode(), d.segment.encode(), None)
    return write_interchange(sender=isa_from, receiver=isa_to, control_number=isa13,
                             version="00401", usage=partner.usage, groups=[group],
                             delimiters=delimiters, line_ending=partner.x12.line_ending, now=now)


def functional_ack_997(partner: Any, answers: Sequence[tuple[str, str, str, str]], *, isa13: int,
                       now: datetime | None = None) -> bytes:
    """A 997 from `partner` answering our groups: (functional id, GS06, ST02, code A|E|R)."""
    now = now or datetime(2026, 1, 5, 10, 0)
    (isa_from, isa_to, gs_from, gs_to) = _ident(partner)
    txs = []
    by_group: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for fid, gs06, st02, code in answers:
        by_group.setdefault((fid, gs06), []).append((st02, code))
    for (fid, gs06), sets in by_group.items():
        segs: list = [("ST", ("997", "")), ("AK1", (fid, gs06))]
        set_id = {"PO": "850", "PR": "855", "SH": "856", "IN": "810"}.get(fid, "850")
        for st02, code in sets:
            segs += [("AK2", (set_id, st02)), ("AK5", (code,) if code != "R" else (code, "5"))]
        worst = "R" if any(c == "R" for _, c in sets) else "A"
        segs.append(("AK9", (worst, str(len(sets)), str(len(sets)),
                             str(sum(1 for _, c in sets if c != "R")))))
        txs.append(segs)
    group = GroupSpec("FA", gs_from, gs_to, isa13, GS_VERSION, txs)
    return write_interchange(sender=isa_from, receiver=isa_to, control_number=isa13,
                             version="00401", usage=partner.usage, groups=[group],
                             line_ending=partner.x12.line_ending, now=now)


STOCK_SKUS = ("DEMO-100", "DEMO-200", "DEMO-300")
DROP_SKUS = ("DEMO-900",)


def seed_world(core: Any, *, stock_skus: Sequence[str] = STOCK_SKUS,
               drop_skus: Sequence[str] = DROP_SKUS, stock: int = 1_000_000,
               vendor: str = "demo-vendor") -> None:
    """A warehouse with stock of `stock_skus`, and the drop-ship vendor `vendor` as the only
    source of `drop_skus`: enough for the seller and the drop-ship flows (tests, benchmarks).
    Idempotent: re-defining a location or item updates it."""
    from core.domain.commands import DefineItem, DefineLocation, ReceiveInventory

    core.handle(DefineLocation("WH-COLUMBUS", "warehouse", name="Columbus DC", postal_code="43215",
                               state="OH", priority=10))
    core.handle(DefineLocation(vendor, "dropship", name="Demo Vendor", postal_code="10001",
                               state="NY", partner_id=vendor, cost=Decimal("1")))
    for sku in stock_skus:
        core.handle(DefineItem(sku, description=f"Stock item {sku}", unit_price=Decimal("10.00")))
        core.handle(ReceiveInventory(sku, "WH-COLUMBUS", Decimal(stock), reference="seed"))
    for sku in drop_skus:
        core.handle(DefineItem(sku, description=f"Drop-ship item {sku}", unit_price=Decimal("25.00"),
                               vendors=((vendor, f"V-{sku}", Decimal("12.00")),)))


def as_sender(partner: Any) -> Any:
    """The partner's profile seen from its own side: it sends (direction out) what we receive,
    under its own identity. Lets tests and the demo produce a vendor's 855/856/810 with the same
    mappings that will read them."""
    from gateway.partners.profile import Direction

    x12 = partner.x12.model_copy(update={"partner": partner.x12.us, "us": partner.x12.partner})
    docs = [d.model_copy(update={"direction": Direction.OUT if d.direction == Direction.IN
                                 else Direction.IN, "mapping": None})
            for d in partner.documents]
    mirror = partner.model_copy(update={"x12": x12, "documents": docs})
    return mirror.with_home(partner.home)


def vendor_replies(vendor: Any, po_850: bytes, *, first_isa13: int,
                   ship_date: date | None = None) -> dict[str, bytes]:
    """What a drop-ship vendor sends back for our 850: '855', '856' and '810' interchanges
    accepting, shipping and invoicing every line in full (quantities and prices from the 850)."""
    from gateway.canonical import (AckLine, Carton, Invoice, InvoiceLine, ItemIds, OrderAck,
                                   PackItem, ShipNotice, gs1_check_digit)
    from gateway.mapping import ControlNumbers, render_outbound
    from gateway.x12 import iter_transactions

    ship_date = ship_date or date(2026, 1, 6)
    tx = next(iter_transactions(po_850))
    po = next(seg[3] for seg in tx.segments if seg.id == "BEG")
    lines = [(seg[1], Decimal(seg[2]), Decimal(seg[4] or "0"),
              next((seg[i + 1] for i in range(6, 20, 2) if seg[i] in ("VN", "SK")), seg[7]))
             for seg in tx.segments if seg.id == "PO1"]
    mirror = as_sender(vendor)
    po_date = next((datetime.strptime(seg[5], "%Y%m%d").date() for seg in tx.segments
                    if seg.id == "BEG" and seg[5]), ship_date)
    ack = OrderAck(po_number=po, po_date=po_date, ack_number=f"A-{po}", ack_date=ship_date, ack_type="AC",
                   lines=[AckLine(line_number=n, item=ItemIds(vendor_part=part),
                                  ordered_quantity=q, unit_price=p, status="IA", quantity=q)
                          for n, q, p, part in lines])
    body = f"0{first_isa13:016d}"[:17]
    ship = ShipNotice(shipment_id=f"S-{po}", ship_date=ship_date, po_number=po, po_date=po_date,
                      package_count=1, gross_weight=Decimal("12.5"),
                      cartons=[Carton(sscc=body + gs1_check_digit(body),
                                      items=[PackItem(line_number=n, item=ItemIds(vendor_part=part),
                                                      quantity=q) for n, q, _, part in lines])])
    invoice = Invoice(invoice_number=f"I-{po}", invoice_date=ship_date, po_number=po, po_date=po_date,
                      lines=[InvoiceLine(line_number=n, item=ItemIds(vendor_part=part), quantity=q,
                                         unit_price=p) for n, q, p, part in lines],
                      total_amount=sum((q * p for _, q, p, _ in lines), Decimal(0)))
    now = datetime.combine(ship_date, datetime.min.time())
    out = {}
    for n, (kind, doc) in enumerate((("855", ack), ("856", ship), ("810", invoice))):
        number = first_isa13 + n
        out[kind] = render_outbound(mirror, doc, control=ControlNumbers(number, number, 1), now=now)
    return out
