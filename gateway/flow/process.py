"""Process one stored file: sniff, check, refuse or deduplicate, apply, acknowledge, record.

Re-runnable from the stored bytes at any point: the core is idempotent per (partner, PO number),
and everything the gateway writes for a file (interchange rows, set rows, acks with their control
numbers, the final state) commits in one transaction at the end. A crash before that commit
re-does the file; after it, the file is final and is never looked at again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import IntegrityError

from gateway.flow.context import Gateway
from gateway.flow.errors import FlowError
from gateway.flow.identity import check_sender
from gateway.flow.inbound_sets import FUNCTIONAL_ACK_SETS, SetWork, order_id_of, reference_of
from gateway.flow.sniff import Format, sniff
from gateway.store import counters, documents, files
from gateway.store.states import DocStatus, FileState
from gateway.store.tables import gateway_documents, gateway_interchanges

log = logging.getLogger("ordergate.flow")


@dataclass
class FileOutcome:
    file_id: int
    state: FileState
    reason: str | None = None
    documents: int = 0
    orders: int = 0
    acks: int = 0
    order_ids: tuple[int, ...] = ()   # the orders the file's documents placed or touched


def process_pending(gw: Gateway, limit: int | None = None,
                    tried: set[int] | None = None) -> list[FileOutcome]:
    """Process files in state received/checked until none is left (or `limit`). Each file is
    tried once per call, or once across calls that share `tried` (the ids taken, updated)."""
    outcomes: list[FileOutcome] = []
    tried = set() if tried is None else tried
    while limit is None or len(outcomes) < limit:
        with files.claim_next(gw.engine, tried) as (conn, row):
            if row is None:
                break
            tried.add(row["id"])
            outcomes.append(process_file(gw, row, conn))
    return outcomes


def process_file(gw: Gateway, row: Any, conn: Connection | None = None) -> FileOutcome:
    """Never raises for bad input: the file ends applied, duplicate, refused or quarantined."""
    return prepare_file(gw, row, conn)()


def prepare_file(gw: Gateway, row: Any, conn: Connection | None = None
                 ) -> Callable[[], FileOutcome]:
    """The part of processing a file that writes nothing (read the stored bytes, check them, map
    each set, look for an earlier copy, build the commands and, where the gateway prepares
    orders, the orders), and, returned, the step that does the rest: apply and record, in the
    write turn. A worker prepares its next file while another process holds the turn, instead
    of waiting for it (flow/workers.py). The returned step never raises for bad input either."""
    try:
        partner = gw.partner(row["partner_id"])
        data = gw.archive.get(row["sha256"])
        fmt = sniff(data)
        if fmt is Format.X12:
            finish = _prepare_x12(gw, row, partner, data, conn)

            def x12() -> FileOutcome:
                try:
                    return finish()
                except IntegrityError:
                    # another process recorded the same interchange (a redelivery under another
                    # name) between our duplicate check and our insert: once more, and it is seen
                    return _prepare_x12(gw, row, partner, data, conn)()
            return _or_quarantine(gw, conn, row, x12)
        if fmt is Format.XML:
            return _or_quarantine(gw, conn, row,
                                  lambda: _process_xml(gw, row, partner, data, conn))
        raise FlowError("unknown_format", f"file {row['remote_name']} is neither X12 (ISA) nor "
                        "XML", stage="sniff")
    except Exception as exc:  # noqa: BLE001 - every failure becomes a quarantine record
        failure = exc
        return lambda: _quarantined(gw, conn, row, failure)


def _or_quarantine(gw: Gateway, conn: Connection | None, row: Any,
                   step: Callable[[], FileOutcome]) -> Callable[[], FileOutcome]:
    """`step`, with any failure turned into the file's quarantine record."""
    def run() -> FileOutcome:
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - every failure becomes a quarantine record
            return _quarantined(gw, conn, row, exc)
    return run


def _quarantined(gw: Gateway, conn: Connection | None, row: Any, exc: Exception) -> FileOutcome:
    error = exc if isinstance(exc, FlowError) else FlowError(
        "internal_error", f"{type(exc).__name__}: {exc}", stage="process")
    _finish(gw, conn, lambda c: _quarantine(c, row, error))
    log.warning("file %s from %s %s: quarantined (%s) trace=%s", row["id"], row["partner_id"],
                row["remote_name"], error.message, row["trace_id"])
    return FileOutcome(row["id"], FileState.QUARANTINED, error.message)


def _finish(gw: Gateway, conn: Connection | None, work: Any) -> Any:
    """Write the file's final records: in a savepoint of the claim transaction (PostgreSQL), so
    a failure leaves that transaction usable for the quarantine record; else in a transaction."""
    if conn is not None:
        with conn.begin_nested():
            return work(conn)
    with gw.engine.begin() as own:
        return work(own)


