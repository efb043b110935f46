"""Liveness and readiness: no key needed, so load balancers can probe it."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import text

from gateway.api.db import reading
from gateway.api.context import ApiContext, get_context
from gateway.api.problems import Problem

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/v1/health", response_model=Health, summary="Is the API up and its database reachable?",
            responses={503: {"description": "database unreachable"}})
def health(context: ApiContext = Depends(get_context)) -> Health:
    try:
        with reading(context.engine) as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - reported as a problem, not swallowed
        raise Problem(503, "Database unavailable", f"{type(exc).__name__}: check database.url in "
                      "ordergate.yaml", kind="database-unavailable") from None
    return Health(status="ok", database=context.engine.dialect.name)
