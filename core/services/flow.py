"""The end of every order command: save, create drop-ship vendor POs, acknowledge, history.

Automatic acknowledgement lives here (`finish(..., auto_ack=True)`), called by the PlaceOrder,
SourceOrder and ResolveHold handlers once sourcing has run: an order with a partner that has not
been acknowledged yet, and no hold blocking acknowledgement, gets an 855 (IA for committed
quantities, IB backordered, IR rejected with the reason) and an outbox row, in the same
transaction as the sourcing."""
from __future__ import annotations

from dataclasses import dataclass

from core.domain.commands import Outcome
from core.domain.model import Allocation, Order, OrderLine
from core.domain.transitions import ORDER_STEPS, Step
from core.inventory.rules import SourcingRules
from core.services import documents
from core.services.unit_of_work import UnitOfWork


@dataclass
class Context:
    rules: SourcingRules


def wants_auto_ack(order: Order) -> bool:
    return (order.partner_id is not None and order.acknowledged_at is None
            and Step.ACKNOWLEDGE in ORDER_STEPS[order.status]
            and order.blocking_hold(Step.ACKNOWLEDGE) is None
            and order.blocking_hold(Step.SOURCE) is None)


def finish(uow: UnitOfWork, order: Order, *, dropship: list[tuple[OrderLine, Allocation]] = (),
           auto_ack: bool = False, ids: dict[str, object] | None = None,
           created: bool = True) -> Outcome:
    from core.services.handlers.buyer import create_dropship_orders

    order.check_invariants()
    ack = auto_ack and wants_auto_ack(order)
    if ack:
        order.acknowledged_at = uow.now  # saved with the order row, no second UPDATE
    uow.orders.save(order, uow.now, uow.actor)
    ids = dict(ids or {})
    if dropship:
        ids["vendor_order_ids"] = create_dropship_orders(uow, order, list(dropship))
        uow.orders.save_allocations(order)
    if ack:
        ids["acknowledgement_id"] = documents.write_acknowledgement(uow, order, automatic=True)
    uow.orders.write_history(order, uow.now, uow.actor)
    uow.commit()
    return Outcome(order_id=order.id, po_number=order.po_number, status=order.status.value,
                   created=created, ids=ids, at=uow.now)
