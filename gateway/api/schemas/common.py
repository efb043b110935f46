"""Models every route shares: the problem document and paging."""
from __future__ import annotations

from typing import Any

from fastapi import Path
from pydantic import BaseModel, Field
from typing import Annotated

from gateway.api.schemas.types import MAX_ID


class FieldError(BaseModel):
    field: str
    location: str
    pointer: str | None = None
    detail: str
    code: str | None = None


class ProblemDocument(BaseModel):
    """RFC 9457 problem details; extension members (order, line, state, ...) may follow."""

    model_config = {"extra": "allow"}
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "model": ProblemDocument,
            "content": {"application/problem+json": {}}}


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("bad request (paging parameters, an over-long Idempotency-Key)"),
    401: _problem("missing or unknown API key"),
    403: _problem("the key lacks the scope this route needs"),
    404: _problem("not found"),
    409: _problem("conflict: illegal transition, idempotency key reused"),
    422: _problem("validation failed or refused by the order core"),
    503: _problem("a part this route needs is unavailable (database, gateway, partner profiles)"),
}


class Page(BaseModel):
    """A page of results; follow `next` (a relative URL) until it is null."""

    items: list[Any]
    next: str | None = Field(default=None, description="URL of the next page, null on the last")
    next_cursor: str | None = None


RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="a database id")]
