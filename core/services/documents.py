"""Records of documents we owe a partner (855, 856, 810, 850) plus their outbox rows.
Orders without a partner get the record (it is still our history) but no outbox row."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter
from core.domain import acknowledgement as ack
from core.domain.model import Order
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


def write_acknowledgements(uow: UnitOfWork, orders: list[Order],
                           lines: list[list[dict[str, Any]] | None] | None = None
                           ) -> dict[int, int]:
    """Automatic 855s for a batch of new orders: three statements for the whole batch.
    `lines`, by order: its `ack.ack_lines` made ahead (an order built before its write turn and
    unchanged since), or None to make them here. Returns order id -> acknowledgement id."""
    if not orders:
        return {}
    per_order = [(o, rows if rows is not None else ack.ack_lines(o))
                 for o, rows in zip(orders, lines or [None] * len(orders))]
    bulk = BulkWriter(uow.conn)
    num, date, stamp, boolean, _ = bulk.encode
    ack_ids = bulk.ids(t.acknowledgements, len(per_order))
    now = stamp(uow.now)
    ack_types = [ack.ack_type(rows) for _, rows in per_order]
    bulk.insert_values(t.acknowledgements, ACK_INSERT_COLS, [
        (ack_id, o.id, ack_type, boolean(True), now)
        for (o, _), ack_id, ack_type in zip(per_order, ack_ids, ack_types)])
    line_values = []
    result = {}
    for (order, rows), ack_id, ack_type in zip(per_order, ack_ids, ack_types):
        result[order.id] = ack_id
        totals: dict[str, Decimal] = {}  # per ACK01 code, in first-seen order (ack.total)
        for r in rows:
            line_values.append((ack_id, r["line"].id, r["line_number"], r["status_code"],
                                num(r["quantity"]), num(r["unit_price"]), date(r["date"]),
                                r["reason"]))
            code = r["status_code"]
            totals[code] = totals.get(code, ZERO) + r["quantity"]
        order.acknowledged_at = uow.now
        order.record("acknowledged", acknowledgement_id=ack_id, ack_type=ack_type,
                     automatic=True, quantities={k: str(v) for k, v in totals.items()},
                     outbox=bool(order.partner_id))
        if order.partner_id:
            uow.outbox.add("855", order.partner_id, order.id, {"acknowledgement_id": ack_id},
                           uow.now)
    bulk.insert_values(t.acknowledgement_lines, ACK_LINE_INSERT_COLS, line_values)
    return result