def _quarantine(conn: Connection, row: Any, error: FlowError) -> None:
    files.add_error(conn, stage=error.stage, code=error.code, message=error.message,
                    file_id=row["id"], partner_id=row["partner_id"], segment_id=error.segment_id,
                    segment_position=error.segment_position,
                    element_position=error.element_position, byte_offset=error.byte_offset)
    files.set_state(conn, row["id"], FileState.QUARANTINED, error.message[:2000],
                    attempts=(row["attempts"] or 0) + 1)


# ---------------------------------------------------------------------------------------- X12
def _prepare_x12(gw: Gateway, row: Any, partner: Any, data: bytes,
                 conn: Connection | None) -> Callable[[], FileOutcome]:
    from gateway.x12 import check

    sets: list[SetWork] = []
    identity_ok: dict[str, bool] = {}

    def on_transaction(tx: Any, tx_report: Any) -> None:
        work = SetWork(tx.set_id, tx.control_number, tx.group.control_number if tx.group else "",
                       tx.interchange.control_number if tx.interchange else "",
                       tx.group.functional_id if tx.group else "", tx_report)
        sets.append(work)
        if not tx_report.status.usable or not _sender_ok(partner, tx, identity_ok):
            return
        try:
            if tx.set_id in FUNCTIONAL_ACK_SETS:
                from gateway.flow.functional_ack import read_functional_ack
                work.answers = read_functional_ack(tx)
            else:
                from gateway.mapping import parse_inbound
                work.document = parse_inbound(partner, tx)
        except Exception as exc:  # noqa: BLE001 - recorded against the set
            work.error, work.stage = exc, "map"

    report = check(data, on_transaction=on_transaction)
    if not report.interchanges:
        first = report.errors[0] if report.errors else None
        raise FlowError("unreadable_interchange",
                        (first.message if first else "no interchange found") +
                        " (no valid TA1 is possible; alert the partner)", stage="check",
                        segment_id=getattr(first, "segment_id", None),
                        byte_offset=getattr(first, "byte_offset", None))

    mismatches = check_sender(partner, report)
    if mismatches:
        return lambda: _finish(gw, conn, lambda c: _refuse(gw, c, row, partner, report, mismatches))

    with gw.engine.connect().execution_options(sqlite_begin="DEFERRED") as read:
        known = {ic.control_number: documents.find_interchange(read, partner.id, "in", ic.control_number)
                 for ic in report.interchanges}
        read.rollback()
    duplicate = {isa13 for isa13, found in known.items()
                 if found is not None and found["file_id"] != row["id"]}
    already = {isa13 for isa13, found in known.items()
               if found is not None and found["file_id"] == row["id"]}
    if duplicate and len(duplicate) == len(report.interchanges):
        reason = "interchange " + ", ".join(sorted(duplicate)) + " already received from " + partner.id
        return lambda: _finish(gw, conn, lambda c: _duplicate(c, row, partner, sets, reason))

    to_apply: list[SetWork] = []
    for work in sets:
        if work.isa13 in duplicate:
            work.status = DocStatus.DUPLICATE.value
        elif not report.accepted(work.report):
            work.status = DocStatus.REJECTED.value
        elif work.error is not None:
            work.status = DocStatus.FAILED.value
        elif work.document is not None:
            to_apply.append(work)
        else:
            work.status = DocStatus.ACCEPTED.value   # 997/999: applied in the final transaction
    apply = _prepare_all(gw, partner, to_apply)

    def apply_and_record() -> FileOutcome:
        with gw.write_turn():
            apply()
            outcome = _finish(gw, conn, lambda c: _record_x12(gw, c, row, partner, report, sets,
                                                              duplicate | already))
        _log_sets(partner, sets, row["trace_id"])   # once recorded, outside the write turn
        return outcome
    return apply_and_record


def _log_sets(partner: Any, sets: list[SetWork], trace_id: str) -> None:
    """One line per received document, with its outcome and trace id."""
    for work in sets:
        log.info("doc %s in from %s st02=%s isa13=%s %s%s trace=%s", work.set_id, partner.id,
                 work.st02, work.isa13, work.status,
                 f" order={work.order_id}" if work.order_id else "", trace_id)


def _sender_ok(partner: Any, tx: Any, cache: dict[str, bool]) -> bool:
    ic = tx.interchange
    key = f"{ic.control_number if ic else ''}/{tx.group.control_number if tx.group else ''}"
    if key not in cache:
        ident = partner.x12.partner
        gs = (ident.gs_id or ident.isa_id).strip().upper()
        cache[key] = bool(ic and ic.sender_id.strip().upper() == ident.isa_id.strip().upper()
                          and tx.group and tx.group.sender_code.strip().upper() == gs)
    return cache[key]


