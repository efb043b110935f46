"""Retention for the API's own bookkeeping: idempotency records are kept long enough for clients
to retry (a day by default), webhook events and their deliveries for a month once nothing about
them is pending. Called by every webhook delivery round, so no separate job is needed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, exists, select

from gateway.api.tables import api_idempotency, webhook_deliveries, webhook_events


@dataclass(frozen=True)
class Retention:
    idempotency_hours: float = 24.0
    webhook_days: float = 30.0


def prune(engine: Engine, now: datetime, retention: Retention = Retention()) -> dict[str, int]:
    idem_cutoff = now - timedelta(hours=retention.idempotency_hours)
    hook_cutoff = now - timedelta(days=retention.webhook_days)
    d = webhook_deliveries.c
    with engine.begin() as conn:
        idem = conn.execute(delete(api_idempotency)
                            .where(api_idempotency.c.created_at < idem_cutoff)).rowcount
        pending = exists().where(d.event_id == webhook_events.c.id, d.status == "pending")
        old = select(webhook_events.c.id).where(webhook_events.c.occurred_at < hook_cutoff, ~pending)
        old_ids = list(conn.execute(old.limit(5000)).scalars())
        if old_ids:
            conn.execute(delete(webhook_deliveries).where(d.event_id.in_(old_ids)))
            conn.execute(delete(webhook_events).where(webhook_events.c.id.in_(old_ids)))
    return {"idempotency": idem, "webhook_events": len(old_ids)}
