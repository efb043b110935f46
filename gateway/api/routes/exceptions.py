"""Reconciliation exceptions: list (read), acknowledge and resolve with a note (write). Status moves
follow reconciliation's own transition table (gateway.reconcile.kinds.TRANSITIONS)."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update

from gateway.api.db import reading
from gateway.api import clock
from gateway.api.auth import read_key, write_key
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES, RowId
from gateway.api.schemas.types import text
from gateway.api.views.documents import jsonable

router = APIRouter(prefix="/v1/exceptions", tags=["reconciliation"], responses=PROBLEM_RESPONSES)
Note = text(2000, 1)


class ExceptionOut(BaseModel):
    id: int
    type: str
    area: str
    severity: str
    partner_id: str | None
    subject: str | None
    order_ref: str | None
    documents: Any
    lines: Any
    amount: str | None
    reason: str
    detail: Any
    status: str
    note: str | None
    first_seen: str | None
    last_seen: str | None
    acknowledged_at: str | None
    acknowledged_by: str | None
    resolved_at: str | None
    occurrences: int


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Note = Field(description="why: kept with the exception for the audit trail")  # type: ignore[valid-type]


def _table() -> Any:
    try:
        from gateway.reconcile.tables import reconcile_exceptions
    except ImportError:
        raise Problem(503, "Reconciliation unavailable", "reconciliation is not installed",
                      kind="reconcile-unavailable") from None
    return reconcile_exceptions


def _row(conn: Any, table: Any, exception_id: RowId) -> Any:
    row = conn.execute(select(table).where(table.c.id == exception_id)).mappings().first()
    if row is None:
        raise Problem(404, "Exception not found", f"no reconciliation exception {exception_id}",
                      kind="unknown-exception")
    return row


@router.get("", response_model=list[ExceptionOut], summary="Reconciliation exceptions, newest first")
def list_exceptions(status: Literal["open", "acknowledged", "resolved", "unresolved"] | None = "unresolved",
                    partner: str | None = Query(None, max_length=64),
                    type_: str | None = Query(None, alias="type", max_length=40),
                    limit: int = Query(100, ge=1, le=1000),
                    _: ApiKey = Depends(read_key), context: ApiContext = Depends(get_context)) -> list[dict]:
    table = _table()
    query = select(table).order_by(table.c.id.desc()).limit(limit)
    if status == "unresolved":
        query = query.where(table.c.status != "resolved")
    elif status:
        query = query.where(table.c.status == status)
    if partner:
        query = query.where(table.c.partner_id == partner)
    if type_:
        query = query.where(table.c.type == type_)
    with reading(context.engine) as conn:
        return [jsonable(dict(r)) for r in conn.execute(query).mappings()]


@router.get("/{exception_id}", response_model=ExceptionOut, summary="One exception")
def get_exception(exception_id: RowId, _: ApiKey = Depends(read_key),
                  context: ApiContext = Depends(get_context)) -> dict:
    table = _table()
    with reading(context.engine) as conn:
        return jsonable(dict(_row(conn, table, exception_id)))


def _move(context: ApiContext, key: ApiKey, exception_id: RowId, target: str, note: str) -> dict:
    from gateway.reconcile.kinds import TRANSITIONS, Status

    table = _table()
    now = clock.now()
    with context.engine.begin() as conn:
        row = _row(conn, table, exception_id)
        current = Status(row["status"])
        if Status(target) not in TRANSITIONS.get(current, frozenset()):
            raise Problem(409, "Illegal transition", f"exception {exception_id} is {current.value}; "
                          f"it cannot become {target}", kind="illegal-transition",
                          state=current.value, command=target)
        values: dict[str, Any] = {"status": target, "note": note}
        if target == Status.RESOLVED.value:
            values["resolved_at"] = now
        if target == Status.ACKNOWLEDGED.value or row["acknowledged_at"] is None:
            values.update(acknowledged_at=now, acknowledged_by=key.actor)
        conn.execute(update(table).where(table.c.id == exception_id).values(**values))
        return jsonable(dict(_row(conn, table, exception_id)))


@router.post("/{exception_id}/resolve", response_model=ExceptionOut, summary="Resolve with a note")
def resolve_exception(exception_id: RowId, body: NoteIn, key: ApiKey = Depends(write_key),
                      context: ApiContext = Depends(get_context)) -> dict:
    return _move(context, key, exception_id, "resolved", body.note)


@router.post("/{exception_id}/acknowledge", response_model=ExceptionOut,
             summary="Acknowledge (someone is on it) with a note")
def acknowledge_exception(exception_id: RowId, body: NoteIn, key: ApiKey = Depends(write_key),
                          context: ApiContext = Depends(get_context)) -> dict:
    return _move(context, key, exception_id, "acknowledged", body.note)
