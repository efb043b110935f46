"""Place and resolve holds. Resolving resumes the flow: sourcing if quantities still wait for a
source, then the automatic acknowledgement if the order has not been acknowledged yet."""
from __future__ import annotations

from core.domain import commands as c
from core.domain.errors import InvalidCommand, UnknownHold
from core.domain.holds import Hold
from core.domain.transitions import ORDER_STEPS, Step
from core.services.flow import Context, finish
from core.services.sourcing import source, unfilled
from core.services.unit_of_work import UnitOfWork


def _hold_type(value: object, command: str) -> c.HoldType:
    try:
        return c.HoldType(value)
    except ValueError:
        known = ", ".join(h.value for h in c.HoldType)
        raise InvalidCommand(f"unknown hold type {value!r} (known: {known})",
                             command=command) from None


def place_hold(cmd: c.PlaceHold, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "PlaceHold"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    hold_type = _hold_type(cmd.hold_type, command)
    if cmd.line_number is not None:
        order.line(cmd.line_number, command)
    hold = Hold(hold_type, cmd.reason, line_number=cmd.line_number)
    order.holds.append(hold)
    order.record("hold_placed", type=hold_type.value, line=cmd.line_number, reason=cmd.reason)
    outcome = finish(uow, order)
    outcome.ids["hold_id"] = hold.id
    return outcome


def resolve_hold(cmd: c.ResolveHold, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "ResolveHold"
    order = uow.orders.get(uow.orders.resolve(cmd.ref, command), command)
    wanted_type = _hold_type(cmd.hold_type, command) if cmd.hold_type is not None else None
    targets = [h for h in order.holds if h.active
               and (cmd.hold_id is None or h.id == cmd.hold_id)
               and (wanted_type is None or h.type is wanted_type)]
    if not targets:
        raise UnknownHold(f"order {order.po_number} has no active hold"
                          + (f" {cmd.hold_id}" if cmd.hold_id else "")
                          + (f" of type {wanted_type.value}" if wanted_type else ""),
                          order=order.po_number, command=command)
    for h in targets:
        h.active = False
        h.resolved_at = uow.now
        h.resolution = cmd.resolution
        h.dirty = True
    order.record("hold_resolved", holds=[[h.id, h.type.value] for h in targets],
                 resolution=cmd.resolution)
    dropship = []
    if (Step.SOURCE in ORDER_STEPS[order.status]
            and any(unfilled(line) > 0 and line.item_known for line in order.lines)
            and order.blocking_hold(Step.SOURCE) is None):
        dropship = source(uow, order, ctx.rules, command)
    return finish(uow, order, dropship=dropship, auto_ack=True,
                  ids={"resolved": [h.id for h in targets]})
