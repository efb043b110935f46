"""RFC 9457 problem details. Every error the API returns is `application/problem+json` with `type`,
`title`, `status`, `detail`, `instance`, and extension members: `errors` (one entry per field at
fault, for validation) and the attributes of the core's domain errors (order, line, state, ...).

Handlers here turn validation errors, HTTP errors, the core's DomainError subclasses and anything
unexpected into problems, so no route ever leaks a traceback.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://ordergate.dev/problems/"
log = logging.getLogger("ordergate.api")


class Problem(Exception):
    """Raise from a route to answer with a problem; `kind` becomes the `type` URI's last part."""

    def __init__(self, status: int, title: str, detail: str | None = None, *, kind: str | None = None,
                 errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
                 **extensions: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind or title.lower().replace(" ", "-")
        self.errors = errors
        self.headers = headers
        self.extensions = extensions

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {"type": TYPE_BASE + self.kind, "title": self.title,
                                "status": self.status, "detail": self.detail or self.title,
                                "instance": instance}
        if self.errors is not None:
            body["errors"] = self.errors
        for key, value in self.extensions.items():
            if value is not None and key not in body:
                body[key] = value
        return body


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    return JSONResponse(problem.body(request.url.path), status_code=problem.status,
                        media_type=PROBLEM_MEDIA_TYPE, headers=problem.headers)


def validation_errors(raw: list[Any]) -> list[dict[str, Any]]:
    """pydantic's error list -> `[{"field", "location", "pointer", "detail", "code"}]`."""
    out = []
    for err in raw:
        loc = [str(p) for p in err.get("loc", ())]
        location = loc[0] if loc else "body"
        path = loc[1:] if loc and loc[0] in {"body", "query", "path", "header", "cookie"} else loc
        out.append({"field": ".".join(path) or location, "location": location,
                    "pointer": "#/" + "/".join(path) if location == "body" else None,
                    "detail": err.get("msg", "invalid value"), "code": err.get("type")})
    return out


# HTTP status -> (title, kind) for errors raised by the framework itself (unknown route, bad method)
HTTP_TITLES: dict[int, tuple[str, str]] = {
    400: ("Bad request", "bad-request"),
    401: ("Unauthorized", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not found", "not-found"),
    405: ("Method not allowed", "method-not-allowed"),
    409: ("Conflict", "conflict"),
    415: ("Unsupported media type", "unsupported-media-type"),
    422: ("Validation failed", "validation-failed"),
}


def allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts on this path (a path may be served by several routes)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        route_methods = getattr(route, "methods", None) or set()
        if match != Match.NONE and route_methods:
            for method in route_methods:
                match_m, _ = route.matches({**request.scope, "method": method})
                if match_m == Match.FULL:
                    methods.add(method)
    return sorted(methods)


def install_handlers(app: FastAPI) -> None:
    from gateway.api.domain_errors import problem_for_domain_error, domain_error_types

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(list(exc.errors()))
        first = errors[0] if errors else {"field": "body", "detail": "invalid"}
        return problem_response(Problem(
            422, "Validation failed", f"{first['field']}: {first['detail']}", kind="validation-failed",
            errors=errors), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title, kind = HTTP_TITLES.get(exc.status_code, ("Error", "error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            detail = f"{request.method} is not allowed here; use {', '.join(allowed)}"
        return problem_response(Problem(exc.status_code, title, detail, kind=kind,
                                        headers=headers or None), request)

    for error_type in domain_error_types():
        @app.exception_handler(error_type)
        async def _domain(request: Request, exc: Exception) -> JSONResponse:
            return problem_response(problem_for_domain_error(exc), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(Problem(
            500, "Internal error", f"{type(exc).__name__}: the server could not complete the request; "
            "retry, and report it with the time and path if it persists", kind="internal-error"), request)
