"""Handlers for placing, sourcing, acknowledging, changing and cancelling orders. Each has the
same shape: load (or build), call the domain, `finish` (save + documents + history + commit)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.domain import commands as c
from core.domain import fulfilment
from core.domain.errors import IllegalTransition, InvalidCommand, InvariantViolation
from core.domain.holds import Hold
from core.domain.model import Order, OrderLine
from core.domain.quantities import ZERO
from core.domain.transitions import Step
from core.services import documents
from core.services.flow import Context, finish
from core.services.sourcing import source
from core.services.unit_of_work import UnitOfWork
from core.services.validation import price, quantity

UNKNOWN_ITEM = "unknown item"


def build_lines(uow: UnitOfWork, order: Order, inputs: tuple[c.OrderLineInput, ...],
                ctx: Context, command: str) -> list[OrderLine]:
    """Validate every input line (collecting all problems) and resolve items by SKU or UPC.
    Unknown items become rejected lines with the reason "unknown item" (855 IR), not errors."""
    problems: list[InvalidCommand] = []
    seen = {line.line_number for line in order.lines}
    parsed = []
    for li in inputs:
        number = str(li.line_number or "").strip()
        try:
            if not number:
                raise InvalidCommand("a line has no line number", order=order.po_number,
                                     command=command)
            if number in seen:
                raise InvalidCommand(f"line {number} appears twice", order=order.po_number,
                                     line=number, command=command)
            seen.add(number)
            qty = quantity(li.quantity, line=number, command=command, order=order.po_number)
            unit_price = price(li.unit_price, line=number, command=command, order=order.po_number)
            parsed.append((li, number, qty, unit_price))
        except InvalidCommand as exc:
            problems.append(exc)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise InvalidCommand(f"order {order.po_number}: {len(problems)} lines are invalid: "
                             + "; ".join(p.message for p in problems), order=order.po_number,
                             command=command, problems=problems)
    items = uow.items(li.sku for li, *_ in parsed)
    by_upc = uow.items_by_upc(li.upc for li, *_ in parsed if not li.sku or li.sku not in items)
    tolerance = ctx.rules.checks.price_mismatch_tolerance
    if tolerance is not None:
        tolerance = Decimal(str(tolerance))   # once, not once a line
    lines = []
    for li, number, qty, unit_price in parsed:
        item = items.get(li.sku) if li.sku else None
        if item is None and li.upc:
            item = by_upc.get(li.upc)
        line = OrderLine(number, qty, sku=item.sku if item is not None else li.sku, upc=li.upc,
                         buyer_part=li.buyer_part, vendor_part=li.vendor_part,
                         description=li.description, uom=li.uom or "EA", unit_price=unit_price,
                         requested_ship_date=li.requested_ship_date, item_known=item is not None,
                         order_ref=order.po_number)
        if item is None:
            line.move(Step.REJECT, qty, command)
            line.reject_reason = UNKNOWN_ITEM
            order.record("line_rejected", line=number, reason=UNKNOWN_ITEM,
                         item=li.sku or li.upc or li.buyer_part)
        elif (tolerance is not None and item.unit_price is not None and unit_price is not None
              and abs(unit_price - item.unit_price) > tolerance):
            reason = f"price {unit_price} differs from list price {item.unit_price}"
            order.holds.append(Hold(c.HoldType.PRICE_MISMATCH, reason, line_number=number))
            order.record("hold_placed", type="price_mismatch", line=number, reason=reason)
        lines.append(line)
    return lines


def source_order(cmd: c.SourceOrder, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    order = uow.orders.get(uow.orders.resolve(cmd.ref, "SourceOrder"), "SourceOrder")
    order.require(Step.SOURCE, "SourceOrder")
    dropship = source(uow, order, ctx.rules, "SourceOrder")
    return finish(uow, order, dropship=dropship, auto_ack=True)


def _take_from_allocations(order: Order, line: OrderLine, qty: Decimal, uow: UnitOfWork,
                           why: str) -> None:
    """Deallocate up to `qty` (latest allocation first) so it can be rejected/backordered."""
    if qty <= 0 or line.q["allocated"] <= 0:
        return
    part = min(qty, line.q["allocated"])
    ledger = uow.ledger_for([line.sku or ""])
    taken = line.move(Step.DEALLOCATE, part, why)
    fulfilment.unreserve(order, line, taken, ledger, uow.now, why)


def acknowledge_order(cmd: c.AcknowledgeOrder, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "AcknowledgeOrder"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.ACKNOWLEDGE, command)
    overrides: dict[str, dict[str, Any]] = {}
    acks = cmd.lines or tuple(c.AckLine(line.line_number) for line in order.lines)
    for al in acks:
        line = order.line(al.line_number, command)
        qty = (None if al.quantity is None else
               quantity(al.quantity, line=line.line_number, command=command,
                        order=order.po_number, allow_zero=True))
        if al.action is c.AckAction.ACCEPT:
            if line.q["open"] > 0:
                line.move(Step.ACCEPT, min(qty or line.q["open"], line.q["open"]), command)
        elif al.action is c.AckAction.BACKORDER:
            want = qty if qty is not None else line.q["open"] + line.q["accepted"] + line.q["allocated"]
            _take_from_allocations(order, line, want - line.available_for(Step.BACKORDER), uow, command)
            line.move(Step.BACKORDER, want, command)
        elif al.action is c.AckAction.REJECT:
            want = qty if qty is not None else (line.available_for(Step.REJECT) + line.q["allocated"])
            _take_from_allocations(order, line, want - line.available_for(Step.REJECT), uow, command)
            line.move(Step.REJECT, want, command)
            line.reject_reason = al.reason or "rejected"
        elif al.action is c.AckAction.CHANGE:
            code = "IA"
            if qty is not None and qty != line.ordered:
                change_quantity(order, line, qty, uow, command)
                code = "IQ"
            if al.unit_price is not None:
                line.unit_price = price(al.unit_price, line=line.line_number, command=command)
                line.dirty = True
                code = "IP" if code == "IA" else "IC"
            if al.date is not None:
                line.requested_ship_date = al.date
                line.dirty = True
                code = "DR" if code == "IA" else "IC"
            overrides[line.line_number] = {"code": code, "reason": al.reason}
    order.record("acknowledge_requested", lines=[[a.line_number, a.action.value] for a in acks])
    outcome = _finish_with_ack(uow, order, overrides)
    return outcome


def _finish_with_ack(uow: UnitOfWork, order: Order, overrides: dict[str, dict[str, Any]]
                     ) -> c.Outcome:
    order.check_invariants()
    uow.orders.save(order, uow.now, uow.actor)
    ack_id = documents.write_acknowledgement(uow, order, automatic=False, overrides=overrides)
    uow.orders.save(order, uow.now, uow.actor)  # acknowledged_at
    uow.orders.write_history(order, uow.now, uow.actor)
    uow.commit()
    return c.Outcome(order_id=order.id, po_number=order.po_number, status=order.status.value,
                     ids={"acknowledgement_id": ack_id}, at=uow.now)


def change_quantity(order: Order, line: OrderLine, new: Decimal, uow: UnitOfWork,
                    command: str) -> None:
    """Set the ordered quantity. An increase opens the difference; a decrease comes out of
    unfilled quantities first, then allocations; released, shipped or invoiced quantity cannot
    be taken back."""
    delta = new - line.ordered
    if delta >= 0:
        line.ordered = new
        line.q["open"] += delta
        line.dirty = True
        return
    reduce = -delta
    reducible = sum((line.q[b] for b in ("open", "accepted", "backordered", "allocated")), ZERO)
    if reduce > reducible:
        fixed = line.ordered - reducible
        raise InvariantViolation(
            f"line {line.line_number}: cannot reduce to {new}: {fixed} is already released, "
            "shipped, invoiced, rejected or cancelled", order=order.po_number,
            line=line.line_number, state=line.status.value, command=command,
            numbers={"requested": new, "minimum": fixed})
    for bucket in ("open", "accepted", "backordered"):
        part = min(reduce, line.q[bucket])
        line.q[bucket] -= part
        reduce -= part
    if reduce > 0:
        ledger = uow.ledger_for([line.sku or ""])
        line.q["allocated"] -= reduce
        fulfilment.unreserve(order, line, {"allocated": reduce}, ledger, uow.now, "change")
    line.ordered = new
    line.dirty = True


def change_order(cmd: c.ChangeOrder, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "ChangeOrder"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.CHANGE, command)
    applied: list[dict[str, Any]] = []
    for ch in cmd.changes:
        line = order.line(ch.line_number, command)
        entry: dict[str, Any] = {"line": line.line_number}
        if ch.quantity is not None:
            new = quantity(ch.quantity, line=line.line_number, command=command,
                           order=order.po_number, allow_zero=True)
            entry["quantity"] = [str(line.ordered), str(new)]
            change_quantity(order, line, new, uow, command)
        if ch.unit_price is not None:
            if line.q["invoiced"] > 0:
                raise IllegalTransition(
                    f"line {line.line_number}: the price cannot change, {line.q['invoiced']} is "
                    "already invoiced", order=order.po_number, line=line.line_number,
                    state=line.status.value, command=command)
            new_price = price(ch.unit_price, line=line.line_number, command=command)
            entry["unit_price"] = [str(line.unit_price), str(new_price)]
            line.unit_price = new_price
            line.dirty = True
        if ch.requested_ship_date is not None:
            if line.available_for(Step.SHIP) + line.q["open"] + line.q["accepted"] + line.q["backordered"] == 0:
                raise IllegalTransition(
                    f"line {line.line_number}: the date cannot change when the line is "
                    f"{line.status.value}", order=order.po_number, line=line.line_number,
                    state=line.status.value, command=command)
            entry["requested_ship_date"] = ch.requested_ship_date.isoformat()
            line.requested_ship_date = ch.requested_ship_date
            line.dirty = True
        applied.append(entry)
    if cmd.add_lines:
        added = build_lines(uow, order, cmd.add_lines, ctx, command)
        order.lines.extend(added)
        applied.extend({"line": line.line_number, "added": str(line.ordered)} for line in added)
    if cmd.requested_ship_date is not None:
        order.requested_ship_date = cmd.requested_ship_date
    if cmd.cancel_after is not None:
        order.cancel_after = cmd.cancel_after
    order.record("changed", changes=applied)
    dropship = []
    if order.blocking_hold(Step.SOURCE) is None and any(
            line.q["open"] + line.q["accepted"] > 0 for line in order.lines):
        dropship = source(uow, order, ctx.rules, command)
    return finish(uow, order, dropship=dropship)


def cancel_order(cmd: c.CancelOrder, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "CancelOrder"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.CANCEL, command)
    ledger = uow.ledger_for(line.sku or "" for line in order.lines)
    done = [fulfilment.cancel(order, line, None, ledger, uow.now, command)
            for line in order.lines if line.available_for(Step.CANCEL) > 0]
    if not done:
        raise IllegalTransition(f"order {order.po_number}: nothing left to cancel (it is "
                                f"{order.status.value})", order=order.po_number,
                                state=order.status.value, command=command)
    order.record("cancelled", reason=cmd.reason, lines=done)
    return finish(uow, order)


def cancel_lines(cmd: c.CancelLines, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "CancelLines"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.CANCEL, command)
    if not cmd.lines:
        raise InvalidCommand("name at least one line to cancel", order=order.po_number,
                             command=command)
    ledger = uow.ledger_for(line.sku or "" for line in order.lines)
    done = []
    for cl in cmd.lines:
        line = order.line(cl.line_number, command)
        qty = None if cl.quantity is None else quantity(
            cl.quantity, line=line.line_number, command=command, order=order.po_number)
        done.append(fulfilment.cancel(order, line, qty, ledger, uow.now, command))
    order.record("lines_cancelled", reason=cmd.reason, lines=done)
    return finish(uow, order)
