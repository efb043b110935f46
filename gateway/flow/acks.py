"""Acknowledgements both ways: queue our 997/999/TA1 for a checked file (numbers allocated in the
file's final transaction), and apply a partner's 997/999 to the documents we sent them."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, select

from gateway.flow.naming import outbound_name
from gateway.store import counters, documents
from gateway.store.states import AckStatus
from gateway.store.tables import gateway_documents as docs

log = logging.getLogger("ordergate.flow")


def queue_acks(gw: Any, conn: Connection, partner: Any, report: Any, skip: set[str], file_id: int,
               trace_id: str) -> int:
    """One ack interchange per received interchange that is due one (per the profile: always, or
    only on error); never for a 997/999 group. Returns how many were queued."""
    from gateway.x12.acks import build_interchange_ack

    now = datetime.now(timezone.utc)
    only_on_error = getattr(partner.acks, "send_997", "always") == "on_error"
    queued = 0
    for ic in report.interchanges:
        if ic.control_number in skip:
            continue
        numbers: dict[str, int] = {}

        def allocate(kind: str) -> int:
            value = counters.next_value(conn, partner.id, "out", kind)
            numbers.setdefault(kind, value)
            return value

        ack = build_interchange_ack(ic, control_numbers=allocate, now=now,
                                    line_ending=partner.x12.line_ending, usage=partner.usage,
                                    only_on_error=only_on_error)
        if ack is None:
            continue
        digest = gw.archive.put(ack.data)
        doc_type = ack.kinds[-1] if ack.kinds else "TA1"
        documents.add_outbound(conn, doc_type=doc_type, partner_id=partner.id,
                               isa13=f"{ack.control_number:09d}",
                               gs06=str(numbers["gs"]) if "gs" in numbers else None,
                               st02=f"{numbers['st']:04d}" if "st" in numbers else None,
                               functional_id="FA" if "gs" in numbers else None, sha256=digest,
                               filename=outbound_name(partner, doc_type, ack.control_number),
                               file_id=file_id, trace_id=trace_id,
                               reference=f"ack of {ic.control_number}")
        queued += 1
    return queued


def _number(text: str) -> str:
    return str(int(text)) if text.strip().isdigit() else text.strip()


def record_functional_acks(conn: Connection, partner: Any, works: list[Any]) -> int:
    """Mark our documents accepted/rejected from the partner's 997/999 answers."""
    updated = 0
    for work in works:
        for group in work.answers:
            ours = conn.execute(select(docs.c.id, docs.c.st02, docs.c.doc_type).where(
                docs.c.direction == "out", docs.c.partner_id == partner.id,
                docs.c.gs06 == _number(group.gs06),
                docs.c.functional_id == group.functional_id)).all()
            ack_doc = conn.execute(select(docs.c.id).where(
                docs.c.direction == "in", docs.c.partner_id == partner.id,
                docs.c.isa13 == work.isa13, docs.c.st02 == work.st02)).scalar()
            for doc_id, st02, doc_type in ours:
                status, detail = group.status_for(st02)
                documents.record_ack(conn, doc_id, status, ack_doc, detail or None)
                updated += 1
                log.info("doc %s out to %s gs06=%s st02=%s: partner's %s says %s", doc_type,
                         partner.id, group.gs06, st02, work.set_id, status.value)
            if not ours:
                log.warning("%s from %s acknowledges group %s (%s) which we never sent",
                            work.set_id, partner.id, group.gs06, group.functional_id)
    return updated


__all__ = ["queue_acks", "record_functional_acks", "AckStatus"]
