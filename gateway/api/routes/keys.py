"""API key administration (admin scope). The clear key is returned once, on creation."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from gateway.api.auth import admin_key
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey, ApiKeyError, create_key, list_keys, revoke_key
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES
from gateway.api.scopes import Scope

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"], responses=PROBLEM_RESPONSES)


class KeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: str
    last_used_at: str | None = None
    revoked: bool


class KeyCreate(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", examples=["webshop"])
    scopes: list[Scope] = Field(min_length=1, examples=[["read", "write"]])


class KeyCreated(KeyOut):
    key: str = Field(description="The API key itself; shown only in this answer")


@router.get("", response_model=list[KeyOut], summary="List API keys (never the keys themselves)")
def list_api_keys(_: ApiKey = Depends(admin_key), context: ApiContext = Depends(get_context)) -> list[dict]:
    return [k.to_json() for k in list_keys(context.engine)]


@router.post("", response_model=KeyCreated, status_code=201, summary="Create an API key")
def create_api_key(body: KeyCreate, _: ApiKey = Depends(admin_key),
                   context: ApiContext = Depends(get_context)) -> dict:
    try:
        record, clear = create_key(context.engine, body.name, frozenset(body.scopes))
    except ApiKeyError as exc:
        raise Problem(409, "Conflict", str(exc), kind="api-key-exists",
                      errors=[{"field": "name", "location": "body", "detail": str(exc)}]) from None
    return {**record.to_json(), "key": clear}


@router.delete("/{name}", status_code=204, summary="Revoke an API key",
               response_class=Response)
def revoke_api_key(name: str, _: ApiKey = Depends(admin_key),
                   context: ApiContext = Depends(get_context)) -> Response:
    if not revoke_key(context.engine, name):
        raise Problem(404, "Not found", f"no live API key named {name!r}", kind="unknown-api-key")
    return Response(status_code=204)
