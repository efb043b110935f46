"""Placing orders, one or a batch, in one unit of work.

A batch shares its lookups (existing POs, items, stock levels, vendor items, locations: one
query each) and its writes (orders, lines, allocations, acknowledgements, history, outbox,
ledger: one statement each), which is what makes 1,000 orders/s reachable on SQLite. Each order
is still judged on its own: one refused order is rolled back in memory (its ledger movements are
undone) and reported as its DomainError while the others commit."""
from __future__ import annotations

from dataclasses import asdict

from core.domain import commands as c
from core.domain.errors import DomainError, InvalidCommand
from core.domain.model import Allocation, Order, OrderLine
from core.services import documents
from core.services.flow import Context, wants_auto_ack
from core.services.handlers.ordering import build_lines
from core.services.sourcing import source
from core.services.unit_of_work import UnitOfWork

Result = c.Outcome | DomainError


def _party(p: c.Party) -> dict[str, object]:
    """`dataclasses.asdict` for a Party (flat, immutable fields) without its recursive copy."""
    return dict(vars(p)) if hasattr(p, "__dict__") else asdict(p)


def _build(cmd: c.PlaceOrder, uow: UnitOfWork, ctx: Context
           ) -> tuple[Order, list[tuple[OrderLine, Allocation]], bool]:
    command = "PlaceOrder"
    if not cmd.po_number or not str(cmd.po_number).strip():
        raise InvalidCommand("the order has no PO number", command=command)
    if not cmd.lines:
        raise InvalidCommand(f"order {cmd.po_number} has no lines", order=cmd.po_number,
                             command=command)
    order = Order(po_number=cmd.po_number, channel=cmd.channel, partner_id=cmd.partner_id,
                  order_date=cmd.order_date, requested_ship_date=cmd.requested_ship_date,
                  requested_delivery_date=cmd.requested_delivery_date,
                  cancel_after=cmd.cancel_after, currency=cmd.currency, terms=cmd.terms,
                  carrier=cmd.carrier, service=cmd.service,
                  parties=[_party(p) for p in cmd.parties],
                  references=[list(r) for r in cmd.references],
                  source_document=cmd.source_document)
    order.record("placed", lines=len(cmd.lines), channel=cmd.channel, partner=cmd.partner_id,
                 source_document=cmd.source_document)
    order.lines = build_lines(uow, order, cmd.lines, ctx, command)
    dropship = source(uow, order, ctx.rules, command) if cmd.auto_source else []
    order.check_invariants()
    ack = cmd.auto_source and wants_auto_ack(order)
    if ack:
        order.acknowledged_at = uow.now
    return order, dropship, ack


def place_orders(uow: UnitOfWork, ctx: Context, commands: list[c.PlaceOrder]) -> list[Result]:
    """Place every command; commit once. Repeats (already stored, or earlier in the batch) come
    back as `Outcome(created=False)` naming the existing order."""
    from core.services.handlers.buyer import create_dropship_orders

    keys = [(cmd.partner_id or cmd.channel, cmd.po_number) for cmd in commands]
    existing = uow.orders.find_many(keys)
    skus = {li.sku for cmd in commands for li in cmd.lines if li.sku}
    uow.items(skus)
    uow.ledger_for(skus)
    uow.vendor_items(skus)
    uow.locations()
    results: list[Result | None] = [None] * len(commands)
    first_in_batch: dict[tuple[str, str], int] = {}
    new: list[tuple[int, Order, list[tuple[OrderLine, Allocation]], bool]] = []
    for i, (cmd, key) in enumerate(zip(commands, keys)):
        if key in existing:
            order_id, status = existing[key]
            results[i] = c.Outcome(order_id=order_id, po_number=cmd.po_number, status=status,
                                   created=False, at=uow.now)
            continue
        if key in first_in_batch:
            continue  # filled in once the first one has its id
        mark = uow.ledger_for(()).mark()
        try:
            order, dropship, ack = _build(cmd, uow, ctx)
        except DomainError as exc:
            uow.ledger_for(()).rollback(mark)
            results[i] = exc
            continue
        first_in_batch[key] = i
        new.append((i, order, dropship, ack))
    orders = [order for _, order, _, _ in new]
    # What follows adds ids, vendor POs, acknowledgements and history, never a quantity move:
    # the status written with each order is its status in the outcome.
    statuses = uow.orders.add_many(orders, uow.now)
    extra: dict[int, dict[str, object]] = {}
    for i, order, dropship, _ in new:
        if dropship:
            extra[i] = {"vendor_order_ids": create_dropship_orders(uow, order, dropship)}
        if order.holds:
            uow.orders.save_holds(order, uow.now)
    uow.orders.add_allocations(orders)
    ack_ids = documents.write_acknowledgements(uow, [o for _, o, _, ack in new if ack])
    uow.orders.write_history_many(orders, uow.now, uow.actor)
    uow.commit()
    for (i, order, _, _), status in zip(new, statuses):
        ids = dict(extra.get(i, {}))
        if order.id in ack_ids:
            ids["acknowledgement_id"] = ack_ids[order.id]
        results[i] = c.Outcome(order_id=order.id, po_number=order.po_number,
                               status=status, ids=ids, at=uow.now)
    for i, key in enumerate(keys):
        if results[i] is None:
            first = results[first_in_batch[key]]
            assert isinstance(first, c.Outcome)
            results[i] = c.Outcome(order_id=first.order_id, po_number=first.po_number,
                                   status=first.status, created=False, at=uow.now)
    return results  # type: ignore[return-value]


def place_order(cmd: c.PlaceOrder, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    """The PlaceOrder handler: a batch of one; a refusal is raised."""
    (result,) = place_orders(uow, ctx, [cmd])
    if isinstance(result, DomainError):
        raise result
    return result
