"""Read side for `ordergate documents`: lists and the whole trace of one document (its file, the
interchange, the other sets of that file, the order, the acks both ways, the errors)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, or_, select

from gateway.store.tables import (gateway_documents as docs, gateway_errors, gateway_files,
                                  gateway_interchanges)

LIST_COLUMNS = ("id", "direction", "doc_type", "partner_id", "isa13", "st02", "reference",
                "order_id", "status", "ack_status", "filename", "created_at", "trace_id")


def list_documents(conn: Connection, *, partner: str | None = None, direction: str | None = None,
                   status: str | None = None, doc_type: str | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
    query = select(*[docs.c[name] for name in LIST_COLUMNS]).order_by(docs.c.id.desc()).limit(limit)
    if partner:
        query = query.where(docs.c.partner_id == partner)
    if direction:
        query = query.where(docs.c.direction == direction)
    if status:
        query = query.where(or_(docs.c.status == status, docs.c.ack_status == status))
    if doc_type:
        query = query.where(docs.c.doc_type == doc_type)
    return [dict(row) for row in conn.execute(query).mappings()]


def list_files(conn: Connection, *, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    query = select(gateway_files).order_by(gateway_files.c.id.desc()).limit(limit)
    if state:
        query = query.where(gateway_files.c.state == state)
    return [dict(row) for row in conn.execute(query).mappings()]


def document_trace(conn: Connection, doc_id: int) -> dict[str, Any] | None:
    doc = conn.execute(select(docs).where(docs.c.id == doc_id)).mappings().first()
    if doc is None:
        return None
    trace: dict[str, Any] = {"document": dict(doc)}
    file_id = doc["file_id"]
    if file_id is not None:
        file = conn.execute(select(gateway_files).where(gateway_files.c.id == file_id)).mappings().first()
        trace["file"] = dict(file) if file else None
        trace["sets_in_file"] = [dict(r) for r in conn.execute(
            select(docs.c.id, docs.c.doc_type, docs.c.st02, docs.c.reference, docs.c.order_id,
                   docs.c.status).where(docs.c.file_id == file_id, docs.c.direction == "in")
            .order_by(docs.c.id)).mappings()]
        trace["acks_sent"] = [dict(r) for r in conn.execute(
            select(docs.c.id, docs.c.doc_type, docs.c.isa13, docs.c.filename, docs.c.status,
                   docs.c.sent_at).where(docs.c.file_id == file_id, docs.c.direction == "out")
            .order_by(docs.c.id)).mappings()]
        trace["errors"] = [dict(r) for r in conn.execute(
            select(gateway_errors).where(gateway_errors.c.file_id == file_id)
            .order_by(gateway_errors.c.id)).mappings()]
    if doc["interchange_id"] is not None:
        ic = conn.execute(select(gateway_interchanges).where(
            gateway_interchanges.c.id == doc["interchange_id"])).mappings().first()
        trace["interchange"] = dict(ic) if ic else None
    if doc["ack_document_id"] is not None:
        ack = conn.execute(select(docs.c.id, docs.c.doc_type, docs.c.isa13, docs.c.file_id,
                                  docs.c.created_at).where(docs.c.id == doc["ack_document_id"])).mappings().first()
        trace["acknowledged_by"] = dict(ack) if ack else None
    if doc["order_id"] is not None:
        trace["order_documents"] = [dict(r) for r in conn.execute(
            select(docs.c.id, docs.c.direction, docs.c.doc_type, docs.c.partner_id, docs.c.reference,
                   docs.c.status, docs.c.ack_status).where(docs.c.order_id == doc["order_id"])
            .order_by(docs.c.id)).mappings()]
    return trace
