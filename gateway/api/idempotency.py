"""Idempotency-Key handling for write routes: the same key with the same request replays the first
response; the same key with a different request is a 409 problem; a key whose first request is still
running is a 409 too (retry later). Keys are scoped to the API key that sent them.

The claim is an INSERT on a unique (key name, Idempotency-Key), so two concurrent retries cannot both
run the command. Failures the client may retry (5xx) release the claim; 4xx answers are remembered,
like any other answer, because repeating the same request would give the same refusal.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from fastapi.responses import JSONResponse
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from gateway.api.db import reading
from gateway.api import clock
from gateway.api.context import ApiContext
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.tables import api_idempotency

MAX_KEY_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"


def request_hash(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps({"m": method, "p": path, "b": payload}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def run_idempotent(context: ApiContext, api_key: ApiKey, idempotency_key: str | None, method: str,
                   path: str, payload: Any,
                   action: Callable[[], tuple[int, Any]]) -> JSONResponse:
    """Run `action` (returning status and JSON body) at most once per Idempotency-Key."""
    if not idempotency_key:
        status, body = _run(action)
        return JSONResponse(body, status_code=status)
    if len(idempotency_key) > MAX_KEY_LENGTH:
        raise Problem(400, "Bad request", f"Idempotency-Key is longer than {MAX_KEY_LENGTH} characters",
                      kind="bad-idempotency-key",
                      errors=[{"field": "Idempotency-Key", "location": "header",
                               "detail": "too long", "code": "too_long"}])
    digest = request_hash(method, path, payload)
    engine = context.engine
    try:
        with engine.begin() as conn:
            row_id = conn.execute(insert(api_idempotency).values(
                key_name=api_key.name, idempotency_key=idempotency_key, method=method, path=path,
                request_hash=digest, created_at=clock.now())).inserted_primary_key[0]
    except IntegrityError:
        return _replay(context, api_key, idempotency_key, digest)
    try:
        status, body = _run(action)
    except Problem as problem:
        if problem.status >= 500:
            _release(context, row_id)
            raise
        status, body = problem.status, problem.body(path)
        _store(context, row_id, status, body)
        return JSONResponse(body, status_code=status, media_type="application/problem+json")
    except BaseException:
        _release(context, row_id)
        raise
    _store(context, row_id, status, body)
    return JSONResponse(body, status_code=status)


def _run(action: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    try:
        return action()
    except Exception as exc:
        from gateway.api.domain_errors import domain_error_types, problem_for_domain_error
        if any(isinstance(exc, t) for t in domain_error_types()):
            raise problem_for_domain_error(exc) from exc
        raise


def _replay(context: ApiContext, api_key: ApiKey, idempotency_key: str, digest: str) -> JSONResponse:
    with reading(context.engine) as conn:
        row = conn.execute(select(api_idempotency).where(
            api_idempotency.c.key_name == api_key.name,
            api_idempotency.c.idempotency_key == idempotency_key)).first()
    if row is None:  # released between our insert and this read: ask the client to retry
        raise Problem(409, "Idempotency conflict", "the first request with this Idempotency-Key failed "
                      "just now; retry", kind="idempotency-in-progress")
    if row.request_hash != digest:
        raise Problem(409, "Idempotency key reused", "this Idempotency-Key was already used with a "
                      f"different request ({row.method} {row.path}); use a new key for a new request",
                      kind="idempotency-key-reused")
    if row.status_code is None:
        raise Problem(409, "Idempotency conflict", "a request with this Idempotency-Key is still "
                      "running; retry in a moment", kind="idempotency-in-progress",
                      headers={"Retry-After": "1"})
    body = json.loads(row.response_body)
    media = "application/problem+json" if row.status_code >= 400 else "application/json"
    return JSONResponse(body, status_code=row.status_code, media_type=media,
                        headers={REPLAY_HEADER: "true"})


def _store(context: ApiContext, row_id: int, status: int, body: Any) -> None:
    with context.engine.begin() as conn:
        conn.execute(update(api_idempotency).where(api_idempotency.c.id == row_id).values(
            status_code=status, response_body=json.dumps(body, default=str)))


def _release(context: ApiContext, row_id: int) -> None:
    with context.engine.begin() as conn:
        conn.execute(delete(api_idempotency).where(api_idempotency.c.id == row_id))
