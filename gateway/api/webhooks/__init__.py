"""Webhooks: subscribers (URL, events, secret) receive order, shipment, invoice and exception
events, signed with HMAC-SHA256, delivered from an outbox table with retries and backoff.

- `subscribe(engine, url, events, secret)` / `list_subscriptions` / `remove_subscription`;
- `publish(conn, event_type, source_ref, payload, now)`: record an event and fan it out, in the
  caller's transaction;
- `deliver_due(engine, now)`: the scheduler job: collect new events from the core's history and
  the reconciliation exceptions, then POST every due delivery once;
- `sign(secret, body, timestamp)` / `verify_signature(secret, header, body, now)` for receivers.
"""
from __future__ import annotations

from gateway.api.webhooks.delivery import DeliveryReport, deliver_due
from gateway.api.webhooks.events import EVENT_TYPES, EventType, publish
from gateway.api.webhooks.signing import SIGNATURE_HEADER, SignatureError, sign, verify_signature
from gateway.api.webhooks.subscriptions import (Subscription, SubscriptionError, list_subscriptions,
                                                remove_subscription, subscribe)

__all__ = ["DeliveryReport", "deliver_due", "EVENT_TYPES", "EventType", "publish", "SIGNATURE_HEADER",
           "SignatureError", "sign", "verify_signature", "Subscription", "SubscriptionError",
           "list_subscriptions", "remove_subscription", "subscribe"]
