"""Functional acknowledgements, read from the gateway's document records (gateway/store).

- overdue: a document we sent that expects a 997/999 (`ack_status` pending) past its `ack_due_at`
  (the gateway stamps it from the profile's `acks.expect_997_within_hours` when it sends);
- rejected: the partner's 997/999 rejected it; `ack_detail` holds the AK3/AK4 (IK3/IK4) notes;
- unsolicited: a 997/999 we received that answered none of our documents.
A resend that the partner then accepts settles the first two; the 997 itself settles overdue.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from gateway.reconcile.checks import Check
from gateway.reconcile.context import RunContext
from gateway.reconcile.findings import Finding, doc, make_key
from gateway.reconcile.kinds import ExceptionType as T
from gateway.store.tables import gateway_documents as D

ACK_SETS = ("997", "999")


def _label(r) -> str:
    ref = f" {r['reference']}" if r["reference"] else ""
    return f"{r['doc_type']}{ref} (ISA13 {r['isa13']}, ST02 {r['st02'] or '-'})"


def _gdoc(r) -> dict:
    return doc("document", r["id"], r["reference"], _label(r))


def find_overdue(ctx: RunContext) -> Iterable[Finding]:
    query = select(D).where(D.c.direction == "out", D.c.ack_status == "pending",
                            D.c.ack_due_at.is_not(None), D.c.ack_due_at < ctx.as_of)
    for r in ctx.conn.execute(query).mappings():
        yield Finding(
            key=make_key(T.ACK_OVERDUE, "document", r["id"]), type=T.ACK_OVERDUE,
            partner_id=r["partner_id"], subject=f"document:{r['id']}", order_ref=r["reference"],
            documents=(_gdoc(r),),
            reason=(f"{_label(r)} sent to {r['partner_id']} "
                    f"{r['sent_at']:%Y-%m-%d %H:%M} UTC: no 997/999 by {r['ack_due_at']:%Y-%m-%d %H:%M}"
                    if r["sent_at"] else f"{_label(r)}: no 997/999 by {r['ack_due_at']}"),
            detail={"sent_at": r["sent_at"], "due_at": r["ack_due_at"]})


def find_rejected(ctx: RunContext) -> Iterable[Finding]:
    query = select(D).where(D.c.direction == "out", D.c.ack_status == "rejected")
    for r in ctx.conn.execute(query).mappings():
        documents = [_gdoc(r)]
        if r["ack_document_id"]:
            documents.append(doc("document", r["ack_document_id"], None,
                                 f"997/999 (document {r['ack_document_id']})"))
        detail = r["ack_detail"] or "no AK3/AK4 detail given"
        yield Finding(
            key=make_key(T.ACK_REJECTED, "document", r["id"]), type=T.ACK_REJECTED,
            partner_id=r["partner_id"], subject=f"document:{r['id']}", order_ref=r["reference"],
            documents=tuple(documents),
            reason=f"{r['partner_id']} rejected {_label(r)}: {detail}",
            detail={"ack_detail": r["ack_detail"], "ack_document_id": r["ack_document_id"]})


def find_unsolicited(ctx: RunContext) -> Iterable[Finding]:
    ours = aliased(D)
    query = select(D).where(D.c.direction == "in", D.c.doc_type.in_(ACK_SETS),
                            D.c.status.in_(("accepted", "accepted_with_errors")),
                            ~exists().where(ours.c.direction == "out",
                                            ours.c.ack_document_id == D.c.id))
    for r in ctx.conn.execute(query).mappings():
        yield Finding(
            key=make_key(T.ACK_UNSOLICITED, "document", r["id"]), type=T.ACK_UNSOLICITED,
            partner_id=r["partner_id"], subject=f"document:{r['id']}", documents=(_gdoc(r),),
            reason=(f"{r['doc_type']} from {r['partner_id']} (ISA13 {r['isa13']}) acknowledges "
                    f"nothing we sent"),
            detail={"isa13": r["isa13"], "gs06": r["gs06"]})


def settle_by_ack(conn: Connection, rows: list[dict]) -> dict[str, str]:
    ids = {int(r["subject"].split(":")[1]): r["key"] for r in rows if r["subject"]}
    ack = aliased(D)
    query = (select(D.c.id, D.c.ack_status, ack.c.doc_type, ack.c.isa13)
             .join(ack, ack.c.id == D.c.ack_document_id).where(D.c.id.in_(list(ids))))
    return {ids[r.id]: f"{r.doc_type} ISA13 {r.isa13} ({r.ack_status})" for r in conn.execute(query)}


NEEDS = ("gateway_documents",)
CHECKS = [
    Check("ack_overdue", (T.ACK_OVERDUE,), find_overdue, {T.ACK_OVERDUE.value: settle_by_ack},
          needs=NEEDS),
    Check("ack_rejected", (T.ACK_REJECTED,), find_rejected, {T.ACK_REJECTED.value: settle_by_ack},
          needs=NEEDS),
    Check("ack_unsolicited", (T.ACK_UNSOLICITED,), find_unsolicited, needs=NEEDS),
]
