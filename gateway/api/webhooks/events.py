"""Webhook event types and `publish`: record one event and queue a delivery per interested
subscriber, in the caller's transaction (so an event exists exactly when its cause committed)."""
from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, insert, select

from gateway.api.tables import webhook_deliveries, webhook_events


class EventType(str, Enum):
    ORDER_CREATED = "order.created"
    ORDER_ACKNOWLEDGED = "order.acknowledged"
    ORDER_CHANGED = "order.changed"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_SOURCED = "order.sourced"
    ORDER_RELEASED = "order.released"
    ORDER_HELD = "order.held"
    ORDER_HOLD_RESOLVED = "order.hold_resolved"
    ORDER_LINE_REJECTED = "order.line_rejected"
    SHIPMENT_RECORDED = "shipment.recorded"
    INVOICE_ISSUED = "invoice.issued"
    RETURN_CREATED = "return.created"
    RETURN_RECEIVED = "return.received"
    EXCEPTION_OPENED = "exception.opened"
    EXCEPTION_RESOLVED = "exception.resolved"


EVENT_TYPES: frozenset[str] = frozenset(e.value for e in EventType)


def publish(conn: Connection, event_type: str, source_ref: str, payload: dict[str, Any],
            now: datetime) -> int | None:
    """Record the event once per `source_ref` and fan it out; returns the event id, or None when
    this source_ref was already published (collectors may see a row twice after a crash)."""
    from gateway.api.webhooks.subscriptions import list_subscriptions

    exists = conn.execute(select(webhook_events.c.id)
                          .where(webhook_events.c.source_ref == source_ref)).first()
    if exists is not None:
        return None
    body = {"type": event_type, "occurred_at": now.isoformat(), "data": payload}
    event_id = conn.execute(insert(webhook_events).values(
        event_type=event_type, source_ref=source_ref, payload=json.dumps(body, default=str),
        occurred_at=now)).inserted_primary_key[0]
    rows = [{"subscription_id": sub.id, "event_id": event_id, "status": "pending", "attempts": 0,
             "next_attempt_at": now, "created_at": now}
            for sub in list_subscriptions(conn, active_only=True) if sub.wants(event_type)]
    if rows:
        conn.execute(insert(webhook_deliveries), rows)
    return event_id
