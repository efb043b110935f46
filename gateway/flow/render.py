"""Render the core's outbox: each pending row becomes one outbound document with the partner's
next control numbers, its bytes archived (and flushed) before its row commits.

The unique `gateway_documents.outbox_id` is the guard: a row that already has its document is never
rendered again, so one business event never gets two sets of control numbers. Rows go in batches.
On PostgreSQL a batch is claimed with FOR UPDATE SKIP LOCKED (several processes render side by
side) and its numbers reserved in a short transaction of their own; on SQLite the one sending
process reads the batch, reserves its numbers, renders, and writes its documents in one short
transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, exists, select, update

from core.services.gc_pause import paused_cyclic_gc
from gateway.flow.context import Gateway
from gateway.flow.naming import outbound_name
from gateway.outbound.reads import BatchReader
from gateway.store import counters, documents
from gateway.store.clock import new_trace_id
from gateway.store.tables import gateway_documents

log = logging.getLogger("ordergate.flow")

FUNCTIONAL_IDS = {"850": "PO", "855": "PR", "856": "SH", "810": "IN", "860": "PC", "865": "CA"}
BACKOFF_SECONDS = (30, 120, 600, 1800, 3600)


@dataclass
class RenderResult:
    rendered: list[int] = field(default_factory=list)   # gateway document ids
    skipped: list[int] = field(default_factory=list)    # outbox ids the partner does not take
    failed: list[tuple[int, str]] = field(default_factory=list)


def _outbox():
    from core.adapters.tables import outbox
    return outbox


def _pending_query(limit: int, order_ids: Any = None):
    outbox = _outbox()
    now = datetime.now(timezone.utc)
    has_doc = exists().where(gateway_documents.c.outbox_id == outbox.c.id)
    query = (select(outbox).where(outbox.c.status == "pending", ~has_doc,
                                  (outbox.c.next_attempt_at.is_(None)) | (outbox.c.next_attempt_at <= now))
             .order_by(outbox.c.id).limit(limit))
    if order_ids is not None:
        query = query.where(outbox.c.order_id.in_(sorted(order_ids)))
    return query


def render_pending(gw: Gateway, limit: int = 200, *, order_ids: Any = None) -> RenderResult:
    """Render every pending outbox row (or only those of `order_ids`: a worker rendering what
    its own files placed, see flow/workers.py). The cyclic collector is paused for each batch:
    its rows, canonical documents and segments all live until the batch is written, and the
    collector's passes over them were ~50 of the ~360 us an 855 took (core.services.gc_pause)."""
    result = RenderResult()
    while True:
        with paused_cyclic_gc():
            batch = _render_batch(gw, limit, result, order_ids)
        if batch < limit:
            return result


def _render_batch(gw: Gateway, limit: int, result: RenderResult, order_ids: Any = None) -> int:
    """Render up to `limit` pending outbox rows; how many rows were looked at. The rows a batch
    needs (acks, order lines, ...) are read in a few IN queries (`BatchReader`), the control
    numbers reserved per partner in one statement, the documents inserted in one statement and
    the archive flushed once."""
    query = _pending_query(limit, order_ids)
    if gw.is_sqlite:
        # read and build in a read transaction; reserve the control numbers in a short write
        # transaction (a crash before the documents commit leaves a gap, never a number used
        # twice); render and flush the archive outside any transaction; then insert the batch in
        # a short one. Other writers (the core placing orders in another worker) wait only for
        # the two short ones. Workers render the rows of their own orders (flow/workers.py); a
        # row another worker rendered meanwhile (one PO in two files) is dropped at the insert.
        with gw.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            rows = list(conn.execute(query).mappings())
            reader = BatchReader(conn).load(rows)
            built = [(row, _build(gw, row, result, reader=reader)) for row in rows]
            ready = [(row, *b) for row, b in built if b is not None]
            traces = _order_traces(conn, [row["order_id"] for row, _, _ in ready])
            conn.rollback()
        if ready:
            values = _render_many(gw, None, ready, result, _reserve(gw, ready), traces)
            gw.archive.flush()
            with gw.engine.begin() as conn:
                taken = _already_rendered(conn, [v["outbox_id"] for v in values])
                result.rendered.extend(documents.add_outbound_many(
                    conn, [v for v in values if v["outbox_id"] not in taken]))
        return len(rows)
    # PostgreSQL: the batch is claimed with SKIP LOCKED (other processes take other rows) and
    # written in the claim's transaction; the control numbers are reserved in a short transaction
    # of their own, so the partner's counter row is never locked while documents render.
    with gw.engine.begin() as conn:
        rows = list(conn.execute(query.with_for_update(skip_locked=True, of=_outbox())).mappings())
        taken = _already_rendered(conn, [row["id"] for row in rows])
        fresh = [row for row in rows if row["id"] not in taken]
        reader = BatchReader(conn).load(fresh)
        built = [(row, _build(gw, row, result, conn, reader=reader)) for row in fresh]
        ready = [(row, *b) for row, b in built if b is not None]
        if ready:
            numbers = _reserve(gw, ready)
            _store_many(gw, conn, ready, result, numbers=numbers)
            gw.archive.flush()
    return len(rows)


