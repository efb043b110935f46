"""The headless HTTP API: every channel (web shop, call centre, warehouse app, finance page) drives
the order core and reads the gateway's state through these routes.

Public entry points:
- `create_app(home_or_settings)`: the FastAPI application (served by `ordergate api`);
- `gateway.api.webhooks.deliver_due(engine, now)`: the webhook delivery job for the scheduler;
- `gateway.api.keys.create_key(engine, name, scopes)`: what `ordergate api-key create` calls.

Imports are lazy so that `import gateway.api` stays cheap for the command line.
"""
from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(source: Any = None, **kwargs: Any) -> Any:
    """Build the FastAPI application for a home directory (path) or an `ApiSettings`."""
    from gateway.api.app import create_app as _create_app

    return _create_app(source, **kwargs)
