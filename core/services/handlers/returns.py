"""Returns: authorise (RMA) against shipped quantity, then receive and restock at a location."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, insert, select, update

from core.adapters import tables as t
from core.domain import commands as c
from core.domain.errors import InvalidCommand, InvariantViolation, UnknownLocation, UnknownOrder
from core.domain.quantities import ZERO
from core.domain.transitions import Step
from core.inventory.ledger import MovementKind
from core.services.flow import Context, finish
from core.services.unit_of_work import UnitOfWork
from core.services.validation import quantity


def create_return(cmd: c.CreateReturn, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "CreateReturn"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    order.require(Step.RETURN, command)
    if not cmd.lines:
        raise InvalidCommand("name the lines to return", order=order.po_number, command=command)
    pending = dict(uow.conn.execute(
        select(t.return_lines.c.line_id, func.sum(t.return_lines.c.authorised - t.return_lines.c.received))
        .join(t.returns, t.returns.c.id == t.return_lines.c.return_id)
        .where(t.returns.c.order_id == order.id).group_by(t.return_lines.c.line_id)).all())
    rows = []
    for rl in cmd.lines:
        line = order.line(rl.line_number, command)
        qty = quantity(rl.quantity, line=line.line_number, command=command, order=order.po_number)
        returnable = line.q["shipped"] + line.q["invoiced"] - line.returned - Decimal(
            str(pending.get(line.id) or 0))
        if qty > returnable:
            raise InvariantViolation(
                f"line {line.line_number}: cannot return {qty}, only {returnable} shipped and not "
                "yet returned or authorised", order=order.po_number, line=line.line_number,
                command=command, numbers={"requested": qty, "returnable": returnable})
        rows.append({"line_id": line.id, "line_number": line.line_number, "authorised": qty,
                     "received": ZERO, "reason": rl.reason})
    rma = cmd.rma_number or f"RMA{uow.sequences.next('rma'):08d}"
    return_id = uow.conn.execute(insert(t.returns).returning(t.returns.c.id), {
        "order_id": order.id, "rma_number": rma, "status": "authorised",
        "created_at": uow.now}).scalar_one()
    uow.conn.execute(insert(t.return_lines), [dict(r, return_id=return_id) for r in rows])
    order.record("return_authorised", rma_number=rma,
                 lines=[[r["line_number"], str(r["authorised"])] for r in rows])
    return finish(uow, order, ids={"return_id": return_id, "rma_number": rma})


def receive_return(cmd: c.ReceiveReturn, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "ReceiveReturn"
    ret = uow.conn.execute(select(t.returns).where(t.returns.c.rma_number == cmd.rma_number)).first()
    if ret is None:
        raise UnknownOrder(f"no return authorisation {cmd.rma_number}", command=command)
    if uow.inventory.location(cmd.location) is None:
        raise UnknownLocation(f"unknown location {cmd.location}", command=command)
    order = uow.orders.get(ret.order_id, command)
    rlines = {r.line_number: r for r in uow.conn.execute(
        select(t.return_lines).where(t.return_lines.c.return_id == ret.id))}
    wanted = ([(r.line_number, quantity(r.quantity, line=r.line_number, command=command))
               for r in cmd.lines] if cmd.lines else
              [(n, r.authorised - r.received) for n, r in rlines.items()
               if r.authorised > r.received])
    ledger = uow.ledger_for(line.sku or "" for line in order.lines)
    done = []
    for number, qty in wanted:
        r = rlines.get(number)
        if r is None:
            raise InvalidCommand(f"line {number} is not on return {cmd.rma_number}",
                                 order=order.po_number, line=number, command=command)
        if qty > r.authorised - r.received:
            raise InvariantViolation(
                f"line {number}: cannot receive {qty}, only {r.authorised - r.received} is "
                "authorised and not yet received", order=order.po_number, line=number,
                command=command, numbers={"requested": qty,
                                          "outstanding": r.authorised - r.received})
        line = order.line(number, command)
        line.returned += qty
        line.dirty = True
        ledger.post(MovementKind.RETURN, line.sku or "", cmd.location, qty, order=order,
                    line=line, reference=f"return {cmd.rma_number}", at=uow.now)
        uow.conn.execute(update(t.return_lines).where(t.return_lines.c.id == r.id).values(
            received=t.return_lines.c.received + qty, restock_location=cmd.location))
        done.append([number, str(qty)])
    remaining = uow.conn.execute(select(func.sum(t.return_lines.c.authorised - t.return_lines.c.received))
                                 .where(t.return_lines.c.return_id == ret.id)).scalar() or 0
    uow.conn.execute(update(t.returns).where(t.returns.c.id == ret.id).values(
        status="received" if Decimal(str(remaining)) <= 0 else "partially_received"))
    order.record("return_received", rma_number=cmd.rma_number, location=cmd.location, lines=done)
    return finish(uow, order, ids={"return_id": ret.id})
