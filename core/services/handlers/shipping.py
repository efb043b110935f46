"""Release, ship and invoice: quantities move released -> shipped -> invoiced, with a shipment
or invoice record and (for partner orders) an 856 / 810 outbox row in the same transaction."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from core.adapters import tables as t
from core.domain import commands as c
from core.domain import fulfilment
from core.domain.errors import IllegalTransition, InvalidCommand, InvariantViolation
from core.domain.model import Order, OrderLine
from core.domain.quantities import ZERO
from core.domain.sscc import make_sscc, valid_sscc
from core.domain.transitions import Step
from core.services import documents
from core.services.flow import Context, finish
from core.services.unit_of_work import UnitOfWork
from core.services.validation import quantity


def release(cmd: c.ReleaseToFulfillment, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "ReleaseToFulfillment"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.RELEASE, command)
    done = []
    for line in order.lines_named(cmd.lines, command):
        order.require(Step.RELEASE, command, line.line_number)
        qty = fulfilment.release(order, line, command)
        if qty:
            done.append([line.line_number, str(qty)])
    if not done:
        raise IllegalTransition(f"order {order.po_number}: nothing allocated to release (it is "
                                f"{order.status.value})", order=order.po_number,
                                state=order.status.value, command=command)
    order.record("released", lines=done)
    return finish(uow, order)


def _own_outstanding(line: OrderLine, dropship: set[str]) -> Decimal:
    return sum((a.outstanding for a in line.allocations if a.location not in dropship), ZERO)


def ship_lines(uow: UnitOfWork, order: Order, wanted: list[tuple[OrderLine, Decimal, str | None,
               str | None]], *, carrier: str, tracking: str, ship_date: date | None,
               number: str | None, command: str, dropship: bool = False,
               vendor_shipment_id: int | None = None) -> int:
    """Move quantities to shipped and write the shipment (cartons with SSCC-18, lines).
    `wanted`: (line, quantity, location or None, sscc or None)."""
    ledger = uow.ledger_for(line.sku or "" for line, *_ in wanted)
    dropship_locs = {loc.code for loc in uow.locations() if loc.is_dropship}
    shipped_rows: list[dict[str, Any]] = []
    for line, qty, location, sscc in wanted:
        if sscc is not None and not valid_sscc(sscc):
            raise InvalidCommand(f"line {line.line_number}: {sscc!r} is not a valid SSCC-18 "
                                 "(18 digits with a GS1 check digit)", order=order.po_number,
                                 line=line.line_number, command=command)
        if location is None and not dropship:
            own = _own_outstanding(line, dropship_locs)
            if qty > own and line.available_for(Step.SHIP) >= qty:
                raise InvariantViolation(
                    f"line {line.line_number}: cannot ship {qty}, only {own} is allocated at our "
                    "locations (the rest is drop-shipped by the vendor)", order=order.po_number,
                    line=line.line_number, command=command,
                    numbers={"requested": qty, "allocated": own})
            pieces: list[tuple[str, Decimal]] = []
            left = qty
            for alloc in line.allocations:
                if left <= 0:
                    break
                if alloc.location in dropship_locs or alloc.outstanding <= 0:
                    continue
                part = min(left, alloc.outstanding)
                pieces.append((alloc.location, part))
                left -= part
            if left > 0 or not pieces:
                fulfilment.ship(order, line, qty, ledger, uow.now, command=command)  # raises
            for loc, part in pieces:
                fulfilment.ship(order, line, part, ledger, uow.now, location=loc, command=command)
                shipped_rows.append({"line": line, "location": loc, "quantity": part, "sscc": sscc})
        else:
            for loc, part in fulfilment.ship(order, line, qty, ledger, uow.now, location=location,
                                             dropship=dropship, command=command):
                shipped_rows.append({"line": line, "location": loc, "quantity": part, "sscc": sscc})
    if not shipped_rows:
        raise IllegalTransition(f"order {order.po_number}: nothing to ship", order=order.po_number,
                                state=order.status.value, command=command)
    seq = uow.sequences.next("shipment")
    number = number or f"SH{seq:08d}"
    shipment_id = uow.conn.execute(insert(t.shipments).returning(t.shipments.c.id), {
        "order_id": order.id, "shipment_number": number, "carrier": carrier,
        "tracking": tracking, "ship_date": ship_date or uow.now.date(),
        "vendor_shipment_id": vendor_shipment_id, "created_at": uow.now}).scalar_one()
    cartons = sorted({r["sscc"] for r in shipped_rows if r["sscc"]})
    if not cartons:
        carton = make_sscc(uow.sequences.next("sscc"))
        cartons = [carton]
        for r in shipped_rows:
            r["sscc"] = carton
    uow.conn.execute(insert(t.shipment_cartons), [{"shipment_id": shipment_id, "sscc": s}
                                                  for s in cartons])
    uow.conn.execute(insert(t.shipment_lines), [
        {"shipment_id": shipment_id, "line_id": r["line"].id, "line_number": r["line"].line_number,
         "location": r["location"], "sscc": r["sscc"], "quantity": r["quantity"]}
        for r in shipped_rows])
    order.record("shipped", shipment_id=shipment_id, shipment_number=number, carrier=carrier,
                 tracking=tracking, cartons=cartons,
                 lines=[[r["line"].line_number, str(r["quantity"]), r["location"]]
                        for r in shipped_rows], vendor_shipment_id=vendor_shipment_id)
    documents.queue_shipment(uow, order, shipment_id)
    return shipment_id


def record_shipment(cmd: c.RecordShipment, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "RecordShipment"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.SHIP, command)
    dropship_locs = {loc.code for loc in uow.locations() if loc.is_dropship}
    if cmd.lines:
        wanted = []
        for sl in cmd.lines:
            line = order.line(sl.line_number, command)
            order.require(Step.SHIP, command, line.line_number)
            wanted.append((line, quantity(sl.quantity, line=line.line_number, command=command,
                                          order=order.po_number), sl.location, sl.sscc))
    else:
        wanted = [(line, _own_outstanding(line, dropship_locs), None, None)
                  for line in order.lines if _own_outstanding(line, dropship_locs) > 0]
        for line, *_ in wanted:
            order.require(Step.SHIP, command, line.line_number)
        if not wanted:
            raise IllegalTransition(
                f"order {order.po_number}: no allocated quantity to ship at our locations (it is "
                f"{order.status.value})", order=order.po_number, state=order.status.value,
                command=command)
    shipment_id = ship_lines(uow, order, wanted, carrier=cmd.carrier, tracking=cmd.tracking,
                             ship_date=cmd.ship_date, number=cmd.shipment_number, command=command)
    return finish(uow, order, ids={"shipment_id": shipment_id})


def invoice_lines(uow: UnitOfWork, order: Order, wanted: list[tuple[OrderLine, Decimal]], *,
                  charges: tuple[c.Charge, ...] = (), tax: Decimal = ZERO,
                  number: str | None = None, invoice_date: date | None = None,
                  command: str = "IssueInvoice") -> int:
    rows = []
    subtotal = ZERO
    for line, qty in wanted:
        line.move(Step.INVOICE, qty, command)
        amount = (qty * (line.unit_price or ZERO)).quantize(Decimal("0.01"))
        subtotal += amount
        rows.append({"line_id": line.id, "line_number": line.line_number, "quantity": qty,
                     "unit_price": line.unit_price, "amount": amount})
    allowances = sum((quantity(ch.amount, line=None, field="amount", command=command)
                      for ch in charges if ch.indicator == "A"), ZERO)
    extra = sum((quantity(ch.amount, line=None, field="amount", command=command)
                 for ch in charges if ch.indicator == "C"), ZERO)
    bad = [ch.indicator for ch in charges if ch.indicator not in ("A", "C")]
    if bad:
        raise InvalidCommand(f"allowance/charge indicator {bad[0]!r} is not A or C",
                             order=order.po_number, command=command)
    tax = quantity(tax, line=None, field="tax", command=command, allow_zero=True)
    total = subtotal - allowances + extra + tax
    seq = uow.sequences.next("invoice")
    number = number or f"INV{seq:08d}"
    invoice_id = uow.conn.execute(insert(t.invoices).returning(t.invoices.c.id), {
        "order_id": order.id, "invoice_number": number,
        "invoice_date": invoice_date or uow.now.date(), "currency": order.currency,
        "subtotal": subtotal, "allowances": allowances, "charges": extra, "tax": tax,
        "total": total, "created_at": uow.now}).scalar_one()
    uow.conn.execute(insert(t.invoice_lines), [dict(r, invoice_id=invoice_id) for r in rows])
    if charges:
        uow.conn.execute(insert(t.invoice_charges), [
            {"invoice_id": invoice_id, "indicator": ch.indicator, "code": ch.code,
             "amount": ch.amount, "description": ch.description} for ch in charges])
    order.record("invoiced", invoice_id=invoice_id, invoice_number=number, total=str(total),
                 lines=[[r["line_number"], str(r["quantity"])] for r in rows])
    documents.queue_invoice(uow, order, invoice_id)
    return invoice_id


def issue_invoice(cmd: c.IssueInvoice, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "IssueInvoice"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.INVOICE, command)
    if cmd.lines:
        wanted = [(order.line(il.line_number, command),
                   quantity(il.quantity, line=il.line_number, command=command,
                            order=order.po_number)) for il in cmd.lines]
    else:
        wanted = [(line, line.q["shipped"]) for line in order.lines if line.q["shipped"] > 0]
        if not wanted:
            raise IllegalTransition(f"order {order.po_number}: nothing shipped and not yet "
                                    f"invoiced (it is {order.status.value})", order=order.po_number,
                                    state=order.status.value, command=command)
    invoice_id = invoice_lines(uow, order, wanted, charges=cmd.charges, tax=cmd.tax,
                               number=cmd.invoice_number, invoice_date=cmd.invoice_date)
    return finish(uow, order, ids={"invoice_id": invoice_id})