def _apply(gw: Gateway, partner: Any, work: SetWork) -> None:
    from gateway.inbound import apply

    work.reference = reference_of(work.document)
    try:
        result = apply(work.document, partner, gw.core)
    except Exception as exc:  # noqa: BLE001 - the core refused it: recorded, file quarantined
        _failed(work, exc)
        return
    _applied(work, result)


def _prepare_all(gw: Gateway, partner: Any, works: list[SetWork]) -> Callable[[], None]:
    """Apply a file's documents through one `core.handle_batch` (consecutive orders share a
    transaction: the throughput path), in two steps: the commands (and, where the gateway
    prepares orders, the orders built ahead) now; the step returned runs them. Should the batch
    itself fail unexpectedly (not a refusal of one order, which comes back in its place), each
    document is applied on its own so the failure is pinned to the set that caused it."""
    from gateway.inbound import prepare_many

    def each() -> None:
        for work in works:
            _apply(gw, partner, work)

    if len(works) <= 1:
        return each
    for work in works:
        work.reference = reference_of(work.document)
    try:
        run = prepare_many([w.document for w in works], partner, gw.core,
                           prepare=gw.prepare_orders)
    except Exception:  # noqa: BLE001 - one transaction per document instead
        return each

    def apply() -> None:
        try:
            results = run()
        except Exception:  # noqa: BLE001 - fall back to one transaction per document
            each()
            return
        for work, result in zip(works, results):
            if isinstance(result, Exception):
                _failed(work, result)
            else:
                _applied(work, result)
    return apply


def _failed(work: SetWork, exc: Exception) -> None:
    work.error, work.stage, work.status = exc, "apply", DocStatus.FAILED.value


def _applied(work: SetWork, result: Any) -> None:
    work.order_id = order_id_of(result)
    work.status = (DocStatus.ACCEPTED_WITH_ERRORS.value if work.report is not None and work.report.errors
                   else DocStatus.ACCEPTED.value)


def _record_x12(gw: Gateway, conn: Connection, row: Any, partner: Any, report: Any,
                sets: list[SetWork], skip_ack: set[str]) -> FileOutcome:
    from gateway.flow.acks import queue_acks, record_functional_acks

    file_id = row["id"]
    conn.execute(delete(gateway_documents).where(gateway_documents.c.file_id == file_id,
                                                 gateway_documents.c.direction == "in"))
    ic_ids: dict[str, int] = {}
    for ic in report.interchanges:
        h = ic.header
        existing = conn.execute(select(gateway_interchanges.c.id).where(
            gateway_interchanges.c.partner_id == partner.id, gateway_interchanges.c.direction == "in",
            gateway_interchanges.c.isa13 == h.control_number)).scalar()
        if existing is None:
            existing = documents.add_interchange(
                conn, partner_id=partner.id, direction="in", isa13=h.control_number, file_id=file_id,
                sender=f"{h.sender_qualifier}/{h.sender_id}",
                receiver=f"{h.receiver_qualifier}/{h.receiver_id}", version=h.version,
                status=ic.status.value)
        ic_ids[h.control_number] = existing
    failures = []
    rows = []
    for work in sets:
        rows.append(dict(doc_type=work.set_id, partner_id=partner.id, file_id=file_id,
                         interchange_id=ic_ids.get(work.isa13), isa13=work.isa13, gs06=work.gs06,
                         st02=work.st02, functional_id=work.functional_id, order_id=work.order_id,
                         reference=work.reference, status=work.status, trace_id=row["trace_id"]))
        for finding in work.report.errors:
            files.add_error(conn, stage="check", code=finding.code, message=finding.message,
                            file_id=file_id, partner_id=partner.id, segment_id=finding.segment_id,
                            segment_position=finding.segment_position,
                            element_position=finding.element_position,
                            byte_offset=finding.byte_offset)
        if work.error is not None:
            failures.append(work)
            files.add_error(conn, stage=work.stage, code=type(work.error).__name__,
                            message=f"set {work.set_id} {work.st02}: {work.error}", file_id=file_id,
                            partner_id=partner.id,
                            segment_id=getattr(work.error, "segment_id", None),
                            segment_position=getattr(work.error, "segment_position", None),
                            element_position=getattr(work.error, "element_position", None))
    documents.add_inbound(conn, rows)
    for ic in report.interchanges:
        for error in ic.errors:
            files.add_error(conn, stage="check", code=error.code, message=error.message,
                            file_id=file_id, partner_id=partner.id, segment_id=error.segment_id,
                            element_position=error.element_position, byte_offset=error.byte_offset)
    acks = 0
    if not skip_ack or len(skip_ack) < len(report.interchanges):
        acks = queue_acks(gw, conn, partner, report, skip_ack, file_id, row["trace_id"])
    record_functional_acks(conn, partner, [w for w in sets if w.answers and w.status == "accepted"])
    order_ids = tuple(w.order_id for w in sets if w.order_id is not None)
    orders = len(order_ids)
    if failures:
        reason = f"{len(failures)} of {len(sets)} sets failed; first: set {failures[0].st02}: {failures[0].error}"
        files.set_state(conn, file_id, FileState.QUARANTINED, reason[:2000], format="x12",
                        attempts=(row["attempts"] or 0) + 1)
        return FileOutcome(file_id, FileState.QUARANTINED, reason, len(sets), orders, acks,
                           order_ids)
    rejected = all(w.status == DocStatus.REJECTED.value for w in sets) and report.anything_rejected
    state = FileState.APPLIED
    reason = "every set rejected by the check; acknowledged as rejected" if rejected and sets else None
    if not sets:
        reason = "no transaction sets; acknowledged"
    files.set_state(conn, file_id, state, reason, format="x12")
    return FileOutcome(file_id, state, reason, len(sets), orders, acks, order_ids)


