"""Where webhook events come from: tables other parts already write in the same transaction as the
change itself, read forward from a stored cursor. An event therefore exists exactly when its cause
committed, whether the change came through the API, the command line or an inbound EDI file.

- the core's `order_history` (append-only): each history event name maps to a webhook type;
- reconciliation's `reconcile_exceptions`: new rows -> exception.opened, resolutions ->
  exception.resolved.
A source whose table is missing (that part not installed) yields nothing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator

from sqlalchemy import Connection, Engine, Table, inspect, insert, select, update
from sqlalchemy.exc import IntegrityError

from gateway.api import clock
from gateway.api.tables import metadata, webhook_cursors
from gateway.api.webhooks.events import EventType, publish

try:  # declares reconcile_exceptions on the shared metadata when that part is installed
    import gateway.reconcile.tables  # noqa: F401
except ImportError:  # pragma: no cover - reconciliation not installed
    pass

BATCH = 500

# order history event name (core's `order.record(...)`, normalised to lower-case letters) -> webhook
# event type. Names not listed (acknowledge_requested, sourcing_held, vendor_* bookkeeping) are
# history detail, not webhook events.
HISTORY_EVENTS: dict[str, EventType] = {
    "placed": EventType.ORDER_CREATED,
    "acknowledged": EventType.ORDER_ACKNOWLEDGED,
    "changed": EventType.ORDER_CHANGED,
    "cancelled": EventType.ORDER_CANCELLED,
    "linescancelled": EventType.ORDER_CANCELLED,
    "sourced": EventType.ORDER_SOURCED,
    "released": EventType.ORDER_RELEASED,
    "holdplaced": EventType.ORDER_HELD,
    "holdresolved": EventType.ORDER_HOLD_RESOLVED,
    "linerejected": EventType.ORDER_LINE_REJECTED,
    "vendorrejected": EventType.ORDER_LINE_REJECTED,
    "shipped": EventType.SHIPMENT_RECORDED,
    "invoiced": EventType.INVOICE_ISSUED,
    "returnauthorised": EventType.RETURN_CREATED,
    "returnreceived": EventType.RETURN_RECEIVED,
}


def normalise(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass(frozen=True)
class Found:
    event_type: str
    source_ref: str
    payload: dict[str, Any]
    position: str


def _table(name: str) -> Table | None:
    return metadata.tables.get(name)


def _history(conn: Connection, after: str) -> Iterator[Found]:
    history, orders = _table("order_history"), _table("orders")
    if history is None or orders is None:
        return
    h, o = history.c, orders.c
    rows = conn.execute(
        select(h.id, h.order_id, h.at, h.actor, h.event, h.detail, o.po_number, o.channel,
               o.partner_id, o.status)
        .join(orders, o.id == h.order_id).where(h.id > int(after or 0)).order_by(h.id).limit(BATCH))
    for row in rows:
        kind = HISTORY_EVENTS.get(normalise(row.event))
        position = str(row.id)
        if kind is None:
            yield Found("", "", {}, position)  # advances the cursor only
            continue
        yield Found(kind.value, f"order_history:{row.id}", {
            "order_id": row.order_id, "po_number": row.po_number, "channel": row.channel,
            "partner_id": row.partner_id, "order_status": row.status, "event": row.event,
            "actor": row.actor, "at": _iso(row.at), "detail": _json(row.detail)}, position)


def _exceptions_opened(conn: Connection, after: str) -> Iterator[Found]:
    table = _table("reconcile_exceptions")
    if table is None:
        return
    c = table.c
    for row in conn.execute(select(table).where(c.id > int(after or 0)).order_by(c.id).limit(BATCH)):
        yield Found(EventType.EXCEPTION_OPENED.value, f"reconcile_exception:{row.id}:opened",
                    _exception_payload(row), str(row.id))


def _exceptions_resolved(conn: Connection, after: str) -> Iterator[Found]:
    table = _table("reconcile_exceptions")
    if table is None:
        return
    c = table.c
    query = select(table).where(c.resolved_at.is_not(None), c.status == "resolved")
    if after:
        last_at, _, last_id = after.partition("|")
        query = query.where((c.resolved_at > datetime.fromisoformat(last_at))
                            | ((c.resolved_at == datetime.fromisoformat(last_at)) & (c.id > int(last_id))))
    for row in conn.execute(query.order_by(c.resolved_at, c.id).limit(BATCH)):
        resolved = clock.utc(row.resolved_at)
        yield Found(EventType.EXCEPTION_RESOLVED.value,
                    f"reconcile_exception:{row.id}:resolved:{resolved.isoformat()}",
                    _exception_payload(row), f"{row.resolved_at.isoformat()}|{row.id}")


SOURCES: dict[str, Callable[[Connection, str], Iterator[Found]]] = {
    "order_history": _history,
    "reconcile_exceptions.opened": _exceptions_opened,
    "reconcile_exceptions.resolved": _exceptions_resolved,
}


def collect_events(engine: Engine, now: datetime | None = None) -> int:
    """Read every source forward from its cursor and publish what it finds; returns the count.
    Cursor and events commit together, so a crash re-reads a batch and `publish` drops repeats."""
    now = clock.utc(now) or clock.now()
    present = set(inspect(engine).get_table_names())
    published = 0
    for name, source in SOURCES.items():
        table_name = name.split(".")[0]
        if table_name not in present:
            continue
        while True:
            try:
                with engine.begin() as conn:
                    after = conn.execute(select(webhook_cursors.c.position)
                                         .where(webhook_cursors.c.source == name)).scalar()
                    found = list(source(conn, after or ""))
                    count = 0
                    for item in found:
                        if item.event_type and publish(conn, item.event_type, item.source_ref,
                                                       item.payload, now) is not None:
                            count += 1
                    if found:
                        _save_cursor(conn, name, after, found[-1].position)
            except IntegrityError:  # another collector (PostgreSQL) published this batch first
                break
            published += count
            if len(found) < BATCH:
                break
    return published


def _save_cursor(conn: Connection, name: str, before: str | None, position: str) -> None:
    if before is None:
        conn.execute(insert(webhook_cursors).values(source=name, position=position))
    else:
        conn.execute(update(webhook_cursors).where(webhook_cursors.c.source == name)
                     .values(position=position))


def _exception_payload(row: Any) -> dict[str, Any]:
    return {"exception_id": row.id, "type": row.type, "area": row.area, "severity": row.severity,
            "partner_id": row.partner_id, "order_ref": row.order_ref, "reason": row.reason,
            "amount": str(row.amount) if row.amount is not None else None, "status": row.status,
            "note": row.note, "first_seen": _iso(row.first_seen), "resolved_at": _iso(row.resolved_at)}


def _iso(value: Any) -> str | None:
    value = clock.utc(value)
    return value.isoformat() if value else None


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
