"""Webhook events collected from what other parts write: the core's order history (whatever the
channel: API or core command) and reconciliation exceptions; delivered signed to a real receiver."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select

from gateway.api.tables import webhook_events
from gateway.api.webhooks import deliver_due, subscribe
from gateway.api.webhooks.sources import collect_events
from gateway.reconcile.tables import reconcile_exceptions
from tests.unit.api.conftest import order_body
from tests.unit.api.receiver import Receiver

SECRET = "hook-secret-hook-secret"


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    server = Receiver(SECRET).start()
    yield server
    server.stop()


def _exception(engine, **values) -> int:  # type: ignore[no-untyped-def]
    now = datetime.now(timezone.utc)
    row = {"key": "test:1", "type": "invoice_mismatch", "area": "invoice", "severity": "error",
           "partner_id": "acme", "subject": "vendor_invoice:1", "order_ref": "PO-1", "documents": [],
           "lines": [], "reason": "invoice total differs", "detail": {}, "status": "open",
           "first_seen": now, "last_seen": now, "occurrences": 1, **values}
    with engine.begin() as conn:
        return conn.execute(insert(reconcile_exceptions).values(**row)).inserted_primary_key[0]


def test_order_events_reach_the_receiver_signed(client, writer, engine, receiver) -> None:
    subscribe(engine, receiver.url, ["order.created", "shipment.recorded"], SECRET)
    oid = client.post("/v1/orders", headers=writer, json=order_body("HOOK-1")).json()["order"]["id"]
    client.post(f"/v1/orders/{oid}/shipments", headers=writer, json={})
    report = deliver_due(engine)
    assert report.delivered == 2, report.errors
    kinds = [r.body["type"] for r in receiver.received]
    assert kinds == ["order.created", "shipment.recorded"]
    assert all(r.signature_ok for r in receiver.received)
    data = receiver.received[0].body["data"]
    assert data["po_number"] == "HOOK-1" and data["actor"] == "api:webshop"
    assert deliver_due(engine).delivered == 0  # nothing new: the cursor moved on


def test_collection_is_idempotent_and_starts_from_the_cursor(client, writer, engine) -> None:
    client.post("/v1/orders", headers=writer, json=order_body("HOOK-2"))
    first = collect_events(engine)
    assert first >= 1
    assert collect_events(engine) == 0
    with engine.connect() as conn:
        refs = conn.execute(select(webhook_events.c.source_ref)).scalars().all()
    assert len(refs) == len(set(refs))


def test_exception_events_and_routes(client, reader, writer, engine, receiver) -> None:
    subscribe(engine, receiver.url, ["exception.*"], SECRET)
    eid = _exception(engine)
    listed = client.get("/v1/exceptions", headers=reader).json()
    assert [e["id"] for e in listed] == [eid] and listed[0]["status"] == "open"
    assert client.get("/v1/exceptions", headers=reader, params={"status": "resolved"}).json() == []
    no_note = client.post(f"/v1/exceptions/{eid}/resolve", headers=writer, json={})
    assert no_note.status_code == 422 and no_note.json()["errors"][0]["field"] == "note"
    assert client.post(f"/v1/exceptions/{eid}/resolve", headers=reader,
                       json={"note": "x"}).status_code == 403
    resolved = client.post(f"/v1/exceptions/{eid}/resolve", headers=writer,
                           json={"note": "credit memo received"})
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body["status"] == "resolved" and body["note"] == "credit memo received"
    assert body["acknowledged_by"] == "api:webshop"
    twice = client.post(f"/v1/exceptions/{eid}/resolve", headers=writer, json={"note": "again"})
    assert twice.status_code == 409 and twice.json()["state"] == "resolved"
    assert client.get("/v1/exceptions/999", headers=reader).status_code == 404
    report = deliver_due(engine)
    assert report.delivered == 2, report.errors
    assert [r.body["type"] for r in receiver.received] == ["exception.opened", "exception.resolved"]
    assert receiver.received[1].body["data"]["note"] == "credit memo received"
