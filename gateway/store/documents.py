"""Interchanges and documents: the trace of every transaction set in and every document out.

Outbound documents are written with their control numbers, archive hash and file name in one
transaction (`add_outbound`) before any upload, and `claim_ready` hands them to the sender; so a
crash anywhere re-sends the same bytes under the same name, never a second set of numbers.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Iterator, Sequence

from sqlalchemy import Connection, Engine, RowMapping, and_, insert, or_, select, update

from gateway.store.clock import new_trace_id, utcnow
from gateway.store.states import AckStatus, Direction, DocStatus
from gateway.store.tables import gateway_documents, gateway_interchanges

docs = gateway_documents


def find_interchange(conn: Connection, partner_id: str, direction: str, isa13: str) -> RowMapping | None:
    return conn.execute(select(gateway_interchanges).where(
        gateway_interchanges.c.partner_id == partner_id, gateway_interchanges.c.direction == direction,
        gateway_interchanges.c.isa13 == isa13)).mappings().first()


def add_interchange(conn: Connection, *, partner_id: str, direction: str, isa13: str,
                    file_id: int | None, sender: str, receiver: str, version: str,
                    status: str) -> int:
    return conn.execute(insert(gateway_interchanges).values(
        partner_id=partner_id, direction=direction, isa13=isa13, file_id=file_id, sender=sender,
        receiver=receiver, version=version, status=status, created_at=utcnow())
        .returning(gateway_interchanges.c.id)).scalar_one()


def add_inbound(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert inbound set rows (keys: doc_type, partner_id, file_id, interchange_id, isa13,
    gs06, st02, functional_id, order_id, reference, status, trace_id)."""
    if not rows:
        return
    now = utcnow()
    conn.execute(insert(docs), [{"direction": Direction.IN.value, "created_at": now, "updated_at": now,
                                 "attempts": 0, **row} for row in rows])


def add_outbound(conn: Connection, *, doc_type: str, partner_id: str, isa13: str, gs06: str | None,
                 st02: str | None, functional_id: str | None, sha256: str, filename: str,
                 order_id: int | None = None, outbox_id: int | None = None,
                 reference: str | None = None, trace_id: str | None = None,
                 file_id: int | None = None, expect_ack_hours: float | None = None) -> int:
    now = utcnow()
    values = dict(direction=Direction.OUT.value, doc_type=doc_type, partner_id=partner_id,
                  isa13=isa13, gs06=gs06, st02=st02, functional_id=functional_id, sha256=sha256,
                  filename=filename, order_id=order_id, outbox_id=outbox_id, reference=reference,
                  trace_id=trace_id or new_trace_id(), file_id=file_id, status=DocStatus.READY.value,
                  ack_status=(AckStatus.PENDING.value if expect_ack_hours else AckStatus.NOT_EXPECTED.value),
                  attempts=0, next_attempt_at=now, created_at=now, updated_at=now)
    return conn.execute(insert(docs).values(**values).returning(docs.c.id)).scalar_one()


