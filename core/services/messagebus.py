"""Dispatch: command type -> handler, each run in its own unit of work.

A PlaceOrder that loses a race on (partner or channel, PO) with another process gets the unique
constraint error; it is retried once, and the retry finds the existing order (idempotency)."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from core.domain import commands as c
from core.domain.errors import DomainError, InvalidCommand
from core.inventory.rules import SourcingRules
from core.services.clock import Clock
from core.services.flow import Context
from core.services.gc_pause import paused_cyclic_gc
from core.services import placing
from core.services.handlers import buyer, holds, inventory, ordering, returns, shipping
from core.services.unit_of_work import UnitOfWork

HANDLERS: dict[type, Callable[[Any, UnitOfWork, Context], c.Outcome]] = {
    c.PlaceOrder: placing.place_order,
    c.SourceOrder: ordering.source_order,
    c.AcknowledgeOrder: ordering.acknowledge_order,
    c.ChangeOrder: ordering.change_order,
    c.CancelOrder: ordering.cancel_order,
    c.CancelLines: ordering.cancel_lines,
    c.ReleaseToFulfillment: shipping.release,
    c.RecordShipment: shipping.record_shipment,
    c.IssueInvoice: shipping.issue_invoice,
    c.CreateReturn: returns.create_return,
    c.ReceiveReturn: returns.receive_return,
    c.PlaceHold: holds.place_hold,
    c.ResolveHold: holds.resolve_hold,
    c.ReceiveInventory: inventory.receive_inventory,
    c.AdjustInventory: inventory.adjust_inventory,
    c.DefineLocation: inventory.define_location,
    c.DefineItem: inventory.define_item,
    c.CreateVendorOrder: buyer.create_vendor_order,
    c.RecordVendorAcknowledgement: buyer.record_vendor_ack,
    c.RecordVendorShipment: buyer.record_vendor_shipment,
    c.ReceiveVendorShipment: buyer.receive_vendor_shipment,
    c.RecordVendorInvoice: buyer.record_vendor_invoice,
}

RETRY_ON_CONFLICT = (c.PlaceOrder, c.RecordVendorShipment, c.RecordVendorInvoice)


class MessageBus:
    def __init__(self, engine: Engine, *, rules: SourcingRules, clock: Clock) -> None:
        self.engine = engine
        self.ctx = Context(rules=rules)
        self.clock = clock

    def handle(self, command: Any, actor: str = "cli") -> c.Outcome:
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise InvalidCommand(f"{type(command).__name__} is not a core command",
                                 command=type(command).__name__)
        attempts = 2 if isinstance(command, RETRY_ON_CONFLICT) else 1
        for attempt in range(attempts):
            try:
                with UnitOfWork(self.engine, self.clock, actor) as uow:
                    outcome = handler(command, uow, self.ctx)
                    if not uow.committed:  # read-only outcomes (idempotent repeats)
                        uow.tx.rollback()
                    return outcome
            except IntegrityError:
                if attempt + 1 >= attempts:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def prepare_batch(self, commands: list[Any], actor: str = "cli") -> placing.Prepared | None:
        """Build the batch's PlaceOrders ahead from a read-only snapshot, for `handle_batch` to
        take what still holds (see core.services.placing); None when there is none."""
        places = [cmd for cmd in commands if isinstance(cmd, c.PlaceOrder)]
        if not places:
            return None
        with UnitOfWork(self.engine, self.clock, actor, read_only=True) as uow, paused_cyclic_gc():
            return placing.prepare_orders(uow, self.ctx, places)

    def handle_batch(self, commands: list[Any], actor: str = "cli",
                     prepared: placing.Prepared | None = None) -> list[c.Outcome | DomainError]:
        """Run many commands; consecutive PlaceOrders share one unit of work (see
        core.services.placing). Never raises a DomainError: each command's refusal is returned in
        its place. A batch that loses a uniqueness race with another process is redone one by one.
        `prepared`: what `prepare_batch` built for these commands."""
        results: list[c.Outcome | DomainError] = []
        i = 0
        while i < len(commands):
            j = i
            while j < len(commands) and isinstance(commands[j], c.PlaceOrder):
                j += 1
            if j > i:
                chunk = commands[i:j]
                try:
                    with UnitOfWork(self.engine, self.clock, actor) as uow, paused_cyclic_gc():
                        results.extend(placing.place_orders(uow, self.ctx, chunk, prepared))
                except IntegrityError:
                    results.extend(self._one(cmd, actor) for cmd in chunk)
                i = j
            else:
                results.append(self._one(commands[i], actor))
                i += 1
        return results

    def _one(self, command: Any, actor: str) -> c.Outcome | DomainError:
        try:
            return self.handle(command, actor)
        except DomainError as exc:
            return exc
