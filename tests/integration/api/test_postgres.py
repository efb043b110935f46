"""The API on a real PostgreSQL (throwaway cluster): keys, idempotent order placement, the read
model, and webhook collection with the same code as on SQLite."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from core.bootstrap import bootstrap, migrate
from gateway.api import create_app
from gateway.api.db import engine_for
from gateway.api.keys import create_key
from gateway.api.settings import ApiSettings
from gateway.api.webhooks import deliver_due, subscribe
from tests.unit.api.conftest import _stock, order_body
from tests.unit.api.receiver import Receiver

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_home(tmp_path, pg_database):  # type: ignore[no-untyped-def]
    migrate(pg_database)
    home = tmp_path / "home"
    home.mkdir()
    (home / "ordergate.yaml").write_text(f"database:\n  url: {pg_database}\n", encoding="utf-8")
    _stock(home)
    return home


def test_orders_idempotency_and_webhooks_on_postgres(pg_home) -> None:
    settings = ApiSettings.from_home(pg_home)
    engine = engine_for(settings.database_url)
    assert engine.dialect.name == "postgresql"
    _, key = create_key(engine, "pg", "admin")
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "pg-1"}
    receiver = Receiver("pg-secret-pg-secret").start()
    try:
        subscribe(engine, receiver.url, ["order.created"], "pg-secret-pg-secret")
        with TestClient(create_app(settings, engine=engine)) as client:
            first = client.post("/v1/orders", headers=headers, json=order_body("PG-1"))
            again = client.post("/v1/orders", headers=headers, json=order_body("PG-1"))
            other = client.post("/v1/orders", headers=headers, json=order_body("PG-2"))
            assert first.status_code == again.status_code == 201, first.text
            assert again.json() == first.json() and other.status_code == 409
            oid = first.json()["order"]["id"]
            shown = client.get(f"/v1/orders/{oid}", headers=headers).json()
            assert shown["history"][0]["actor"] == "api:pg"
            assert client.get("/v1/inventory/API-1", headers=headers).json()["total"]["reserved"] == "3"
        report = deliver_due(engine)
        assert report.delivered == 1 and receiver.received[0].signature_ok
    finally:
        receiver.stop()
        engine.dispose()
