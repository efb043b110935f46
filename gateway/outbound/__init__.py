"""Outbound: an outbox row (core state) -> the canonical document to send.

``build(outbox_row, partner, core)`` reads the core's rows for the document the row names and
returns a canonical document; ``gateway.mapping.render_outbound`` turns it into X12.
"""

from __future__ import annotations

import json
from typing import Any

from gateway.canonical import CanonicalDocument
from gateway.partners.errors import PartnerError
from gateway.partners.profile import Direction, PartnerProfile


class OutboundBuildError(Exception):
    """The outbox row cannot become a document: ``outbox_id``, ``document_type`` say which."""

    def __init__(self, message: str, *, outbox_id: Any = None, document_type: str | None = None):
        super().__init__(message)
        self.outbox_id = outbox_id
        self.document_type = document_type


def _field(row: Any, name: str) -> Any:
    if isinstance(row, dict):
        return row.get(name)
    try:
        return row[name]
    except (KeyError, TypeError, IndexError):
        return getattr(row, name, None)


def build(outbox_row: Any, partner: PartnerProfile, core: Any, *,
          reader: Any = None) -> CanonicalDocument:
    """The canonical document for one outbox row (a dict, a Row mapping or an object).
    `reader`: a `gateway.outbound.reads.BatchReader` already loaded with a batch's rows (the
    render pass), else the rows are read on a connection of the core's own."""
    from gateway.outbound.documents import BUILDERS

    doc_type = str(_field(outbox_row, "document_type"))
    row_id = _field(outbox_row, "id")
    builder = BUILDERS.get(doc_type)
    if builder is None:
        raise OutboundBuildError(f"no outbound builder for document type {doc_type}",
                                 outbox_id=row_id, document_type=doc_type)
    if partner.document(doc_type, Direction.OUT) is None:
        raise PartnerError(f"partner {partner.id} does not receive {doc_type} documents",
                           key_path="documents",
                           expected=f"an entry {{type: '{doc_type}', direction: out}}")
    payload = _field(outbox_row, "payload_ref") or {}
    if isinstance(payload, str):
        payload = json.loads(payload)
    if reader is not None:
        return _run(builder, reader, payload, outbox_row, row_id, doc_type)
    with core.engine.connect() as conn:
        return _run(builder, conn, payload, outbox_row, row_id, doc_type)


def _run(builder: Any, source: Any, payload: dict, outbox_row: Any, row_id: Any,
         doc_type: str) -> CanonicalDocument:
    try:
        return builder(source, payload, _field(outbox_row, "order_id"))
    except (LookupError, KeyError, ValueError) as exc:
        raise OutboundBuildError(f"outbox row {row_id}: {exc}", outbox_id=row_id,
                                 document_type=doc_type) from None


__all__ = ["OutboundBuildError", "build"]
