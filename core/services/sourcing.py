"""Source an order: plan with the rules, apply the plan to the order and the ledger, explain.
Used by PlaceOrder, SourceOrder, ResolveHold, ChangeOrder and a vendor's rejection alike."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.domain import fulfilment
from core.domain.model import Allocation, Order, OrderLine
from core.domain.transitions import Step
from core.inventory.rules import SourcingRules
from core.services.unit_of_work import UnitOfWork

ZERO = Decimal("0")
NO_SOURCE = "no source available"
NONE: frozenset[str] = frozenset()


def unfilled(line: OrderLine) -> Decimal:
    return line.q["open"] + line.q["accepted"] + line.q["backordered"]


def source(uow: UnitOfWork, order: Order, rules: SourcingRules, command: str = "SourceOrder",
           trace: list[Any] | None = None) -> list[tuple[OrderLine, Allocation]]:
    """Allocate what can be allocated. Returns the new drop-ship allocations (they need a vendor
    PO once the order has ids). Lines under a hold that blocks sourcing are left as they are.
    `trace` (a list) receives the sourcer, the lines sourced and the plan, for checking later
    that the plan still holds (core.services.placing)."""
    todo = []
    held = []
    holds = order.holds
    for line in order.lines:
        if not line.item_known:
            continue
        quantity = unfilled(line)
        if quantity <= ZERO:
            continue
        if holds and order.blocking_hold(Step.SOURCE, line.line_number) is not None:
            held.append(line.line_number)
            continue
        todo.append((line, quantity, frozenset(line.excluded) if line.excluded else NONE))
    if not todo:
        if held:
            order.record("sourcing_held", lines=held)
        return []
    sourcer = uow.sourcer(rules, [line.sku or "" for line, _, _ in todo])
    ledger = sourcer.ledger
    plan = sourcer.plan(order, todo)
    if trace is not None:
        trace.append((sourcer, todo, plan))
    dropship: list[tuple[OrderLine, Allocation]] = []
    for lp in plan.lines:
        for p in lp.placements:
            alloc = fulfilment.allocate(order, lp.line, p.location.code, p.quantity, p.rule,
                                        ledger, uow.now, command)
            if p.location.is_dropship and alloc.vendor_order_id is None:
                dropship.append((lp.line, alloc))
        if lp.remaining > 0 and lp.fallback == "reject":
            lp.line.move(Step.REJECT, lp.remaining, command)
            lp.line.reject_reason = NO_SOURCE
        elif lp.remaining > 0:
            movable = min(lp.remaining, lp.line.available_for(Step.BACKORDER))
            if movable > 0:
                lp.line.move(Step.BACKORDER, movable, command)
    order.record("sourced", **plan.explanation(), held=held)
    return dropship
