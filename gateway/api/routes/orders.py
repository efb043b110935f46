"""Order routes: place, read, list (paged), change, cancel, acknowledge, release, ship, invoice,
return. Writes need the write scope and are recorded in the order history as api:<key name>."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse

from gateway.api.db import reading
from gateway.api.auth import read_key, write_key
from gateway.api.commands import order_or_404, run_command
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES, RowId
from gateway.api.schemas.orders import (InvoiceIn, OrderAcknowledge, OrderCancel, OrderChange,
                                        OrderCreate, ReleaseIn, ReturnIn, ReturnReceive, ShipmentIn)
from gateway.api.schemas.views import CommandResult, OrderOut, OrderPage
from gateway.api.views.orders import OrderFilter, decode_cursor, encode_cursor, list_orders

router = APIRouter(prefix="/v1", tags=["orders"], responses=PROBLEM_RESPONSES)
IdempotencyKey = Header(default=None, alias="Idempotency-Key", max_length=255,
                        description="Makes retries safe: same key + same body = same answer")
WRITE = {"response_model": CommandResult}


@router.post("/orders", status_code=201, summary="Place an order (and source it)",
             responses={200: {"model": CommandResult, "description": "the order already existed"}},
             **WRITE)
def create_order(body: OrderCreate, request: Request, _idem: str | None = IdempotencyKey,
                 key: ApiKey = Depends(write_key),
                 context: ApiContext = Depends(get_context)) -> JSONResponse:
    response = run_command(context, key, request, body, body.command, created_status=201)
    if response.status_code == 201:
        import json

        order = json.loads(response.body).get("order") or {}
        if order.get("id") is not None:
            response.headers["Location"] = f"/v1/orders/{order['id']}"
    return response


@router.get("/orders", response_model=OrderPage, summary="List orders, newest first (paged)")
def get_orders(request: Request, po_number: str | None = Query(None, max_length=64),
               status: str | None = Query(None, max_length=24),
               partner: str | None = Query(None, max_length=64),
               channel: str | None = Query(None, max_length=64),
               limit: int | None = Query(None, ge=1, le=500, description="page size (cursor paging)"),
               cursor: str | None = Query(None, max_length=100, description="from a previous `next`"),
               page: int | None = Query(None, ge=1, le=100000, description="page number (with size)"),
               size: int | None = Query(None, ge=1, le=500, description="page size (page paging)"),
               _: ApiKey = Depends(read_key), context: ApiContext = Depends(get_context)) -> dict:
    if cursor is not None and page is not None:
        raise Problem(400, "Bad request", "use either cursor (with limit) or page (with size)",
                      kind="bad-paging", errors=[{"field": "page", "location": "query",
                                                  "detail": "cannot be combined with cursor"}])
    settings = context.settings
    per_page = min(limit or size or settings.page_size, settings.max_page_size)
    after_id = None
    if cursor is not None:
        try:
            after_id = decode_cursor(cursor)
        except ValueError as exc:
            raise Problem(400, "Bad request", str(exc), kind="bad-cursor",
                          errors=[{"field": "cursor", "location": "query", "detail": str(exc)}]) from None
    flt = OrderFilter(po_number=po_number, status=status, partner=partner, channel=channel)
    offset = (page - 1) * per_page if page else None
    with reading(context.engine) as conn:
        items, more = list_orders(conn, flt, per_page, after_id=after_id, offset=offset)
    next_url = next_cursor = None
    if more and items:
        params = {k: v for k, v in request.query_params.items() if k not in {"cursor", "page"}}
        if page:
            params["page"] = str(page + 1)
        else:
            next_cursor = encode_cursor(items[-1]["id"])
            params["cursor"] = next_cursor
            params.setdefault("limit", str(per_page))
        base = (settings.base_url or "").rstrip("/")
        next_url = f"{base}{request.url.path}?" + "&".join(f"{k}={_q(v)}" for k, v in params.items())
    return {"items": items, "next": next_url, "next_cursor": next_cursor}


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@router.get("/orders/{order_id}", response_model=OrderOut, summary="One order: lines, buckets, "
            "allocations, holds, documents and history")
def get_order(order_id: RowId, _: ApiKey = Depends(read_key),
              context: ApiContext = Depends(get_context)) -> dict:
    return order_or_404(context, order_id)


@router.post("/orders/{order_id}/change", summary="Change quantities, prices or dates; add lines", **WRITE)
def change_order(order_id: RowId, body: OrderChange, request: Request, _idem: str | None = IdempotencyKey,
                 key: ApiKey = Depends(write_key), context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id), must_exist=order_id)


@router.post("/orders/{order_id}/cancel", summary="Cancel the order, or some lines", **WRITE)
def cancel_order(order_id: RowId, body: OrderCancel, request: Request, _idem: str | None = IdempotencyKey,
                 key: ApiKey = Depends(write_key), context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id), must_exist=order_id)


@router.post("/orders/{order_id}/acknowledge", summary="Acknowledge lines (accept, change, "
             "backorder, reject)", **WRITE)
def acknowledge_order(order_id: RowId, body: OrderAcknowledge, request: Request,
                      _idem: str | None = IdempotencyKey, key: ApiKey = Depends(write_key),
                      context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id), must_exist=order_id)


@router.post("/orders/{order_id}/release", summary="Release allocated lines to fulfilment", **WRITE)
def release_order(order_id: RowId, body: ReleaseIn, request: Request, _idem: str | None = IdempotencyKey,
                  key: ApiKey = Depends(write_key), context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id), must_exist=order_id)


@router.post("/orders/{order_id}/shipments", status_code=201, summary="Record a shipment", **WRITE)
def record_shipment(order_id: RowId, body: ShipmentIn, request: Request,
                    _idem: str | None = IdempotencyKey, key: ApiKey = Depends(write_key),
                    context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id),
                       created_status=201, must_exist=order_id)


@router.post("/orders/{order_id}/invoices", status_code=201, summary="Issue an invoice", **WRITE)
def issue_invoice(order_id: RowId, body: InvoiceIn, request: Request, _idem: str | None = IdempotencyKey,
                  key: ApiKey = Depends(write_key), context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id),
                       created_status=201, must_exist=order_id)


@router.post("/orders/{order_id}/returns", status_code=201, summary="Authorise a return (RMA)", **WRITE)
def create_return(order_id: RowId, body: ReturnIn, request: Request, _idem: str | None = IdempotencyKey,
                  key: ApiKey = Depends(write_key), context: ApiContext = Depends(get_context)) -> JSONResponse:
    return run_command(context, key, request, body, lambda: body.command(order_id),
                       created_status=201, must_exist=order_id)


@router.post("/returns/{rma_number}/receive", summary="Receive returned goods into a location", **WRITE)
def receive_return(rma_number: str, body: ReturnReceive, request: Request,
                   _idem: str | None = IdempotencyKey, key: ApiKey = Depends(write_key),
                   context: ApiContext = Depends(get_context)) -> JSONResponse:
    if len(rma_number) > 64:
        raise Problem(404, "Not found", "no such RMA", kind="unknown-return")
    return run_command(context, key, request, body, lambda: body.command(rma_number))
