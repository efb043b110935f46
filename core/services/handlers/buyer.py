"""Buyer side: purchase orders we send to vendors and what vendors send back (855, 856, 810).

Drop-ship: sourcing a line to a drop-ship location creates a vendor PO (850 to the vendor). The
vendor's 855 rejecting a line frees that allocation, excludes the vendor for the line and sources
it again; its 856 is our shipment to the customer (856 out); its 810 lets us invoice the customer
(810 out, when `invoice_on_vendor_invoice` is on in sourcing.yaml).
Stock POs: the vendor's 856 puts the goods in transit at our location until received."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select, update

from core.adapters import tables as t
from core.domain import commands as c
from core.domain import fulfilment
from core.domain.errors import (IllegalTransition, InvalidCommand, InvariantViolation, UnknownItem,
                                UnknownLocation, UnknownVendorOrder)
from core.domain.model import Allocation, Order, OrderLine
from core.domain.quantities import ZERO
from core.domain.transitions import Step
from core.inventory.ledger import MovementKind
from core.services.flow import Context, finish
from core.services.handlers.shipping import invoice_lines, ship_lines
from core.services.sourcing import source
from core.services.unit_of_work import UnitOfWork
from core.services.validation import price, quantity

REJECT_CODES = {"IR", "ID", "R1", "R2", "R3", "R4"}  # ACK01 codes that refuse the line


def _new_po_number(uow: UnitOfWork) -> str:
    return f"VPO{uow.sequences.next('vendor_po'):07d}"


def create_dropship_orders(uow: UnitOfWork, order: Order,
                           pending: list[tuple[OrderLine, Allocation]]) -> list[int]:
    """One vendor PO per vendor for the new drop-ship allocations, each with an 850 outbox row."""
    by_loc: dict[str, list[tuple[OrderLine, Allocation]]] = {}
    for line, alloc in pending:
        by_loc.setdefault(alloc.location, []).append((line, alloc))
    locations = {loc.code: loc for loc in uow.locations()}
    costs = uow.vendor_items(line.sku or "" for line, _ in pending)
    ship_to = order.party("ship_to") or {}
    ids = []
    for code, pairs in by_loc.items():
        loc = locations[code]
        po = _new_po_number(uow)
        vo_id = uow.conn.execute(insert(t.vendor_orders).returning(t.vendor_orders.c.id), {
            "vendor": loc.vendor_partner, "po_number": po, "kind": "dropship",
            "order_id": order.id, "ship_to_location": None, "ship_to": ship_to,
            "status": "sent", "created_at": uow.now}).scalar_one()
        uow.conn.execute(insert(t.vendor_order_lines), [
            {"vendor_order_id": vo_id, "line_number": line.line_number, "order_line_id": line.id,
             "allocation_id": alloc.id, "sku": line.sku,
             "vendor_part": uow.inventory.vendor_part(code, line.sku or "") or line.vendor_part,
             "quantity": alloc.allocated, "unit_price": costs.get((code, line.sku or "")),
             "requested_date": line.requested_ship_date or order.requested_ship_date}
            for line, alloc in pairs])
        for _, alloc in pairs:
            alloc.vendor_order_id = vo_id
            alloc.dirty = True
        uow.outbox.add("850", loc.vendor_partner, order.id, {"vendor_order_id": vo_id}, uow.now)
        order.record("vendor_order_sent", vendor=loc.vendor_partner, vendor_order_id=vo_id,
                     po_number=po, lines=[[line.line_number, str(a.allocated)] for line, a in pairs])
        ids.append(vo_id)
    return ids


def create_vendor_order(cmd: c.CreateVendorOrder, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "CreateVendorOrder"
    dest = uow.inventory.location(cmd.ship_to_location)
    if dest is None or dest.is_dropship:
        raise UnknownLocation(f"{cmd.ship_to_location} is not one of our stocking locations",
                              command=command)
    if not cmd.lines:
        raise InvalidCommand("a vendor order needs lines", command=command)
    known = uow.inventory.items(vl.sku for vl in cmd.lines)
    rows = []
    for vl in cmd.lines:
        if vl.sku not in known:
            raise UnknownItem(f"line {vl.line_number}: unknown item {vl.sku}", line=vl.line_number,
                              command=command)
        rows.append({"line_number": vl.line_number, "sku": vl.sku,
                     "quantity": quantity(vl.quantity, line=vl.line_number, command=command),
                     "unit_price": price(vl.unit_price, line=vl.line_number, command=command),
                     "requested_date": vl.requested_date})
    po = cmd.po_number or _new_po_number(uow)
    ship_to = {"role": "ship_to", "name": dest.name, "postal_code": dest.postal_code,
               "country": dest.country, "state": dest.state, "location": dest.code}
    vo_id = uow.conn.execute(insert(t.vendor_orders).returning(t.vendor_orders.c.id), {
        "vendor": cmd.vendor, "po_number": po, "kind": "stock", "order_id": None,
        "ship_to_location": dest.code, "ship_to": ship_to, "status": "sent",
        "created_at": uow.now}).scalar_one()
    uow.conn.execute(insert(t.vendor_order_lines), [dict(r, vendor_order_id=vo_id) for r in rows])
    uow.outbox.add("850", cmd.vendor, None, {"vendor_order_id": vo_id}, uow.now)
    uow.commit()
    return c.Outcome(po_number=po, ids={"vendor_order_id": vo_id}, at=uow.now)


def _vendor_order(uow: UnitOfWork, vendor: str, po_number: str, command: str) -> Any:
    row = uow.conn.execute(select(t.vendor_orders).where(
        t.vendor_orders.c.vendor == vendor, t.vendor_orders.c.po_number == po_number)).first()
    if row is None:
        raise UnknownVendorOrder(f"no purchase order {po_number} to vendor {vendor}",
                                 order=po_number, command=command)
    return row


def _vendor_lines(uow: UnitOfWork, vo_id: int) -> dict[str, Any]:
    return {r.line_number: r for r in uow.conn.execute(select(t.vendor_order_lines).where(
        t.vendor_order_lines.c.vendor_order_id == vo_id))}


def _match(vlines: dict[str, Any], number: str, sku: str | None, po: str, command: str) -> Any:
    row = vlines.get(number)
    if row is None and sku:
        row = next((r for r in vlines.values() if r.sku == sku or r.vendor_part == sku), None)
    if row is None:
        raise InvalidCommand(f"vendor PO {po} has no line {number}", order=po, line=number,
                             command=command)
    return row


def record_vendor_ack(cmd: c.RecordVendorAcknowledgement, uow: UnitOfWork, ctx: Context
                      ) -> c.Outcome:
    command = "RecordVendorAcknowledgement"
    vo = _vendor_order(uow, cmd.vendor, cmd.vendor_po_number, command)
    vlines = _vendor_lines(uow, vo.id)
    rows = []
    for al in cmd.lines:
        _match(vlines, al.line_number, al.substitute_sku, vo.po_number, command)
        rows.append({"line_number": al.line_number, "status_code": al.status_code,
                     "quantity": al.quantity, "unit_price": al.unit_price, "date": al.date,
                     "substitute_sku": al.substitute_sku, "reason": al.reason})
    ack_id = uow.conn.execute(insert(t.vendor_acks).returning(t.vendor_acks.c.id), {
        "vendor_order_id": vo.id, "ack_type": cmd.ack_type, "ack_date": cmd.ack_date,
        "source_document": cmd.source_document, "created_at": uow.now}).scalar_one()
    if rows:
        uow.conn.execute(insert(t.vendor_ack_lines), [dict(r, vendor_ack_id=ack_id) for r in rows])
    rejected = [r for r in rows if r["status_code"] in REJECT_CODES] if cmd.ack_type != "RJ" else rows
    status = "rejected" if cmd.ack_type == "RJ" else "acknowledged"
    uow.conn.execute(update(t.vendor_orders).where(t.vendor_orders.c.id == vo.id).values(status=status))
    if vo.kind != "dropship" or vo.order_id is None or not rejected:
        uow.commit()
        return c.Outcome(order_id=vo.order_id, ids={"vendor_ack_id": ack_id}, at=uow.now)
    order = uow.orders.get(vo.order_id, command)
    vendor_loc = next((a.location for line in order.lines for a in line.allocations
                       if a.vendor_order_id == vo.id), None)
    ledger = uow.ledger_for(line.sku or "" for line in order.lines)
    freed = []
    for r in rejected:
        vl = vlines[r["line_number"]]
        line = next((x for x in order.lines if x.id == vl.order_line_id), None)
        if line is None:
            continue
        alloc = next((a for a in line.allocations if a.vendor_order_id == vo.id), None)
        if alloc is None or alloc.allocated <= 0:
            continue
        qty = alloc.allocated
        line.move(Step.DEALLOCATE, qty, command)
        fulfilment.unreserve(order, line, {"allocated": qty}, ledger, uow.now, "vendor rejected",
                             location=alloc.location)
        if alloc.location not in line.excluded:
            line.excluded.append(alloc.location)
        line.dirty = True
        freed.append([line.line_number, str(qty), alloc.location, r["reason"] or r["status_code"]])
    order.record("vendor_rejected", vendor=cmd.vendor, vendor_order_id=vo.id, location=vendor_loc,
                 lines=freed)
    dropship = source(uow, order, ctx.rules, command) if freed else []
    return finish(uow, order, dropship=dropship, ids={"vendor_ack_id": ack_id})


def record_vendor_shipment(cmd: c.RecordVendorShipment, uow: UnitOfWork, ctx: Context
                           ) -> c.Outcome:
    command = "RecordVendorShipment"
    existing = uow.conn.execute(select(t.vendor_shipments.c.id).where(
        t.vendor_shipments.c.vendor == cmd.vendor,
        t.vendor_shipments.c.shipment_id == cmd.shipment_id)).scalar()
    if existing is not None:
        return c.Outcome(created=False, ids={"vendor_shipment_id": existing}, at=uow.now)
    vo = _vendor_order(uow, cmd.vendor, cmd.vendor_po_number, command)
    vlines = _vendor_lines(uow, vo.id)
    if not cmd.lines:
        raise InvalidCommand(f"vendor shipment {cmd.shipment_id} has no lines", command=command)
    matched = []
    for sl in cmd.lines:
        vl = _match(vlines, sl.line_number, sl.sku, vo.po_number, command)
        qty = quantity(sl.quantity, line=sl.line_number, command=command, order=vo.po_number)
        open_qty = vl.quantity - vl.shipped - sum((q for v, q, _ in matched if v.id == vl.id), ZERO)
        if qty > open_qty:
            raise InvariantViolation(
                f"vendor PO {vo.po_number} line {vl.line_number}: shipment of {qty} exceeds the "
                f"{open_qty} not yet shipped", order=vo.po_number, line=vl.line_number,
                command=command, numbers={"shipped": qty, "open": open_qty})
        matched.append((vl, qty, sl.sscc))
    dropship = vo.kind == "dropship" and vo.order_id is not None
    ship_to = asdict(cmd.ship_to) if cmd.ship_to else dict(vo.ship_to or {})
    vs_id = uow.conn.execute(insert(t.vendor_shipments).returning(t.vendor_shipments.c.id), {
        "vendor_order_id": vo.id, "vendor": cmd.vendor, "shipment_id": cmd.shipment_id,
        "ship_date": cmd.ship_date, "carrier": cmd.carrier, "tracking": cmd.tracking,
        "ship_to": ship_to, "status": "delivered" if dropship else "in_transit",
        "source_document": cmd.source_document, "created_at": uow.now}).scalar_one()
    cartons = sorted({s for _, _, s in matched if s})
    if cartons:
        uow.conn.execute(insert(t.vendor_shipment_cartons),
                         [{"vendor_shipment_id": vs_id, "sscc": s} for s in cartons])
    uow.conn.execute(insert(t.vendor_shipment_lines), [
        {"vendor_shipment_id": vs_id, "vendor_order_line_id": vl.id, "line_number": vl.line_number,
         "sku": vl.sku, "sscc": sscc, "quantity": qty} for vl, qty, sscc in matched])
    for vl, qty, _ in matched:
        uow.conn.execute(update(t.vendor_order_lines).where(t.vendor_order_lines.c.id == vl.id)
                         .values(shipped=t.vendor_order_lines.c.shipped + qty))
    if not dropship:
        ledger = uow.ledger_for(vl.sku for vl, _, _ in matched)
        for vl, qty, _ in matched:
            ledger.post(MovementKind.IN_TRANSIT, vl.sku, vo.ship_to_location, qty,
                        reference=f"vendor {cmd.vendor} shipment {cmd.shipment_id}", at=uow.now)
        uow.commit()
        return c.Outcome(ids={"vendor_shipment_id": vs_id}, at=uow.now)
    order = uow.orders.get(vo.order_id, command)
    vendor_loc = next((a.location for line in order.lines for a in line.allocations
                       if a.vendor_order_id == vo.id), None)
    wanted = []
    for vl, qty, sscc in matched:
        line = next(x for x in order.lines if x.id == vl.order_line_id)
        wanted.append((line, qty, vendor_loc, sscc))
    shipment_id = ship_lines(uow, order, wanted, carrier=cmd.carrier, tracking=cmd.tracking,
                             ship_date=cmd.ship_date, number=None, command=command, dropship=True,
                             vendor_shipment_id=vs_id)
    return finish(uow, order, ids={"vendor_shipment_id": vs_id, "shipment_id": shipment_id})


def receive_vendor_shipment(cmd: c.ReceiveVendorShipment, uow: UnitOfWork, ctx: Context
                            ) -> c.Outcome:
    command = "ReceiveVendorShipment"
    vs = uow.conn.execute(select(t.vendor_shipments).where(
        t.vendor_shipments.c.vendor == cmd.vendor,
        t.vendor_shipments.c.shipment_id == cmd.shipment_id)).first()
    if vs is None:
        raise UnknownVendorOrder(f"no shipment {cmd.shipment_id} from {cmd.vendor}",
                                 command=command)
    if vs.status != "in_transit":
        raise IllegalTransition(f"shipment {cmd.shipment_id} from {cmd.vendor} is {vs.status}, "
                                "not in transit", state=vs.status, command=command)
    vo = uow.conn.execute(select(t.vendor_orders).where(t.vendor_orders.c.id == vs.vendor_order_id)).first()
    lines = uow.conn.execute(select(t.vendor_shipment_lines).where(
        t.vendor_shipment_lines.c.vendor_shipment_id == vs.id)).all()
    ledger = uow.ledger_for(r.sku for r in lines)
    for r in lines:
        ledger.post(MovementKind.TRANSFER_IN, r.sku, vo.ship_to_location, r.quantity,
                    reference=f"received {cmd.vendor} shipment {cmd.shipment_id}", at=uow.now)
        uow.conn.execute(update(t.vendor_order_lines).where(
            t.vendor_order_lines.c.id == r.vendor_order_line_id).values(
            received=t.vendor_order_lines.c.received + r.quantity))
    uow.conn.execute(update(t.vendor_shipments).where(t.vendor_shipments.c.id == vs.id).values(
        status="received", received_at=uow.now))
    uow.commit()
    return c.Outcome(ids={"vendor_shipment_id": vs.id}, at=uow.now)


def record_vendor_invoice(cmd: c.RecordVendorInvoice, uow: UnitOfWork, ctx: Context
                          ) -> c.Outcome:
    command = "RecordVendorInvoice"
    existing = uow.conn.execute(select(t.vendor_invoices.c.id).where(
        t.vendor_invoices.c.vendor == cmd.vendor,
        t.vendor_invoices.c.invoice_number == cmd.invoice_number)).scalar()
    if existing is not None:
        return c.Outcome(created=False, ids={"vendor_invoice_id": existing}, at=uow.now)
    vo = _vendor_order(uow, cmd.vendor, cmd.vendor_po_number, command)
    vlines = _vendor_lines(uow, vo.id)
    matched = []
    for il in cmd.lines:
        vl = _match(vlines, il.line_number, il.sku, vo.po_number, command)
        matched.append((vl, quantity(il.quantity, line=il.line_number, command=command),
                        price(il.unit_price, line=il.line_number, command=command) or ZERO, il.sku))
    vi_id = uow.conn.execute(insert(t.vendor_invoices).returning(t.vendor_invoices.c.id), {
        "vendor_order_id": vo.id, "vendor": cmd.vendor, "invoice_number": cmd.invoice_number,
        "invoice_date": cmd.invoice_date, "currency": cmd.currency, "total": cmd.total,
        "source_document": cmd.source_document, "created_at": uow.now}).scalar_one()
    if matched:
        uow.conn.execute(insert(t.vendor_invoice_lines), [
            {"vendor_invoice_id": vi_id, "vendor_order_line_id": vl.id,
             "line_number": vl.line_number, "sku": sku or vl.sku, "quantity": qty,
             "unit_price": up} for vl, qty, up, sku in matched])
        for vl, qty, _, _ in matched:
            uow.conn.execute(update(t.vendor_order_lines).where(t.vendor_order_lines.c.id == vl.id)
                             .values(invoiced=t.vendor_order_lines.c.invoiced + qty))
    if cmd.charges:
        uow.conn.execute(insert(t.vendor_invoice_charges), [
            {"vendor_invoice_id": vi_id, "indicator": ch.indicator, "code": ch.code,
             "amount": ch.amount, "description": ch.description} for ch in cmd.charges])
    ids: dict[str, Any] = {"vendor_invoice_id": vi_id}
    if vo.kind != "dropship" or vo.order_id is None or not ctx.rules.invoice_on_vendor_invoice:
        uow.commit()
        return c.Outcome(order_id=vo.order_id, ids=ids, at=uow.now)
    order = uow.orders.get(vo.order_id, command)
    wanted = []
    for vl, qty, _, _ in matched:
        line = next((x for x in order.lines if x.id == vl.order_line_id), None)
        if line is not None and min(qty, line.q["shipped"]) > 0:
            wanted.append((line, min(qty, line.q["shipped"])))
    if wanted and order.blocking_hold(Step.INVOICE) is None:
        ids["invoice_id"] = invoice_lines(uow, order, wanted, command=command)
    order.record("vendor_invoiced", vendor=cmd.vendor, invoice_number=cmd.invoice_number,
                 vendor_invoice_id=vi_id, customer_invoice_id=ids.get("invoice_id"))
    return finish(uow, order, ids=ids)
