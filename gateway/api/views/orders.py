"""The order read model: one order with lines, buckets, allocations, holds, documents and history,
in a fixed number of queries (no per-line query); and a keyset-paged list."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from core.adapters import tables as t
from gateway.api.schemas.views import BUCKET_NAMES
from gateway.api.views.convert import num, when


def order_json(conn: Connection, order_id: int) -> dict[str, Any] | None:
    o = conn.execute(select(t.orders).where(t.orders.c.id == order_id)).first()
    if o is None:
        return None
    lines = conn.execute(select(t.order_lines).where(t.order_lines.c.order_id == order_id)
                         .order_by(t.order_lines.c.id)).all()
    allocs: dict[int, list[dict[str, Any]]] = {}
    for a in conn.execute(select(t.allocations).where(t.allocations.c.order_id == order_id)
                          .order_by(t.allocations.c.id)):
        allocs.setdefault(a.line_id, []).append({"location": a.location, "quantity": num(a.allocated),
                                                 "released": num(a.released), "shipped": num(a.shipped),
                                                 "rule": a.rule})
    return {
        **summary_json(o),
        "currency": o.currency, "order_date": when(o.order_date),
        "requested_ship_date": when(o.requested_ship_date),
        "requested_delivery_date": when(o.requested_delivery_date),
        "cancel_after": when(o.cancel_after), "carrier": o.carrier, "service": o.service,
        "terms": o.terms, "acknowledged_at": when(o.acknowledged_at), "parties": o.parties,
        "lines": [_line(line, allocs.get(line.id, [])) for line in lines],
        "holds": [{"id": h.id, "type": h.type, "reason": h.reason, "line_number": h.line_number,
                   "active": bool(h.active)}
                  for h in conn.execute(select(t.holds).where(t.holds.c.order_id == order_id)
                                        .order_by(t.holds.c.id))],
        "shipments": [{"id": s.id, "number": s.shipment_number, "date": when(s.ship_date),
                       "carrier": s.carrier, "tracking": s.tracking}
                      for s in conn.execute(select(t.shipments).where(t.shipments.c.order_id == order_id)
                                            .order_by(t.shipments.c.id))],
        "invoices": [{"id": i.id, "number": i.invoice_number, "date": when(i.invoice_date),
                      "total": num(i.total)}
                     for i in conn.execute(select(t.invoices).where(t.invoices.c.order_id == order_id)
                                           .order_by(t.invoices.c.id))],
        "returns": [{"id": r.id, "number": r.rma_number, "status": r.status,
                     "date": when(r.created_at)}
                    for r in conn.execute(select(t.returns).where(t.returns.c.order_id == order_id)
                                          .order_by(t.returns.c.id))],
        "history": [{"at": when(h.at), "actor": h.actor, "event": h.event, "detail": h.detail}
                    for h in conn.execute(select(t.order_history)
                                          .where(t.order_history.c.order_id == order_id)
                                          .order_by(t.order_history.c.id))],
    }


def _line(line: Any, allocations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"line_number": line.line_number, "sku": line.sku, "uom": line.uom,
            "unit_price": num(line.unit_price), "ordered": num(line.ordered), "status": line.status,
            "reject_reason": line.reject_reason,
            "quantities": {b: num(getattr(line, b)) for b in BUCKET_NAMES},
            "allocations": allocations}


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
