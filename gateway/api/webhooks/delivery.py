"""The webhook delivery job: `deliver_due(engine, now)` collects new events from the sources, then
POSTs every due delivery once, signed, and records the outcome. A 2xx answer is delivered; anything
else (an error status, a timeout, a refused connection) is retried with backoff until
`max_attempts`, then the delivery is `dead` (visible through the API, retried by hand).

Claiming is a conditional UPDATE (status pending and due -> leased into the future), so two
schedulers never send the same delivery at once, on SQLite or PostgreSQL.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

import httpx
from sqlalchemy import Engine, select, update

from gateway.api.db import reading
from gateway.api import clock
from gateway.api.settings import WebhookSettings
from gateway.api.tables import webhook_deliveries, webhook_events, webhook_subscriptions
from gateway.api.webhooks.backoff import next_attempt
from gateway.api.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign

LEASE = timedelta(minutes=5)


class DeliveryStatus(str, Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


@dataclass
class DeliveryReport:
    collected: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"collected": self.collected, "delivered": self.delivered, "failed": self.failed,
                "dead": self.dead, "errors": self.errors}


def deliver_due(engine: Engine, now: datetime | None = None, *, settings: WebhookSettings | None = None,
                client: httpx.Client | None = None, limit: int = 200, collect: bool = True) -> DeliveryReport:
    """Run once: collect events, then send every delivery due at `now` (at most `limit`)."""
    from gateway.api.webhooks.sources import collect_events

    now = clock.utc(now) or clock.now()
    settings = settings or WebhookSettings()
    report = DeliveryReport()
    if collect:
        report.collected = collect_events(engine, now)
    own_client = client is None
    client = client or httpx.Client(timeout=settings.timeout_seconds, follow_redirects=False)
    try:
        for delivery_id in _due_ids(engine, now, limit):
            if not _claim(engine, delivery_id, now):
                continue
            _send_one(engine, client, delivery_id, now, settings, report)
    finally:
        if own_client:
            client.close()
    if collect:
        from gateway.api.retention import prune

        prune(engine, now)
    return report


def _due_ids(engine: Engine, now: datetime, limit: int) -> list[int]:
    with reading(engine) as conn:
        return list(conn.execute(
            select(webhook_deliveries.c.id)
            .where(webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
                   webhook_deliveries.c.next_attempt_at <= now)
            .order_by(webhook_deliveries.c.next_attempt_at, webhook_deliveries.c.id)
            .limit(limit)).scalars())


def _claim(engine: Engine, delivery_id: int, now: datetime) -> bool:
    with engine.begin() as conn:
        return conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == delivery_id,
                   webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
                   webhook_deliveries.c.next_attempt_at <= now)
            .values(next_attempt_at=now + LEASE)).rowcount == 1


def _send_one(engine: Engine, client: httpx.Client, delivery_id: int, now: datetime,
              settings: WebhookSettings, report: DeliveryReport) -> None:
    with reading(engine) as conn:
        row = conn.execute(
            select(webhook_deliveries.c.attempts, webhook_events.c.id.label("event_id"),
                   webhook_events.c.event_type, webhook_events.c.payload,
                   webhook_subscriptions.c.url, webhook_subscriptions.c.secret)
            .join(webhook_events, webhook_events.c.id == webhook_deliveries.c.event_id)
            .join(webhook_subscriptions,
                  webhook_subscriptions.c.id == webhook_deliveries.c.subscription_id)
            .where(webhook_deliveries.c.id == delivery_id)).one()
    body = _body(row.payload, row.event_id, delivery_id)
    headers = {"Content-Type": "application/json", EVENT_HEADER: row.event_type,
               DELIVERY_HEADER: str(delivery_id),
               SIGNATURE_HEADER: sign(row.secret, body, int(now.timestamp()))}
    status_code: int | None = None
    try:
        response = client.post(row.url, content=body, headers=headers)
        status_code = response.status_code
        error = None if 200 <= status_code < 300 else f"HTTP {status_code} from {row.url}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc or 'no answer'} ({row.url})"
    attempts = row.attempts + 1
    values: dict = {"attempts": attempts, "last_status_code": status_code, "last_error": error}
    if error is None:
        values.update(status=DeliveryStatus.DELIVERED.value, delivered_at=now, next_attempt_at=now)
        report.delivered += 1
    else:
        retry_at = next_attempt(attempts, now, settings)
        report.errors.append(error)
        if retry_at is None:
            values.update(status=DeliveryStatus.DEAD.value, next_attempt_at=now)
            report.dead += 1
        else:
            values.update(status=DeliveryStatus.PENDING.value, next_attempt_at=retry_at)
            report.failed += 1
    with engine.begin() as conn:
        conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)
                     .values(**values))


def _body(stored: str, event_id: int, delivery_id: int) -> bytes:
    data = json.loads(stored)
    data = {"id": f"evt_{event_id}", "delivery": delivery_id, **data}
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")


def redeliver(engine: Engine, delivery_id: int, now: datetime | None = None) -> bool:
    """Queue a delivery again (a dead one, or a delivered one the receiver lost)."""
    now = clock.utc(now) or clock.now()
    with engine.begin() as conn:
        return conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)
                            .values(status=DeliveryStatus.PENDING.value, next_attempt_at=now,
                                    attempts=0)).rowcount == 1
