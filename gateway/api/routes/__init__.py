"""Routers of the API, one module per resource. ROUTERS is the order they appear in /openapi.json."""
from __future__ import annotations

from gateway.api.routes import health, keys, webhooks

ROUTERS = [health.router, keys.router, webhooks.router]
