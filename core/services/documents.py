"""Records of documents we owe a partner (855, 856, 810, 850) plus their outbox rows.
Orders without a partner get the record (it is still our history) but no outbox row."""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter
from core.domain import acknowledgement as ack
from core.domain.model import Order
from core.services.unit_of_work import UnitOfWork


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


def write_acknowledgements(uow: UnitOfWork, orders: list[Order]) -> dict[int, int]:
    """Automatic 855s for a batch of new orders: three statements for the whole batch.
    Returns order id -> acknowledgement id."""
    if not orders:
        return {}
    per_order = [(o, ack.ack_lines(o)) for o in orders]
    bulk = BulkWriter(uow.conn)
    ack_ids = bulk.ids(t.acknowledgements, len(per_order))
    bulk.insert(t.acknowledgements, [
        {"id": ack_id, "order_id": o.id, "ack_type": ack.ack_type(rows), "automatic": True,
         "created_at": uow.now} for (o, rows), ack_id in zip(per_order, ack_ids)])
    line_rows = []
    result = {}
    for (order, rows), ack_id in zip(per_order, ack_ids):
        result[order.id] = ack_id
        codes: dict[str, str] = {}
        for r in rows:
            line_rows.append({"acknowledgement_id": ack_id, "line_id": r["line"].id,
                              "line_number": r["line_number"], "status_code": r["status_code"],
                              "quantity": r["quantity"], "unit_price": r["unit_price"],
                              "date": r["date"], "reason": r["reason"]})
            codes[r["status_code"]] = str(ack.total(rows, r["status_code"]))
        order.acknowledged_at = uow.now
        order.record("acknowledged", acknowledgement_id=ack_id, ack_type=ack.ack_type(rows),
                     automatic=True, quantities=codes, outbox=bool(order.partner_id))
        if order.partner_id:
            uow.outbox.add("855", order.partner_id, order.id, {"acknowledgement_id": ack_id},
                           uow.now)
    bulk.insert(t.acknowledgement_lines, line_rows)
    return result
