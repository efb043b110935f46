"""The API's own tables, declared on the shared metadata (docs/CONTRACTS.md, "Database").

- `api_keys`: hashed API keys with scopes; the key itself is never stored.
- `api_idempotency`: responses remembered per (key name, Idempotency-Key) so retries are safe.
- `webhook_subscriptions`, `webhook_events`, `webhook_deliveries`: the webhook outbox.
- `webhook_cursors`: how far each event source (order history, exceptions) has been read.
The alembic file core/adapters/migrations/versions/0004_api.py creates the same tables.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from core.adapters.tables import metadata

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("prefix", String(32), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("scopes", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

api_idempotency = Table(
    "api_idempotency", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key_name", String(100), nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("method", String(10), nullable=False),
    Column("path", String(500), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response_body", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("key_name", "idempotency_key", name="uq_api_idempotency_key"),
)

webhook_subscriptions = Table(
    "webhook_subscriptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(2000), nullable=False),
    Column("events", Text, nullable=False),
    Column("secret", String(200), nullable=False),
    Column("description", String(200)),
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

webhook_events = Table(
    "webhook_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_type", String(60), nullable=False),
    Column("source_ref", String(200), nullable=False, unique=True),
    Column("payload", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription_id", Integer, ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
           nullable=False),
    Column("event_id", Integer, ForeignKey("webhook_events.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    UniqueConstraint("subscription_id", "event_id", name="uq_webhook_delivery"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)

webhook_cursors = Table(
    "webhook_cursors", metadata,
    Column("source", String(60), primary_key=True),
    Column("position", String(100), nullable=False),
)

API_TABLES = (api_keys, api_idempotency, webhook_subscriptions, webhook_events, webhook_deliveries,
              webhook_cursors)


def create_api_tables(engine) -> None:  # type: ignore[no-untyped-def]
    """Create only the API's tables (for tests of this part alone; homes use alembic)."""
    metadata.create_all(engine, tables=list(API_TABLES))
