"""Running a core command for a route: with the key's name as the actor, inside the idempotency
guard, answering with the outcome and the order as it now stands."""
from __future__ import annotations

from typing import Any, Callable

from fastapi import Request
from fastapi.responses import JSONResponse

from gateway.api.db import reading
from gateway.api.context import ApiContext
from gateway.api.idempotency import run_idempotent
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.views.orders import order_json


def order_or_404(context: ApiContext, order_id: int) -> dict[str, Any]:
    with reading(context.engine) as conn:
        order = order_json(context.core, conn, order_id)
    if order is None:
        raise Problem(404, "Order not found", f"no order with id {order_id}", kind="unknown-order",
                      order=order_id)
    return order


def run_command(context: ApiContext, key: ApiKey, request: Request, body: Any,
                build: Callable[[], Any], *, created_status: int = 200,
                must_exist: int | None = None) -> JSONResponse:
    """Handle `build()` with actor "api:<key name>"; replay-safe with an Idempotency-Key."""
    payload = body.model_dump(mode="json") if body is not None else None

    def action() -> tuple[int, Any]:
        if must_exist is not None:
            order_or_404(context, must_exist)
        outcome = context.core.handle(build(), actor=key.actor)
        order_id = getattr(outcome, "order_id", None) or must_exist
        with reading(context.engine) as conn:
            order = order_json(context.core, conn, order_id) if order_id is not None else None
        created = bool(getattr(outcome, "created", True))
        status = created_status if created else 200
        return status, {"created": created, "ids": _jsonable(getattr(outcome, "ids", {}) or {}),
                        "order": order}

    return run_idempotent(context, key, request.headers.get("Idempotency-Key"), request.method,
                          request.url.path, payload, action)


def _jsonable(ids: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in ids.items():
        if isinstance(value, (list, tuple)):
            out[name] = [v if isinstance(v, (int, str)) else str(v) for v in value]
        else:
            out[name] = value if isinstance(value, (int, str, type(None))) else str(value)
    return out
