"""The FastAPI application factory. `create_app(home)` reads the home's settings; tests and embedders
may pass an `ApiSettings` (and an engine) instead. Nothing connects until the first request."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from gateway.api.context import ApiContext
from gateway.api.problems import install_handlers
from gateway.api.settings import ApiSettings

DESCRIPTION = """Headless access to the Ordergate order core and EDI gateway.

Authenticate with `Authorization: Bearer <key>` (keys from `ordergate api-key create`; scopes
read < write < admin). Write routes accept an `Idempotency-Key` header: the same key and body
replay the first answer; the same key with another body is a 409. Errors are RFC 9457
`application/problem+json`.
"""


def create_app(source: Path | str | ApiSettings | None = None, *, engine: Engine | None = None,
               deliver_webhooks: bool = False) -> FastAPI:
    """`deliver_webhooks=True` (what `ordergate api` does) also sends due webhooks in a background
    thread every `api.webhooks.deliver_every_seconds` while the app runs."""
    settings = source if isinstance(source, ApiSettings) else ApiSettings.from_home(
        source if source is not None else _home_from_env())
    if engine is None:
        from gateway.api.db import engine_for

        engine = engine_for(settings.database_url)
    app = FastAPI(title="Ordergate API", version="1.0.0", description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None,
                  lifespan=_lifespan(engine, settings) if deliver_webhooks else None)
    app.state.context = ApiContext(settings=settings, engine=engine)
    install_handlers(app)
    from gateway.api.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _lifespan(engine: Engine, settings: ApiSettings) -> Any:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        worker = None
        if settings.webhooks.deliver_every_seconds > 0:
            from gateway.api.webhooks.worker import DeliveryWorker

            worker = DeliveryWorker(engine, settings.webhooks, settings.webhooks.deliver_every_seconds)
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    return lifespan


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with every error response described as application/problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi
    from pydantic.json_schema import models_json_schema

    from gateway.api.schemas.common import ProblemDocument

    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    _, defs = models_json_schema([(ProblemDocument, "serialization")],
                                 ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(defs.get("$defs", {}))
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.get("responses", {})
            for code, response in responses.items():
                if code[0] in "45":
                    response["content"] = dict(problem)
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema


def _home_from_env() -> Path:
    import os

    home = os.environ.get("ORDERGATE_HOME")
    if not home:
        raise ValueError("create_app needs a home directory (or ORDERGATE_HOME) or ApiSettings")
    return Path(home)


def app_from_env() -> Any:
    """Factory for `uvicorn --factory gateway.api.app:app_from_env` (reads ORDERGATE_HOME)."""
    return create_app()
