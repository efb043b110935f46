"""Outbox rows and number sequences, written inside the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[dict[str, Any]] = []

    def add(self, document_type: str, partner_id: str, order_id: int | None,
            payload_ref: dict[str, Any], at: datetime) -> None:
        """Queue one outbound document; flushed with the unit of work's commit."""
        self.pending.append({"document_type": document_type, "partner_id": partner_id,
                             "order_id": order_id, "payload_ref": payload_ref,
                             "status": "pending", "attempts": 0, "next_attempt_at": at,
                             "created_at": at, "last_error": None})

    def flush(self) -> None:
        if self.pending:
            BulkWriter(self.conn).insert(t.outbox, self.pending)
            self.pending.clear()


class Sequences:
    """Named counters (invoice, shipment, vendor PO, RMA numbers) allocated in the transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def next(self, name: str) -> int:
        seq = t.sequences
        q = select(seq.c.value).where(seq.c.name == name)
        if self.conn.dialect.name != "sqlite":
            q = q.with_for_update()
        current = self.conn.execute(q).scalar()
        if current is None:
            self.conn.execute(insert(seq).values(name=name, value=1))
            return 1
        self.conn.execute(update(seq).where(seq.c.name == name).values(value=current + 1))
        return current + 1
