"""Reconciliation from real X12 files: the demo partners' mailboxes, `run_once`, then a pass.

Every exception here starts as a file a partner dropped (rendered with the same mappings that
read it, from the partner's side), goes through the gateway's check, mapping and the core, and is
found by reconciliation; the self-closing cases close when the later file arrives.
Uses the e2e `world` fixture (tests/e2e/conftest.py): demo-retailer and demo-vendor on SQLite.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from gateway.canonical import (AckLine, Carton, Invoice, InvoiceLine, ItemIds, OrderAck, PackItem,
                               ShipNotice, gs1_check_digit)
from gateway.flow.samples import Line, as_sender, functional_ack_997, interchange_850s
from gateway.mapping import ControlNumbers, render_outbound
from gateway.reconcile import run_all
from gateway.reconcile.tables import reconcile_exceptions as X
from gateway.x12 import GroupSpec, iter_transactions, write_interchange

RETAILER, VENDOR = "demo-retailer", "demo-vendor"
D = Decimal
PO_DATE = date(2026, 1, 5)


def _po(files: dict[str, bytes]):
    """Our 850 to the vendor: (bytes, tx, PO number, [(line, qty, price, vendor part)])."""
    for data in files.values():
        for tx in iter_transactions(data):
            if tx.set_id == "850":
                po = next(seg[3] for seg in tx.segments if seg.id == "BEG")
                lines = [(seg[1], D(seg[2]), D(seg[4] or "0"),
                          next((seg[i + 1] for i in range(6, 20, 2) if seg[i] in ("VN", "SK")), seg[7]))
                         for seg in tx.segments if seg.id == "PO1"]
                return data, tx, po, lines
    raise AssertionError(f"no 850 among {sorted(files)}")


def _render(world, doc, isa13: int) -> bytes:
    mirror = as_sender(world.gw.partners[VENDOR])
    return render_outbound(mirror, doc, control=ControlNumbers(isa13, isa13, 1),
                           now=datetime(2026, 1, 6, 9, 0))


def _ack(po, lines, *, price_delta=D(0)) -> OrderAck:
    return OrderAck(po_number=po, po_date=PO_DATE, ack_date=date(2026, 1, 6), ack_type="AC", lines=[
        AckLine(line_number=n, item=ItemIds(vendor_part=part), ordered_quantity=q,
                unit_price=p + price_delta, status="IP" if price_delta else "IA", quantity=q)
        for n, q, p, part in lines])


def _asn(shipment_id, po, lines, *, qty, serial: int) -> ShipNotice:
    body = f"0{serial:016d}"[:17]
    return ShipNotice(shipment_id=shipment_id, ship_date=date(2026, 1, 7), po_number=po,
                      po_date=PO_DATE, cartons=[
        Carton(sscc=body + gs1_check_digit(body),
               items=[PackItem(line_number=n, item=ItemIds(vendor_part=part), quantity=qty)
                      for n, _, _, part in lines])])


def _invoice(number, po, lines, *, qty, price, total=None) -> Invoice:
    return Invoice(invoice_number=number, invoice_date=date(2026, 1, 8), po_number=po,
                   po_date=PO_DATE, lines=[
        InvoiceLine(line_number=n, item=ItemIds(vendor_part=part), quantity=qty, unit_price=price)
        for n, _, _, part in lines], total_amount=total if total is not None else qty * price)


def _reconcile(world, hours: float):
    return run_all(world.gw.core, world.gw.partners,
                   datetime.now(timezone.utc) + timedelta(hours=hours))


def _open(world) -> dict[str, list[dict]]:
    with world.gw.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(X).where(X.c.status != "resolved")).mappings()]
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["type"], []).append(row)
    return out


def _resolved(world, type_: str) -> list[dict]:
    with world.gw.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(X).where(
            X.c.status == "resolved", X.c.type == type_)).mappings()]


def _order_to_vendor(world, po_number: str, isa13: int, qty: int = 4):
    retailer = world.gw.partners[RETAILER]
    world.drop(RETAILER, f"{po_number}.edi",
               interchange_850s(retailer, [(po_number, [Line("DEMO-900", qty)])], isa13=isa13))
    world.run()
    world.take_outbound(RETAILER)
    return _po(world.take_outbound(VENDOR))


def test_vendor_documents_reconciled_and_settled_by_later_files(world) -> None:
    vendor = world.gw.partners[VENDOR]
    data, tx, po, lines = _order_to_vendor(world, "PO-RC-1", isa13=901)
    [(_, ordered, price, _)] = lines

    # a day later nothing has come back: our 850 awaits its 997, the PO its 855
    _reconcile(world, 25)
    found = _open(world)
    assert any(r["partner_id"] == VENDOR for r in found["ack_overdue"])
    [overdue] = found["vendor_ack_overdue"]
    assert overdue["order_ref"] == po

    # the vendor's 997 and an 855 that raises the price by 2.00 arrive
    world.drop(VENDOR, "997.edi", functional_ack_997(
        vendor, [("PO", tx.group.control_number, tx.control_number, "A")], isa13=911))
    world.drop(VENDOR, "855.edi", _render(world, _ack(po, lines, price_delta=D(2)), 912))
    world.run()
    _reconcile(world, 26)
    found = _open(world)
    assert not any(r["partner_id"] == VENDOR for r in found.get("ack_overdue", []))
    assert "vendor_ack_overdue" not in found
    assert _resolved(world, "vendor_ack_overdue")[0]["note"].startswith("settled by 855")
    assert _resolved(world, "ack_overdue")[0]["note"].startswith("settled by 997")
    [changed] = found["vendor_ack_price"]
    assert f"855 price {price + 2:f}".rstrip("0").rstrip(".") in changed["reason"]

    # 3 of 4 shipped, 4 invoiced at the new price with a TDS that does not add up
    world.drop(VENDOR, "856.edi", _render(world, _asn("S-RC-1", po, lines, qty=ordered - 1,
                                                      serial=913), 913))
    world.drop(VENDOR, "810.edi", _render(world, _invoice(
        "I-RC-1", po, lines, qty=ordered, price=price + 2,
        total=ordered * (price + 2) + 5), 914))
    world.run()
    summary = _reconcile(world, 27)
    found = _open(world)
    assert "under-shipped, 3 shipped of 4" in found["asn_quantity"][0]["reason"]
    assert "only 3 shipped (856)" in found["invoice_not_shipped"][0]["reason"]
    assert {"invoice_price", "invoice_total"} <= set(found)
    assert summary.disputed == 1

    # the last unit ships: the quantity disputes close themselves, the price one stays open
    world.drop(VENDOR, "856b.edi", _render(world, _asn("S-RC-2", po, lines, qty=1, serial=915), 915))
    world.run()
    _reconcile(world, 28)
    found = _open(world)
    assert "asn_quantity" not in found and "invoice_not_shipped" not in found
    assert "invoice_price" in found
    assert [r["note"] for r in _resolved(world, "invoice_not_shipped")][0].startswith("settled")


def _ack_997_with_detail(vendor, gs06: str, st02: str, isa13: int) -> bytes:
    """A 997 rejecting our 850 with AK3/AK4 detail (N1 segment, element 2 invalid)."""
    segs = [("ST", ("997", "0001")), ("AK1", ("PO", gs06)), ("AK2", ("850", st02)),
            ("AK3", ("N1", "7", "", "8")), ("AK4", ("2", "93", "7", "XX")),
            ("AK5", ("R", "5")), ("AK9", ("R", "1", "1", "0"))]
    ident = vendor.x12
    group = GroupSpec("FA", ident.partner.gs_id, ident.us.gs_id, isa13, "004010", [segs])
    return write_interchange(sender=(ident.partner.isa_qualifier, ident.partner.isa_id),
                             receiver=(ident.us.isa_qualifier, ident.us.isa_id),
                             control_number=isa13, version="00401", usage=vendor.usage,
                             groups=[group], line_ending=vendor.x12.line_ending,
                             now=datetime(2026, 1, 6, 9, 0))


def test_bad_input_and_functional_acks_become_exceptions(world) -> None:
    vendor = world.gw.partners[VENDOR]
    data, tx, po, lines = _order_to_vendor(world, "PO-RC-2", isa13=921)
    [(_, ordered, price, _)] = lines
    # the vendor rejects our 850 with AK3/AK4 detail, and acknowledges a group we never sent
    world.drop(VENDOR, "997r.edi", _ack_997_with_detail(vendor, tx.group.control_number,
                                                        tx.control_number, 931))
    world.drop(VENDOR, "997x.edi", functional_ack_997(vendor, [("PO", "777777", "0001", "A")],
                                                      isa13=932))
    # an 810 and an 856 for a PO we never issued
    world.drop(VENDOR, "810x.edi", _render(world, _invoice("I-NOPE", "NOPE-1", lines, qty=1,
                                                           price=price), 933))
    world.drop(VENDOR, "856x.edi", _render(world, _asn("S-NOPE", "NOPE-2", lines, qty=1,
                                                       serial=934), 934))
    # an 856 for our PO carrying an item that is not on it
    world.drop(VENDOR, "856i.edi", _render(world, _asn("S-ODD", po, [("9", D(1), price, "ODD-PART")],
                                                       qty=1, serial=937), 937))
    # the same invoice number twice, in two interchanges
    invoice = _invoice("I-DUP", po, lines, qty=ordered, price=price)
    world.drop(VENDOR, "810a.edi", _render(world, invoice, 935))
    world.run()
    world.drop(VENDOR, "810b.edi", _render(world, invoice, 936))
    world.run()

    summary = _reconcile(world, 1)
    assert summary.errors == []
    found = _open(world)
    [rejected] = found["ack_rejected"]
    assert "AK3" in rejected["reason"] and "AK4" in rejected["reason"]
    [stray] = found["ack_unsolicited"]
    assert stray["partner_id"] == VENDOR and "acknowledges nothing we sent" in stray["reason"]
    [unknown_po] = found["invoice_unknown_po"]
    assert "NOPE-1" in unknown_po["reason"] and unknown_po["severity"] == "critical"
    [unknown_asn] = found["asn_unknown_order"]
    assert "NOPE-2" in unknown_asn["reason"]
    [odd] = found["asn_item_not_on_po"]
    assert "has no line 9" in odd["reason"] and odd["order_ref"] == "S-ODD"
    [dup] = found["invoice_duplicate"]
    assert dup["key"].endswith(":I-DUP") and len(dup["documents"]) == 2
