"""Read-only queries over the core's document tables (acknowledgements, shipments, invoices,
vendor orders). The core's ``queries`` module covers orders and inventory; these rows are what
an outbound document needs and nothing else, so they live with the outbound builders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.adapters import tables as t


def _one(conn: Any, table: Any, key: Any, what: str) -> dict[str, Any]:
    row = conn.execute(select(table).where(table.c.id == key)).mappings().first()
    if row is None:
        raise LookupError(f"{what} {key} does not exist")
    return dict(row)


def _many(conn: Any, table: Any, column: Any, key: Any) -> list[dict[str, Any]]:
    rows = conn.execute(select(table).where(column == key).order_by(table.c.id)).mappings()
    return [dict(r) for r in rows]


def acknowledgement(conn: Any, ack_id: int) -> tuple[dict, list[dict]]:
    head = _one(conn, t.acknowledgements, ack_id, "acknowledgement")
    return head, _many(conn, t.acknowledgement_lines,
                       t.acknowledgement_lines.c.acknowledgement_id, ack_id)


def shipment(conn: Any, shipment_id: int) -> tuple[dict, list[dict], list[dict]]:
    head = _one(conn, t.shipments, shipment_id, "shipment")
    cartons = _many(conn, t.shipment_cartons, t.shipment_cartons.c.shipment_id, shipment_id)
    lines = _many(conn, t.shipment_lines, t.shipment_lines.c.shipment_id, shipment_id)
    return head, cartons, lines


def invoice(conn: Any, invoice_id: int) -> tuple[dict, list[dict], list[dict]]:
    head = _one(conn, t.invoices, invoice_id, "invoice")
    lines = _many(conn, t.invoice_lines, t.invoice_lines.c.invoice_id, invoice_id)
    charges = _many(conn, t.invoice_charges, t.invoice_charges.c.invoice_id, invoice_id)
    return head, lines, charges


def vendor_order(conn: Any, vo_id: int) -> tuple[dict, list[dict]]:
    head = _one(conn, t.vendor_orders, vo_id, "vendor order")
    return head, _many(conn, t.vendor_order_lines, t.vendor_order_lines.c.vendor_order_id, vo_id)


def order_lines(conn: Any, order_id: int) -> dict[str, dict[str, Any]]:
    return {r["line_number"]: r for r in _many(conn, t.order_lines, t.order_lines.c.order_id,
                                                 order_id)}


def order(conn: Any, order_id: int) -> dict[str, Any]:
    return _one(conn, t.orders, order_id, "order")
