"""Routers of the API, one module per resource. ROUTERS is the order they appear in /openapi.json."""
from __future__ import annotations

from gateway.api.routes import (documents, exceptions, health, inventory, keys, orders, partners,
                                webhooks)

ROUTERS = [health.router, orders.router, inventory.router, partners.router, documents.router,
           exceptions.router, webhooks.router, webhooks.deliveries, keys.router]