def _already_rendered(conn: Connection, outbox_ids: list[int]) -> set[int]:
    """Outbox rows whose document another process committed after our claim's snapshot (READ
    COMMITTED: the lock we got does not re-run the NOT EXISTS); the unique outbox_id would
    refuse a second one, so they are dropped from the batch instead."""
    if not outbox_ids:
        return set()
    return set(conn.execute(select(gateway_documents.c.outbox_id).where(
        gateway_documents.c.outbox_id.in_(outbox_ids))).scalars())


def _reserve(gw: Gateway, ready: list[tuple[Any, Any, Any]]) -> dict[str, Any]:
    """Control numbers for a batch, per partner, committed at once. A crash before
    the documents commit leaves a gap in the partner's sequence, never a number used twice."""
    per_partner: dict[str, int] = {}
    for _, partner, _ in ready:
        per_partner[partner.id] = per_partner.get(partner.id, 0) + 1
    with gw.engine.begin() as own:
        return {pid: iter(counters.allocate_many(own, pid, "out", n))
                for pid, n in sorted(per_partner.items())}


def _build(gw: Gateway, row: Any, result: RenderResult, conn: Connection | None = None, *,
           reader: Any = None) -> tuple[Any, Any] | None:
    """(partner, canonical document), or None when the row was skipped or failed."""
    doc_type = row["document_type"]
    partner = gw.partners.get(row["partner_id"])
    if partner is None or partner.document(doc_type, "out") is None:
        why = (f"partner {row['partner_id']} has no profile" if partner is None
               else f"partner {partner.id} does not take {doc_type}")
        _set_outbox(gw, conn, row["id"], status="skipped", last_error=why)
        result.skipped.append(row["id"])
        return None
    try:
        from gateway.outbound import build

        return partner, build(row, partner, gw.core, reader=reader)
    except Exception as exc:  # noqa: BLE001 - retried with backoff, then failed
        _fail(gw, conn, row, f"build: {type(exc).__name__}: {exc}", result)
        return None


def _store_many(gw: Gateway, conn: Connection, ready: list[tuple[Any, Any, Any]],
                result: RenderResult, *, numbers: dict[str, Any] | None = None,
                durable: bool = False) -> None:
    """Render and record a batch in the caller's transaction: the control numbers of each
    partner reserved in one statement (unless `numbers` were reserved already), the order
    traces read in one query, the document rows inserted in one statement. Blobs are written
    non-durably unless `durable`; the caller then flushes the archive before the commit.
    Numbers go to the rows in order, as one allocation each would."""
    if numbers is None:
        per_partner: dict[str, int] = {}
        for _, partner, _ in ready:
            per_partner[partner.id] = per_partner.get(partner.id, 0) + 1
        numbers = {pid: iter(counters.allocate_many(conn, pid, "out", n))
                   for pid, n in per_partner.items()}
    traces = _order_traces(conn, [row["order_id"] for row, _, _ in ready])
    values = _render_many(gw, conn, ready, result, numbers, traces, durable=durable)
    result.rendered.extend(documents.add_outbound_many(conn, values))