def add_outbound_many(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """`add_outbound` for many documents (same keyword names per row) in one statement;
    their ids, in the order of `rows`.

    Rows that all come from distinct outbox rows (the renderer's batches) are matched to their
    ids through the unique outbox_id, so the insert needs no ordered RETURNING: on SQLite that
    ordering made SQLAlchemy send one INSERT per row (no sentinel it can use there), now one
    multi-row INSERT per batch. Other rows keep the ordered RETURNING."""
    if not rows:
        return []
    now = utcnow()
    values = []
    for row in rows:
        row = dict(row)
        hours = row.pop("expect_ack_hours", None)
        values.append(dict(
            {"order_id": None, "outbox_id": None, "reference": None, "file_id": None, **row},
            direction=Direction.OUT.value, status=DocStatus.READY.value,
            ack_status=(AckStatus.PENDING.value if hours else AckStatus.NOT_EXPECTED.value),
            attempts=0, next_attempt_at=now, created_at=now, updated_at=now))
        if not values[-1].get("trace_id"):
            values[-1]["trace_id"] = new_trace_id()
    keys = [v["outbox_id"] for v in values]
    if None not in keys and len(set(keys)) == len(keys):
        result = conn.execute(insert(docs).returning(docs.c.outbox_id, docs.c.id), values)
        ids = {outbox_id: doc_id for outbox_id, doc_id in result}
        return [ids[k] for k in keys]
    result = conn.execute(insert(docs).returning(docs.c.id, sort_by_parameter_order=True), values)
    return [r[0] for r in result]


def _ready_query(partner_id: str | None, limit: int, order_ids: Any, file_ids: Any) -> Any:
    now = utcnow()
    query = (select(docs).where(docs.c.direction == Direction.OUT.value,
                                docs.c.status == DocStatus.READY.value,
                                or_(docs.c.next_attempt_at.is_(None), docs.c.next_attempt_at <= now))
             .order_by(docs.c.id).limit(limit))
    if partner_id:
        query = query.where(docs.c.partner_id == partner_id)
    if order_ids is not None or file_ids is not None:
        query = query.where(or_(docs.c.order_id.in_(sorted(order_ids or ())),
                                docs.c.file_id.in_(sorted(file_ids or ()))))
    return query


@contextmanager
def claim_ready(engine: Engine, partner_id: str | None = None, limit: int = 50, *,
                order_ids: Any = None, file_ids: Any = None
                ) -> Iterator[tuple[Connection, list[RowMapping]]]:
    """Outbound documents due for upload. On PostgreSQL the rows stay locked (SKIP LOCKED) in the
    yielded transaction, which commits on exit; the caller marks each one sent on that connection.
    `order_ids` and `file_ids` (together) keep to the documents of those orders or answering
    those files."""
    query = _ready_query(partner_id, limit, order_ids, file_ids)
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    with engine.begin() as conn:
        rows = list(conn.execute(query).mappings())
        yield conn, rows


def ready(engine: Engine, partner_id: str | None = None, limit: int = 50, *,
          order_ids: Any = None, file_ids: Any = None) -> list[RowMapping]:
    """The documents `claim_ready` would hand over, read in a read transaction and not held: for
    SQLite, where one process sends at a time and marks them in a short write transaction of its
    own once the files are uploaded, so no other writer waits while files go to a mailbox."""
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        rows = list(conn.execute(_ready_query(partner_id, limit, order_ids, file_ids)).mappings())
        conn.rollback()
    return rows


def mark_sent(conn: Connection, doc_id: int, *, ack_hours: float | None) -> None:
    now = utcnow()
    values: dict[str, Any] = dict(status=DocStatus.SENT.value, sent_at=now, updated_at=now,
                                  last_error=None)
    if ack_hours:
        values["ack_due_at"] = now + timedelta(hours=ack_hours)
    conn.execute(update(docs).where(docs.c.id == doc_id).values(**values))


def mark_sent_many(conn: Connection, doc_ids: Sequence[int], *, ack_hours: float | None) -> None:
    """`mark_sent` for many documents with the same acknowledgement window: one statement."""
    if not doc_ids:
        return
    now = utcnow()
    values: dict[str, Any] = dict(status=DocStatus.SENT.value, sent_at=now, updated_at=now,
                                  last_error=None)
    if ack_hours:
        values["ack_due_at"] = now + timedelta(hours=ack_hours)
    for start in range(0, len(doc_ids), 500):
        conn.execute(update(docs).where(docs.c.id.in_(list(doc_ids[start:start + 500])))
                     .values(**values))


def mark_send_failed(conn: Connection, doc_id: int, attempts: int, error: str,
                     retry_at: datetime | None) -> None:
    status = DocStatus.READY.value if retry_at is not None else DocStatus.SEND_FAILED.value
    conn.execute(update(docs).where(docs.c.id == doc_id).values(
        status=status, attempts=attempts, last_error=error[:4000], next_attempt_at=retry_at,
        updated_at=utcnow()))


def requeue(conn: Connection, doc_id: int) -> None:
    """`documents resend`: the same bytes, the same control numbers, uploaded again."""
    conn.execute(update(docs).where(docs.c.id == doc_id).values(
        status=DocStatus.READY.value, next_attempt_at=utcnow(), last_error=None, updated_at=utcnow()))


def get(conn: Connection, doc_id: int) -> RowMapping | None:
    return conn.execute(select(docs).where(docs.c.id == doc_id)).mappings().first()


def by_outbox(conn: Connection, outbox_id: int) -> RowMapping | None:
    return conn.execute(select(docs).where(docs.c.outbox_id == outbox_id)).mappings().first()


def outbound_for_ack(conn: Connection, partner_id: str, gs06: str, st02: str | None,
                     functional_id: str | None) -> list[RowMapping]:
    """Our outbound documents a partner's 997/999 group (AK1 GS06) or set (AK2 ST02) refers to."""
    cond = [docs.c.direction == Direction.OUT.value, docs.c.partner_id == partner_id,
            docs.c.gs06 == gs06]
    if st02:
        cond.append(docs.c.st02 == st02)
    if functional_id:
        cond.append(docs.c.functional_id == functional_id)
    return list(conn.execute(select(docs).where(and_(*cond))).mappings())


def record_ack(conn: Connection, doc_id: int, status: AckStatus, ack_doc_id: int | None,
               detail: str | None) -> None:
    conn.execute(update(docs).where(docs.c.id == doc_id).values(
        ack_status=status.value, ack_document_id=ack_doc_id, ack_detail=detail, updated_at=utcnow()))


def overdue_acks(conn: Connection, now: datetime | None = None) -> list[RowMapping]:
    now = now or utcnow()
    return list(conn.execute(select(docs).where(
        docs.c.direction == Direction.OUT.value, docs.c.ack_status == AckStatus.PENDING.value,
        docs.c.ack_due_at.is_not(None), docs.c.ack_due_at < now)).mappings())
