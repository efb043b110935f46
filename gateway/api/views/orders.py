"""The order read model: one order with lines, buckets, allocations, holds, documents and history,
in a fixed number of queries (no per-line query); and a keyset-paged list."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from core.adapters import tables as t
from gateway.api.views.convert import num, when


def order_json(core: Any, conn: Connection, order_id: int) -> dict[str, Any] | None:
    """The core's read model of the order (issue 3's JSON, shared with `orders show --json`) plus
    the documents produced for it: shipments, invoices and returns."""
    from core.domain.errors import UnknownOrder

    try:
        data = core.orders.get(order_id)
    except UnknownOrder:
        return None
    data["updated_at"] = when(conn.execute(select(t.orders.c.updated_at)
                                           .where(t.orders.c.id == order_id)).scalar())
    data["shipments"] = [{"id": s.id, "number": s.shipment_number, "date": when(s.ship_date),
                          "carrier": s.carrier, "tracking": s.tracking}
                         for s in conn.execute(select(t.shipments).where(t.shipments.c.order_id == order_id)
                                               .order_by(t.shipments.c.id))]
    data["invoices"] = [{"id": i.id, "number": i.invoice_number, "date": when(i.invoice_date),
                         "total": num(i.total)}
                        for i in conn.execute(select(t.invoices).where(t.invoices.c.order_id == order_id)
                                              .order_by(t.invoices.c.id))]
    data["returns"] = [{"id": r.id, "number": r.rma_number, "status": r.status, "date": when(r.created_at)}
                       for r in conn.execute(select(t.returns).where(t.returns.c.order_id == order_id)
                                             .order_by(t.returns.c.id))]
    return data


def summary_json(o: Any) -> dict[str, Any]:
    return {"id": o.id, "po_number": o.po_number, "channel": o.channel, "partner_id": o.partner_id,
            "status": o.status, "created_at": when(o.created_at), "updated_at": when(o.updated_at)}


@dataclass(frozen=True)
class OrderFilter:
    po_number: str | None = None
    status: str | None = None
    partner: str | None = None
    channel: str | None = None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"o:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The order id a cursor points after; ValueError when it is not one of ours."""
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError):
        raise ValueError("not a cursor returned by this API") from None
    kind, _, value = text.partition(":")
    if kind != "o" or not value.isdigit():
        raise ValueError("not a cursor returned by this API")
    return int(value)


def list_orders(conn: Connection, flt: OrderFilter, limit: int, *, after_id: int | None = None,
                offset: int | None = None) -> tuple[list[dict[str, Any]], bool]:
    """Newest first. Returns one page and whether more follow."""
    c = t.orders.c
    query = select(t.orders).order_by(c.id.desc()).limit(limit + 1)
    if flt.po_number:
        query = query.where(c.po_number == flt.po_number)
    if flt.status:
        query = query.where(c.status == flt.status)
    if flt.partner:
        query = query.where(c.partner_id == flt.partner)
    if flt.channel:
        query = query.where(c.channel == flt.channel)
    if after_id is not None:
        query = query.where(c.id < after_id)
    if offset:
        query = query.offset(offset)
    rows = conn.execute(query).all()
    return [summary_json(r) for r in rows[:limit]], len(rows) > limit
