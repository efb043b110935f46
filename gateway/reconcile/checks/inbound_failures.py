"""Bad input: inbound business documents the gateway recorded but could not apply.

An 810 for a PO we never issued, an 856 for an unknown order, a duplicate invoice number: the
gateway keeps the document row (status `failed`) and an error record (stage `apply`, message
`set <type> <ST02>: <reason>`) instead of crashing. Each one becomes an exception here with the
core's reason, so nothing bad is skipped silently. Duplicate invoice numbers are also found
directly: two inbound 810s from one partner with the same reference that are not re-deliveries.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import and_, func, literal, or_, select

from gateway.reconcile.checks import Check
from gateway.reconcile.context import RunContext
from gateway.reconcile.findings import Finding, doc, make_key
from gateway.reconcile.kinds import ExceptionType as T
from gateway.store.tables import gateway_documents as D
from gateway.store.tables import gateway_errors as E

REFUSED = {"850": T.ORDER_REFUSED, "855": T.VENDOR_ACK_REFUSED, "856": T.ASN_REFUSED,
           "810": T.INVOICE_REFUSED}
# (document type, words in the error code or message) -> what it means; first match wins.
# The words are the core's own reasons (core/services/handlers/buyer.py), e.g.
# UnknownVendorOrder "no purchase order P to vendor V", "vendor PO P has no line 9",
# InvariantViolation "shipment of 12 exceeds the 10 not yet shipped".
RULES: tuple[tuple[str, tuple[str, ...], T], ...] = (
    ("810", ("duplicate", "already"), T.INVOICE_DUPLICATE),
    ("810", ("unknownvendororder", "no purchase order", "unknown", "never issued"),
     T.INVOICE_UNKNOWN_PO),
    ("810", ("has no line",), T.INVOICE_ITEM_NOT_ON_PO),
    ("856", ("unknownvendororder", "no purchase order", "unknown", "unknownorder"),
     T.ASN_UNKNOWN_ORDER),
    ("856", ("has no line",), T.ASN_ITEM_NOT_ON_PO),
    ("856", ("exceeds",), T.ASN_QUANTITY),
)
NOT_REDELIVERY = ("accepted", "accepted_with_errors", "failed")


def _label(r) -> str:
    ref = f" {r['reference']}" if r["reference"] else ""
    return f"{r['doc_type']}{ref} (ISA13 {r['isa13']}, ST02 {r['st02'] or '-'})"


def _classify(doc_type: str, text: str) -> T:
    low = text.lower()
    for rule_type, words, meaning in RULES:
        if rule_type == doc_type and any(w in low for w in words):
            return meaning
    return REFUSED[doc_type]


def find_failed(ctx: RunContext) -> Iterable[Finding]:
    pattern = (literal("set ") + D.c.doc_type + literal(" ") + func.coalesce(D.c.st02, "")
               + literal(":%"))
    query = (select(D.c.id, D.c.doc_type, D.c.partner_id, D.c.reference, D.c.isa13, D.c.st02,
                    D.c.file_id, D.c.created_at, E.c.code, E.c.message, E.c.segment_id,
                    E.c.segment_position, E.c.element_position)
             .outerjoin(E, and_(E.c.file_id == D.c.file_id, E.c.stage.in_(("apply", "map")),
                                E.c.message.like(pattern)))
             .where(D.c.direction == "in", D.c.status == "failed",
                    D.c.doc_type.in_(sorted(REFUSED)))
             .order_by(D.c.id, E.c.id))
    seen: set[int] = set()
    for r in ctx.conn.execute(query).mappings():
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        message = r["message"] or "the gateway recorded no reason"
        why = message.split(": ", 1)[1] if message.startswith("set ") and ": " in message else message
        type_ = _classify(r["doc_type"], f"{r['code'] or ''} {message}")
        key = (make_key(type_, r["partner_id"], r["reference"]) if type_ == T.INVOICE_DUPLICATE
               and r["reference"] else make_key(type_, "document", r["id"]))
        where = ""
        if r["segment_id"]:
            where = f" at {r['segment_id']}"
            if r["segment_position"]:
                where += f" (segment {r['segment_position']}"
                where += f", element {r['element_position']})" if r["element_position"] else ")"
        yield Finding(
            key=key, type=type_, partner_id=r["partner_id"], subject=f"document:{r['id']}",
            order_ref=r["reference"],
            documents=(doc("document", r["id"], r["reference"], _label(r)),),
            reason=f"{_label(r)} from {r['partner_id']} refused{where}: {why}",
            detail={"error_code": r["code"], "message": message, "file_id": r["file_id"],
                    "segment_id": r["segment_id"], "segment_position": r["segment_position"],
                    "element_position": r["element_position"]})


def find_duplicate_invoices(ctx: RunContext) -> Iterable[Finding]:
    dupes = (select(D.c.partner_id, D.c.reference)
             .where(D.c.direction == "in", D.c.doc_type == "810", D.c.reference.is_not(None),
                    D.c.status.in_(NOT_REDELIVERY))
             .group_by(D.c.partner_id, D.c.reference).having(func.count() > 1).subquery("dupes"))
    query = (select(D.c.id, D.c.doc_type, D.c.partner_id, D.c.reference, D.c.isa13, D.c.st02)
             .join(dupes, and_(dupes.c.partner_id == D.c.partner_id,
                               dupes.c.reference == D.c.reference))
             .where(D.c.direction == "in", D.c.doc_type == "810", D.c.status.in_(NOT_REDELIVERY))
             .order_by(D.c.partner_id, D.c.reference, D.c.id))
    groups: dict[tuple, list] = {}
    for r in ctx.conn.execute(query).mappings():
        groups.setdefault((r["partner_id"], r["reference"]), []).append(r)
    for (partner, reference), rows in groups.items():
        yield Finding(
            key=make_key(T.INVOICE_DUPLICATE, partner, reference), type=T.INVOICE_DUPLICATE,
            partner_id=partner, subject=f"document:{rows[-1]['id']}", order_ref=reference,
            documents=tuple(doc("document", r["id"], r["reference"], _label(r)) for r in rows),
            reason=(f"invoice {reference} from {partner} received {len(rows)} times in different "
                    f"interchanges (ISA13 {', '.join(str(r['isa13']) for r in rows)})"),
            detail={"count": len(rows)})


NEEDS = ("gateway_documents", "gateway_errors")
FAILED_TYPES = (T.ORDER_REFUSED, T.VENDOR_ACK_REFUSED, T.ASN_REFUSED, T.INVOICE_REFUSED,
                T.ASN_UNKNOWN_ORDER, T.INVOICE_UNKNOWN_PO)  # the others are owned by their checks
CHECKS = [
    Check("inbound_failed", FAILED_TYPES, find_failed, needs=NEEDS),
    # owns INVOICE_DUPLICATE: failed duplicates and twice-received numbers share one key
    Check("duplicate_invoices", (T.INVOICE_DUPLICATE,), find_duplicate_invoices, needs=NEEDS),
]
