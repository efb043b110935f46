"""Documents the gateway received and sent: list, trace, download the original bytes, retry
(process a stored file again) and resend (upload our document again, same bytes and numbers)."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from gateway.api.db import reading
from gateway.api.auth import read_key, write_key
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES, RowId
from gateway.api.views.documents import jsonable, original_bytes

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=PROBLEM_RESPONSES)


class DocumentSummary(BaseModel):
    id: int
    direction: str
    doc_type: str
    partner_id: str
    isa13: str | None
    st02: str | None
    reference: str | None
    order_id: int | None
    status: str
    ack_status: str | None
    filename: str | None
    created_at: str | None
    trace_id: str


class ActionResult(BaseModel):
    ok: bool
    message: str


def _store() -> Any:
    try:
        import gateway.store.trace as trace
    except ImportError:
        raise Problem(503, "Gateway store unavailable", "the gateway flow is not installed",
                      kind="gateway-unavailable") from None
    return trace


def _unknown(doc_id: RowId) -> Problem:
    return Problem(404, "Document not found", f"no document with id {doc_id}", kind="unknown-document",
                   document=doc_id)


@router.get("", response_model=list[DocumentSummary], summary="Documents, newest first")
def list_documents(partner: str | None = Query(None, max_length=64),
                   direction: Literal["in", "out"] | None = None,
                   status: str | None = Query(None, max_length=24),
                   doc_type: str | None = Query(None, max_length=8, alias="type"),
                   limit: int = Query(100, ge=1, le=1000),
                   _: ApiKey = Depends(read_key), context: ApiContext = Depends(get_context)) -> list[dict]:
    trace = _store()
    with reading(context.engine) as conn:
        rows = trace.list_documents(conn, partner=partner, direction=direction, status=status,
                                    doc_type=doc_type, limit=limit)
    return [jsonable(r) for r in rows]


@router.get("/{doc_id}", summary="The whole trace of a document: file, interchange, other sets, "
            "acks both ways, order, errors")
def get_document(doc_id: RowId, _: ApiKey = Depends(read_key),
                 context: ApiContext = Depends(get_context)) -> dict[str, Any]:
    trace = _store()
    with reading(context.engine) as conn:
        data = trace.document_trace(conn, doc_id)
    if data is None:
        raise _unknown(doc_id)
    return jsonable(data)


@router.get("/{doc_id}/content", summary="Download the original bytes (as received or as sent)",
            response_class=Response,
            responses={200: {"content": {"application/edi-x12": {}, "application/xml": {}},
                             "description": "the archived bytes, unchanged"}})
def get_document_content(doc_id: RowId, _: ApiKey = Depends(read_key),
                         context: ApiContext = Depends(get_context)) -> Response:
    _store()
    from gateway.store.archive import Archive, ArchiveError

    if context.settings.home is None:
        raise Problem(503, "Archive unavailable", "the API runs without a home directory",
                      kind="archive-unavailable")
    archive = Archive.for_home(context.settings.home)
    with reading(context.engine) as conn:
        try:
            found = original_bytes(conn, archive, doc_id)
        except ArchiveError as exc:
            raise Problem(409, "Archive damaged", str(exc), kind="archive-damaged",
                          sha256=exc.sha256) from None
    if found is None:
        raise _unknown(doc_id)
    data, name, media = found
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "._-") or f"document-{doc_id}"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


def _gateway(context: ApiContext) -> Any:
    from core.config import Home
    from gateway.flow.context import Gateway
    from gateway.partners import load_partners
    from gateway.store.archive import Archive

    if context.settings.home is None:
        raise Problem(503, "Gateway unavailable", "the API runs without a home directory",
                      kind="gateway-unavailable")
    home = Home(context.settings.home)
    return Gateway(home=home, engine=context.engine, core=context.core,
                   partners=load_partners(home.path), archive=Archive.for_home(home.path))


def _flow_action(context: ApiContext, name: str, doc_id: RowId) -> dict[str, Any]:
    from gateway.flow import retry as flow_retry

    try:
        outcome = getattr(flow_retry, name)(_gateway(context), doc_id)
    except flow_retry.RetryError as exc:
        status = 404 if str(exc).startswith("no ") else 409
        raise Problem(status, "Document not found" if status == 404 else "Not possible", str(exc),
                      kind="unknown-document" if status == 404 else f"{name}-refused",
                      hint=exc.hint) from None
    return {"ok": bool(outcome.ok), "message": outcome.message}


@router.post("/{doc_id}/retry", response_model=ActionResult, summary="Process a received file again "
             "from the archive (inbound), or queue an outbound document again")
def retry_document(doc_id: RowId, _: ApiKey = Depends(write_key),
                   context: ApiContext = Depends(get_context)) -> dict:
    return _flow_action(context, "retry", doc_id)


@router.post("/{doc_id}/resend", response_model=ActionResult, summary="Upload one of our documents "
             "again: same bytes, same control numbers")
def resend_document(doc_id: RowId, _: ApiKey = Depends(write_key),
                    context: ApiContext = Depends(get_context)) -> dict:
    return _flow_action(context, "resend", doc_id)
