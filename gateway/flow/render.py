"""Render the core's outbox: each pending row becomes one outbound document with the partner's
next control numbers, its bytes archived and its row written in the same transaction.

The unique `gateway_documents.outbox_id` is the guard: a row that already has its document is never
rendered again, so one business event never gets two sets of control numbers. On PostgreSQL the
outbox rows are claimed with FOR UPDATE SKIP LOCKED (several processes render side by side); on
SQLite the one process reads them and writes each document in a short transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, exists, select, update

from gateway.flow.context import Gateway
from gateway.flow.naming import outbound_name
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


def _pending_query(limit: int):
    outbox = _outbox()
    now = datetime.now(timezone.utc)
    has_doc = exists().where(gateway_documents.c.outbox_id == outbox.c.id)
    return (select(outbox).where(outbox.c.status == "pending", ~has_doc,
                                 (outbox.c.next_attempt_at.is_(None)) | (outbox.c.next_attempt_at <= now))
            .order_by(outbox.c.id).limit(limit))


def render_pending(gw: Gateway, limit: int = 200) -> RenderResult:
    result = RenderResult()
    while True:
        batch = _render_batch(gw, limit, result)
        if batch < limit:
            return result


def _render_batch(gw: Gateway, limit: int, result: RenderResult) -> int:
    query = _pending_query(limit)
    if gw.is_sqlite:
        with gw.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
            conn.rollback()
        built = [(row, _build(gw, row, result)) for row in rows]
        ready = [(row, b) for row, b in built if b is not None]
        if ready:   # one transaction and one archive flush for the whole batch
            with gw.engine.begin() as conn:
                _store_many(gw, conn, [(row, partner, doc) for row, (partner, doc) in ready], result)
                gw.archive.flush()
        return len(rows)
    # PostgreSQL: one row per transaction, claimed with SKIP LOCKED, so the partner's counter row
    # is locked only from allocation to commit and other processes render side by side.
    done = 0
    one = _pending_query(1).with_for_update(skip_locked=True, of=_outbox())
    while done < limit:
        with gw.engine.begin() as conn:
            row = conn.execute(one).mappings().first()
            if row is None:
                break
            built = _build(gw, row, result, conn)
            if built is not None:
                _store(gw, conn, row, *built, result)
        done += 1
    return done


def _build(gw: Gateway, row: Any, result: RenderResult, conn: Connection | None = None) -> tuple[Any, Any] | None:
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

        return partner, build(row, partner, gw.core)
    except Exception as exc:  # noqa: BLE001 - retried with backoff, then failed
        _fail(gw, conn, row, f"build: {type(exc).__name__}: {exc}", result)
        return None


def _store(gw: Gateway, conn: Connection, row: Any, partner: Any, doc: Any, result: RenderResult,
           *, durable: bool = True, check_taken: bool = True) -> None:
    doc_type = row["document_type"]
    if check_taken and documents.by_outbox(conn, row["id"]) is not None:
        return   # rendered meanwhile by another process
    numbers = counters.allocate(conn, partner.id, "out")
    try:
        data = _render_bytes(partner, doc, doc_type, numbers)
    except Exception as exc:  # noqa: BLE001
        _fail(gw, conn, row, f"render: {type(exc).__name__}: {exc}", result)
        return
    digest = gw.archive.put(data, durable=durable)
    doc_id = documents.add_outbound(conn, **_outbound_values(
        row, partner, doc, numbers, digest, _order_trace(conn, row["order_id"])))
    result.rendered.append(doc_id)


def _store_many(gw: Gateway, conn: Connection, ready: list[tuple[Any, Any, Any]],
                result: RenderResult) -> None:
    """`_store` for a whole batch in one transaction (SQLite, one process): the control numbers
    of each partner reserved in one statement, the order traces read in one query, the document
    rows inserted in one statement; the blobs are written non-durably and the caller flushes the
    archive before the commit. Numbers go to the rows in order, as one allocation each would."""
    per_partner: dict[str, int] = {}
    for _, partner, _ in ready:
        per_partner[partner.id] = per_partner.get(partner.id, 0) + 1
    blocks = {pid: iter(counters.allocate_many(conn, pid, "out", n)) for pid, n in per_partner.items()}
    traces = _order_traces(conn, [row["order_id"] for row, _, _ in ready])
    values = []
    for row, partner, doc in ready:
        numbers = next(blocks[partner.id])
        try:
            data = _render_bytes(partner, doc, row["document_type"], numbers)
        except Exception as exc:  # noqa: BLE001
            _fail(gw, conn, row, f"render: {type(exc).__name__}: {exc}", result)
            continue
        digest = gw.archive.put(data, durable=False)
        values.append(_outbound_values(row, partner, doc, numbers, digest,
                                       traces.get(row["order_id"])))
    result.rendered.extend(documents.add_outbound_many(conn, values))


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
    """`_order_trace` for many orders in one query (the first inbound document of each)."""
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


def _order_trace(conn: Connection, order_id: int | None) -> str | None:
    """The trace id of the document that brought the order in: an 855, 856 or 810 (and a
    drop-ship 850) carries the trace of the customer's 850, so one id follows the whole order."""
    if order_id is None:
        return None
    return conn.execute(select(gateway_documents.c.trace_id).where(
        gateway_documents.c.order_id == order_id, gateway_documents.c.direction == "in")
        .order_by(gateway_documents.c.id).limit(1)).scalar()


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