def _render_many(gw: Gateway, conn: Connection | None, ready: list[tuple[Any, Any, Any]],
                 result: RenderResult, numbers: dict[str, Any], traces: dict[int, str], *,
                 durable: bool = False) -> list[dict[str, Any]]:
    """The bytes of each document with its numbers, archived; the rows to insert. A document
    that fails to render is recorded as failed (on `conn`, or in a transaction of its own)."""
    values = []
    for row, partner, doc in ready:
        allocated = next(numbers[partner.id])
        try:
            data = _render_bytes(partner, doc, row["document_type"], allocated)
        except Exception as exc:  # noqa: BLE001
            _fail(gw, conn, row, f"render: {type(exc).__name__}: {exc}", result)
            continue
        digest = gw.archive.put(data, durable=durable)
        values.append(_outbound_values(row, partner, doc, allocated, digest,
                                       traces.get(row["order_id"])))
    return values


def _render_bytes(partner: Any, doc: Any, doc_type: str, numbers: Any) -> bytes:
    from gateway.mapping import ControlNumbers, render_outbound
    from gateway.partners.profile import DocFormat

    now = datetime.now(timezone.utc)
    spec = partner.document(doc_type, "out")
    if spec is not None and spec.format in (DocFormat.CXML, DocFormat.XML):
        # XML partners get the same control numbers, carried in the payload id
        from gateway.xml import render_document

        return render_document(partner, doc, now=now,
                               payload_id=f"{numbers.isa:09d}.{numbers.st:04d}@{partner.x12.us.isa_id.strip()}")
    return render_outbound(partner, doc, control=ControlNumbers(numbers.isa, numbers.gs, numbers.st),
                           now=now)


def _outbound_values(row: Any, partner: Any, doc: Any, numbers: Any, digest: str,
                     trace: str | None) -> dict[str, Any]:
    doc_type = row["document_type"]
    return dict(doc_type=doc_type, partner_id=partner.id, isa13=f"{numbers.isa:09d}",
                gs06=str(numbers.gs), st02=f"{numbers.st:04d}",
                functional_id=FUNCTIONAL_IDS.get(doc_type), sha256=digest,
                filename=outbound_name(partner, doc_type, numbers.isa), order_id=row["order_id"],
                outbox_id=row["id"], reference=_reference(doc), trace_id=trace or new_trace_id(),
                expect_ack_hours=getattr(partner.acks, "expect_997_within_hours", None))


def _order_traces(conn: Connection, order_ids: list[int | None]) -> dict[int, str]:
    """The trace id of the document that brought each order in (its first inbound document), in
    one query: an 855, 856 or 810 (and a drop-ship 850) carries the trace of the customer's 850,
    so one id follows the whole order."""
    wanted = sorted({o for o in order_ids if o is not None})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(gateway_documents.c.order_id, gateway_documents.c.trace_id).where(
            gateway_documents.c.order_id.in_(wanted[start:start + 500]),
            gateway_documents.c.direction == "in").order_by(gateway_documents.c.id))
        for order_id, trace in rows:
            if order_id not in found and trace:
                found[order_id] = trace
    return found


def _reference(doc: Any) -> str | None:
    for name in ("invoice_number", "shipment_id", "shipment_number", "po_number"):
        value = getattr(doc, name, None)
        if value:
            return str(value)[:80]
    return None


def _set_outbox(gw: Gateway, conn: Connection | None, outbox_id: int, **values: Any) -> None:
    outbox = _outbox()
    stmt = update(outbox).where(outbox.c.id == outbox_id).values(**values)
    if conn is not None:
        conn.execute(stmt)
    else:
        with gw.engine.begin() as own:
            own.execute(stmt)


def _fail(gw: Gateway, conn: Connection | None, row: Any, error: str, result: RenderResult) -> None:
    attempts = (row["attempts"] or 0) + 1
    if attempts >= gw.max_attempts:
        _set_outbox(gw, conn, row["id"], status="failed", attempts=attempts, last_error=error[:4000])
    else:
        delay = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
        _set_outbox(gw, conn, row["id"], attempts=attempts, last_error=error[:4000],
                    next_attempt_at=datetime.now(timezone.utc) + timedelta(seconds=delay))
    result.failed.append((row["id"], error))
    log.warning("outbox %s (%s to %s): %s (attempt %d)", row["id"], row["document_type"],
                row["partner_id"], error, attempts)
