"""Records of documents we owe a partner (855, 856, 810, 850) plus their outbox rows.
Orders without a partner get the record (it is still our history) but no outbox row."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter
from core.domain import acknowledgement as ack
from core.domain.model import Order, OrderLine
from core.services.unit_of_work import UnitOfWork

ZERO = Decimal("0")
ACK_INSERT_COLS = ("id", "order_id", "ack_type", "automatic", "created_at")
ACK_LINE_INSERT_COLS = ("acknowledgement_id", "line_id", "line_number", "status_code", "quantity",
                        "unit_price", "date", "reason")


def write_acknowledgement(uow: UnitOfWork, order: Order, *, automatic: bool,
                          overrides: dict[str, dict[str, Any]] | None = None) -> int:
    """Persist the 855 content for the order as it stands and queue it for the partner."""
    rows = ack.ack_lines(order, overrides)
    ack_type = ack.ack_type(rows)
    ack_id = uow.conn.execute(insert(t.acknowledgements).returning(t.acknowledgements.c.id), {
        "order_id": order.id, "ack_type": ack_type, "automatic": automatic,
        "created_at": uow.now}).scalar_one()
    if rows:
        uow.conn.execute(insert(t.acknowledgement_lines), [
            {"acknowledgement_id": ack_id, "line_id": r["line"].id, "line_number": r["line_number"],
             "status_code": r["status_code"], "quantity": r["quantity"],
             "unit_price": r["unit_price"], "date": r["date"], "reason": r["reason"]}
            for r in rows])
    order.acknowledged_at = uow.now
    codes: dict[str, str] = {}
    for r in rows:
        codes[r["status_code"]] = str(ack.total(rows, r["status_code"]))
    order.record("acknowledged", acknowledgement_id=ack_id, ack_type=ack_type, automatic=automatic,
                 quantities=codes, outbox=bool(order.partner_id))
    if order.partner_id:
        uow.outbox.add("855", order.partner_id, order.id, {"acknowledgement_id": ack_id}, uow.now)
    return ack_id


def queue_shipment(uow: UnitOfWork, order: Order, shipment_id: int) -> None:
    if order.partner_id:
        uow.outbox.add("856", order.partner_id, order.id, {"shipment_id": shipment_id}, uow.now)


def queue_invoice(uow: UnitOfWork, order: Order, invoice_id: int) -> None:
    if order.partner_id:
        uow.outbox.add("810", order.partner_id, order.id, {"invoice_id": invoice_id}, uow.now)


@dataclass
class AckAhead:
    """An order's automatic 855, made before its write turn (`ack_ahead`): its BAK02 type, its
    quantities per ACK01 code (first seen first), and its lines' values, converted, each with
    the order line whose id the row takes once it is known."""
    ack_type: str
    totals: dict[str, Decimal]
    lines: list[tuple[OrderLine, tuple[Any, ...]]]


def ack_ahead(uow: UnitOfWork, order: Order) -> AckAhead:
    """What `write_acknowledgements` writes of `order`'s automatic 855 but the ids: for an order
    built ahead of its write turn and not changed before it (see core.services.placing)."""
    encode = BulkWriter(uow.conn).encode
    num, date = encode.num, encode.date
    rows = ack.ack_lines(order)
    totals: dict[str, Decimal] = {}
    lines = []
    for r in rows:
        code = r["status_code"]
        lines.append((r["line"], (r["line_number"], code, num(r["quantity"]),
                                  num(r["unit_price"]), date(r["date"]), r["reason"])))
        totals[code] = totals.get(code, ZERO) + r["quantity"]
    return AckAhead(ack.ack_type(rows), totals, lines)


def write_acknowledgements(uow: UnitOfWork, orders: list[Order],
                           ahead: list[AckAhead | None] | None = None) -> dict[int, int]:
    """Automatic 855s for a batch of new orders: three statements for the whole batch.
    `ahead`, by order: its `ack_ahead` made before the write turn, or None to make it here.
    Returns order id -> acknowledgement id."""
    if not orders:
        return {}
    made = [a if a is not None else ack_ahead(uow, o)
            for o, a in zip(orders, ahead or [None] * len(orders))]
    bulk = BulkWriter(uow.conn)
    stamp, boolean = bulk.encode.dt, bulk.encode.bool
    ack_ids = bulk.ids(t.acknowledgements, len(orders))
    now = stamp(uow.now)
    bulk.insert_values(t.acknowledgements, ACK_INSERT_COLS, [
        (ack_id, o.id, a.ack_type, boolean(True), now)
        for o, ack_id, a in zip(orders, ack_ids, made)])
    line_values = []
    result = {}
    for order, ack_id, a in zip(orders, ack_ids, made):
        result[order.id] = ack_id
        line_values.extend((ack_id, line.id, *rest) for line, rest in a.lines)
        order.acknowledged_at = uow.now
        order.record("acknowledged", acknowledgement_id=ack_id, ack_type=a.ack_type,
                     automatic=True, quantities={k: str(v) for k, v in a.totals.items()},
                     outbox=bool(order.partner_id))
        if order.partner_id:
            uow.outbox.add("855", order.partner_id, order.id, {"acknowledgement_id": ack_id},
                           uow.now)
    bulk.insert_values(t.acknowledgement_lines, ACK_LINE_INSERT_COLS, line_values)
    return result
