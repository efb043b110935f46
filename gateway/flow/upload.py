"""Upload rendered documents: the archived bytes under their recorded name (temporary name, then
rename, by the transport), then mark them sent, the core's outbox row with them.

A crash between the upload and the commit uploads the same bytes under the same name again on the
next pass: the partner sees one file, one set of control numbers. Transport errors back off.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import update

from gateway.flow.context import Gateway
from gateway.flow.render import BACKOFF_SECONDS
from gateway.store import documents
from gateway.store.lock import taking_turns

log = logging.getLogger("ordergate.flow")

EDI_TYPES = frozenset({"850", "855", "856", "810", "860", "865"})


@dataclass
class UploadResult:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def upload_ready(gw: Gateway, partner_id: str | None = None, *, order_ids: Any = None,
                 file_ids: Any = None, limit: int = 200) -> UploadResult:
    """Upload every ready document (of `partner_id`; of `order_ids` or answering `file_ids`: a
    worker sending what its own files produced, see flow/workers.py)."""
    result = UploadResult()
    partners = [partner_id] if partner_id else sorted(gw.partners)
    for pid in partners:
        partner = gw.partners.get(pid)
        if partner is None:
            continue
        while True:
            sent: list[Any] = []
            if gw.is_sqlite:
                # read, upload, then mark sent in a short write transaction; processes sending
                # from one database take turns (a `documents retry` beside a running gateway)
                with taking_turns(gw.sqlite_lock_path("sender")):
                    rows = documents.ready(gw.engine, pid, limit, order_ids=order_ids,
                                           file_ids=file_ids)
                    if rows:
                        sent = _upload_rows(gw, partner, None, rows, result)
                if not rows:
                    break
            else:
                with documents.claim_ready(gw.engine, pid, limit, order_ids=order_ids,
                                           file_ids=file_ids) as (conn, rows):
                    if not rows:
                        break
                    sent = _upload_rows(gw, partner, conn, rows, result)
            _log_sent(partner, sent)     # once recorded, and outside the write transaction
            if len(rows) < limit:
                break
    return result


def _upload_rows(gw: Gateway, partner: Any, conn: Any, rows: list[Any],
                 result: UploadResult) -> list[Any]:
    """Upload a claimed batch, then record what happened: on `conn` (PostgreSQL: the claim's
    transaction), or in a short transaction of its own (SQLite: `conn` is None). Returns the
    rows sent."""
    sent: list[Any] = []
    failed: list[tuple[Any, Exception]] = []
    try:
        mailbox = gw.open_transport(partner)
    except Exception as exc:  # noqa: BLE001
        failed = [(row, exc) for row in rows]
    else:
        with mailbox:
            uploaded = _upload_together(gw, mailbox, rows)
            for row in rows:
                if row["id"] not in uploaded:
                    try:
                        mailbox.upload(row["filename"], gw.archive.get(row["sha256"]))
                    except Exception as exc:  # noqa: BLE001 - retried with backoff
                        failed.append((row, exc))
                        continue
                sent.append(row)
    if conn is None:
        with gw.engine.begin() as own:
            _record(own, partner, sent, failed, result)
    else:
        _record(conn, partner, sent, failed, result)
    return sent


def _record(conn: Any, partner: Any, sent: list[Any], failed: list[tuple[Any, Exception]],
            result: UploadResult) -> None:
    """Mark the uploaded documents sent (a few statements for the whole batch; their outbox rows
    with them) and back off the failed ones."""
    from core.adapters.tables import outbox

    for row, exc in failed:
        _retry(conn, row, exc, result)
    hours = getattr(partner.acks, "expect_997_within_hours", None)
    edi = [r["id"] for r in sent if r["doc_type"] in EDI_TYPES]
    documents.mark_sent_many(conn, edi, ack_hours=hours)
    documents.mark_sent_many(conn, [r["id"] for r in sent if r["doc_type"] not in EDI_TYPES],
                             ack_hours=None)
    outbox_ids = [r["outbox_id"] for r in sent if r["outbox_id"] is not None]
    for start in range(0, len(outbox_ids), 500):
        conn.execute(update(outbox).where(outbox.c.id.in_(outbox_ids[start:start + 500]))
                     .values(status="sent", last_error=None))
    result.sent.extend(row["id"] for row in sent)


def _log_sent(partner: Any, sent: list[Any]) -> None:
    """One line per document sent (after its record: a line never names a send that is not
    recorded, and the write transaction does not wait for the log)."""
    for row in sent:
        log.info("doc %s out to %s isa13=%s file=%s sent trace=%s", row["doc_type"], partner.id,
                 row["isa13"], row["filename"], row["trace_id"])


def _upload_together(gw: Gateway, mailbox: Any, rows: list[Any]) -> set[int]:
    """Upload a claimed batch in one `upload_many` (the local folder pays its fsyncs once per
    batch, not per file); the ids uploaded. Should the batch fail, nothing is counted and the
    caller uploads each on its own, so the failure is recorded against the file that caused it
    (the same bytes under the same name again is harmless: the partner sees one file)."""
    if len(rows) < 2:
        return set()
    try:
        mailbox.upload_many([(row["filename"], gw.archive.get(row["sha256"])) for row in rows])
    except Exception:  # noqa: BLE001 - retried one by one
        return set()
    return {row["id"] for row in rows}


MAX_UPLOAD_ATTEMPTS = 8


def _retry(conn: Any, row: Any, exc: Exception, result: UploadResult) -> None:
    """Back off and try again later; a non-retryable error (host key, login) or too many
    attempts leaves the document `send_failed` for `documents resend`."""
    attempts = (row["attempts"] or 0) + 1
    error = f"{type(exc).__name__}: {exc}"
    delay = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
    retry_at = None
    if getattr(exc, "retryable", True) and attempts < MAX_UPLOAD_ATTEMPTS:
        retry_at = datetime.now(timezone.utc) + timedelta(seconds=delay)
    documents.mark_send_failed(conn, row["id"], attempts, error, retry_at)
    result.failed.append((row["id"], error))
    log.warning("doc %s out to %s isa13=%s: upload failed (%s), attempt %d", row["doc_type"],
                row["partner_id"], row["isa13"], error, attempts)