def _refuse(gw: Gateway, conn: Connection, row: Any, partner: Any, report: Any,
            mismatches: list[Any]) -> FileOutcome:
    from gateway.flow.refusal import TA1_INVALID_SENDER, refusal_ta1

    now = datetime.now(timezone.utc)
    acks = 0
    for ic in report.interchanges:
        isa13, data = refusal_ta1(partner, ic.header, TA1_INVALID_SENDER,
                                  lambda kind: counters.next_value(conn, partner.id, "out", kind), now)
        digest = gw.archive.put(data)
        documents.add_outbound(conn, doc_type="TA1", partner_id=partner.id, isa13=f"{isa13:09d}",
                               gs06=None, st02=None, functional_id=None, sha256=digest,
                               filename=_filename(partner, "TA1", isa13), file_id=row["id"],
                               trace_id=row["trace_id"], reference=f"reply to {ic.control_number}")
        acks += 1
    for m in mismatches:
        files.add_error(conn, stage="identity", code="wrong_sender", message=m.message,
                        file_id=row["id"], partner_id=partner.id, segment_id=m.segment_id,
                        element_position=m.element_position)
    reason = mismatches[0].message
    files.set_state(conn, row["id"], FileState.REFUSED, reason, format="x12")
    log.warning("ALERT file %s in %s's mailbox refused: %s trace=%s", row["id"], partner.id,
                reason, row["trace_id"])
    return FileOutcome(row["id"], FileState.REFUSED, reason, 0, 0, acks)


def _duplicate(conn: Connection, row: Any, partner: Any, sets: list[SetWork], reason: str) -> FileOutcome:
    files.set_state(conn, row["id"], FileState.DUPLICATE, reason, format="x12")
    log.info("file %s from %s: duplicate (%s) trace=%s", row["id"], partner.id, reason, row["trace_id"])
    return FileOutcome(row["id"], FileState.DUPLICATE, reason, len(sets))


def _filename(partner: Any, doc_type: str, control: int | str) -> str:
    from gateway.flow.naming import outbound_name

    return outbound_name(partner, doc_type, control)


# ---------------------------------------------------------------------------------------- XML
def _process_xml(gw: Gateway, row: Any, partner: Any, data: bytes,
                 conn: Connection | None) -> FileOutcome:
    from gateway.mapping import parse_xml

    try:
        document = parse_xml(partner, data)
    except Exception as exc:  # noqa: BLE001
        raise FlowError("xml_unreadable", f"{row['remote_name']}: {exc}", stage="map") from None
    work = SetWork(getattr(document, "document_type", "xml"), "", "", "", "", None, document)
    _apply(gw, partner, work)
    if work.error is not None:
        raise FlowError(type(work.error).__name__, f"{row['remote_name']}: {work.error}", stage="apply")

    def record(c: Connection) -> FileOutcome:
        c.execute(delete(gateway_documents).where(gateway_documents.c.file_id == row["id"]))
        documents.add_inbound(c, [dict(doc_type="cxml", partner_id=partner.id, file_id=row["id"],
                                       order_id=work.order_id, reference=work.reference,
                                       status=DocStatus.ACCEPTED.value, trace_id=row["trace_id"])])
        files.set_state(c, row["id"], FileState.APPLIED, None, format="xml")
        log.info("doc cxml in from %s %s order=%s trace=%s", partner.id, work.reference,
                 work.order_id, row["trace_id"])
        ids = (work.order_id,) if work.order_id is not None else ()
        return FileOutcome(row["id"], FileState.APPLIED, None, 1, len(ids), order_ids=ids)

    return _finish(gw, conn, record)
