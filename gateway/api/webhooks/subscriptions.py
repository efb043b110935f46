"""Webhook subscribers: a URL, the event types it wants (or "*"), and the shared secret."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import Engine, delete, insert, select

from gateway.api.db import reading
from gateway.api import clock
from gateway.api.tables import webhook_subscriptions
from gateway.api.webhooks.events import EVENT_TYPES


class SubscriptionError(ValueError):
    """A subscription was refused: bad URL, unknown event type."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Subscription:
    id: int
    url: str
    events: tuple[str, ...]
    secret: str
    description: str | None
    active: bool
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        return "*" in self.events or event_type in self.events or \
            f"{event_type.split('.')[0]}.*" in self.events

    def to_json(self, *, with_secret: bool = False) -> dict:
        data = {"id": self.id, "url": self.url, "events": list(self.events),
                "description": self.description, "active": self.active,
                "created_at": self.created_at.isoformat()}
        if with_secret:
            data["secret"] = self.secret
        return data


def validate_events(events: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    families = {t.split(".")[0] for t in EVENT_TYPES}
    clean: list[str] = []
    for event in events:
        event = event.strip()
        if not event:
            continue
        if event != "*" and event not in EVENT_TYPES and not (
                event.endswith(".*") and event[:-2] in families):
            raise SubscriptionError(f"unknown event type {event!r}; known: * , "
                                    + ", ".join(sorted(EVENT_TYPES)), "events")
        if event not in clean:
            clean.append(event)
    if not clean:
        raise SubscriptionError("name at least one event type (or *)", "events")
    return tuple(clean)


def validate_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise SubscriptionError(f"webhook URL {url!r} must be an absolute http(s) URL", "url")
    return url


def subscribe(engine: Engine, url: str, events: list[str] | tuple[str, ...], secret: str | None = None,
              description: str | None = None) -> Subscription:
    """Register a subscriber; a secret is generated when none is given (returned once)."""
    url = validate_url(url)
    wanted = validate_events(events)
    secret = secret or secrets.token_urlsafe(32)
    created = clock.now()
    with engine.begin() as conn:
        sub_id = conn.execute(insert(webhook_subscriptions).values(
            url=url, events=",".join(wanted), secret=secret, description=description, active=1,
            created_at=created)).inserted_primary_key[0]
    return Subscription(sub_id, url, wanted, secret, description, True, created)


def list_subscriptions(engine_or_conn, *, active_only: bool = False) -> list[Subscription]:  # type: ignore[no-untyped-def]
    query = select(webhook_subscriptions).order_by(webhook_subscriptions.c.id)
    if active_only:
        query = query.where(webhook_subscriptions.c.active == 1)
    if isinstance(engine_or_conn, Engine):
        with reading(engine_or_conn) as conn:
            rows = conn.execute(query).all()
    else:
        rows = engine_or_conn.execute(query).all()
    return [Subscription(r.id, r.url, tuple(r.events.split(",")), r.secret, r.description,
                         bool(r.active), clock.utc(r.created_at)) for r in rows]


def get_subscription(engine: Engine, sub_id: int) -> Subscription | None:
    return next((s for s in list_subscriptions(engine) if s.id == sub_id), None)


def remove_subscription(engine: Engine, sub_id: int) -> bool:
    with engine.begin() as conn:
        return conn.execute(delete(webhook_subscriptions)
                            .where(webhook_subscriptions.c.id == sub_id)).rowcount == 1
