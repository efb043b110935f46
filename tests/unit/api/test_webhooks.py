"""Webhooks end to end on loopback: subscribe, publish, deliver signed, retry with backoff after a
500, give up after max_attempts, redeliver by hand; and the signature helper on its own."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from gateway.api.settings import WebhookSettings
from gateway.api.tables import webhook_deliveries
from gateway.api.webhooks import (SignatureError, deliver_due, publish, sign, subscribe,
                                  verify_signature)
from gateway.api.webhooks.backoff import next_attempt
from gateway.api.webhooks.delivery import redeliver
from tests.unit.api.receiver import Receiver

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)  # fixed clock where no receiver checks the time
SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def t0() -> datetime:
    """The real time: the receiver checks the signature's timestamp against its own clock."""
    return datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    server = Receiver(SECRET).start()
    yield server
    server.stop()


def _publish(engine, event_type: str = "order.created", ref: str = "test:1", at: datetime = T0) -> int | None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        return publish(conn, event_type, ref, {"order_id": 1, "po_number": "PO-1"}, at)


def _deliveries(engine):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(webhook_deliveries).order_by(webhook_deliveries.c.id)).all()


def test_sign_and_verify_round_trip() -> None:
    body = b'{"a":1}'
    header = sign(SECRET, body, 1_700_000_000)
    assert verify_signature(SECRET, header, body, 1_700_000_010) == 1_700_000_000
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(SECRET, header, b'{"a":2}', 1_700_000_010)
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature("other-secret", header, body, 1_700_000_010)
    with pytest.raises(SignatureError, match="window"):
        verify_signature(SECRET, header, body, 1_700_000_000 + 3600)
    with pytest.raises(SignatureError, match="missing"):
        verify_signature(SECRET, None, body, 0)
    with pytest.raises(SignatureError, match="no timestamp"):
        verify_signature(SECRET, "v1=abc", body, 0)


def test_delivery_is_signed_and_retried_after_500(engine, receiver, t0) -> None:
    receiver.script = [500]
    sub = subscribe(engine, receiver.url, ["order.*"], SECRET)
    assert _publish(engine, at=t0) is not None
    settings = WebhookSettings(backoff_base_seconds=30, max_attempts=3)

    first = deliver_due(engine, t0, settings=settings, collect=False)
    assert (first.delivered, first.failed) == (0, 1)
    assert "HTTP 500" in first.errors[0]
    row = _deliveries(engine)[0]
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, 500)

    early = deliver_due(engine, t0 + timedelta(seconds=10), settings=settings, collect=False)
    assert early.delivered == 0 and len(receiver.received) == 1  # not due yet: backoff holds

    second = deliver_due(engine, t0 + timedelta(seconds=31), settings=settings, collect=False)
    assert second.delivered == 1
    assert [r.answered for r in receiver.received] == [500, 200]
    assert all(r.signature_ok for r in receiver.received)
    body = receiver.received[-1].body
    assert body["type"] == "order.created" and body["data"]["po_number"] == "PO-1"
    headers = {k.lower(): v for k, v in receiver.received[-1].headers.items()}
    assert headers["ordergate-event"] == "order.created"
    row = _deliveries(engine)[0]
    assert (row.status, row.attempts, row.subscription_id) == ("delivered", 2, sub.id)
    assert deliver_due(engine, t0 + timedelta(hours=1), settings=settings, collect=False).delivered == 0


def test_wrong_secret_is_detected_by_receiver(engine, receiver, t0) -> None:
    subscribe(engine, receiver.url, ["*"], "a-different-secret-value")
    _publish(engine, at=t0)
    report = deliver_due(engine, t0, collect=False)
    assert receiver.received[0].signature_ok is False
    assert report.failed == 1  # the receiver answered 401


def test_gives_up_after_max_attempts_then_redelivers_by_hand(engine, receiver, t0) -> None:
    receiver.script = [503, 503]
    subscribe(engine, receiver.url, ["order.created"], SECRET)
    _publish(engine, at=t0)
    settings = WebhookSettings(backoff_base_seconds=1, max_attempts=2)
    deliver_due(engine, t0, settings=settings, collect=False)
    report = deliver_due(engine, t0 + timedelta(seconds=5), settings=settings, collect=False)
    assert report.dead == 1
    row = _deliveries(engine)[0]
    assert (row.status, row.attempts) == ("dead", 2)
    assert redeliver(engine, row.id, t0 + timedelta(minutes=1))
    assert deliver_due(engine, t0 + timedelta(minutes=1), settings=settings, collect=False).delivered == 1


def test_unreachable_receiver_is_a_retry_not_a_crash(engine) -> None:
    subscribe(engine, "http://127.0.0.1:9/closed", ["*"], SECRET)
    _publish(engine)
    report = deliver_due(engine, T0, settings=WebhookSettings(timeout_seconds=2), collect=False)
    assert report.failed == 1 and "127.0.0.1:9" in report.errors[0]


def test_events_are_filtered_and_published_once(engine, receiver, t0) -> None:
    subscribe(engine, receiver.url, ["shipment.recorded"], SECRET)
    assert _publish(engine, "order.created", "a", t0) is not None
    assert _publish(engine, "shipment.recorded", "b", t0) is not None
    assert _publish(engine, "shipment.recorded", "b", t0) is None  # same source_ref: no second event
    deliver_due(engine, t0, collect=False)
    assert [r.body["type"] for r in receiver.received] == ["shipment.recorded"]
    assert json.loads(json.dumps(receiver.received[0].body))["id"].startswith("evt_")


def test_backoff_grows_and_caps() -> None:
    settings = WebhookSettings(backoff_base_seconds=30, backoff_cap_seconds=3600, max_attempts=6)
    delays = [(next_attempt(n, T0, settings) - T0).total_seconds() for n in range(1, 6)]
    assert delays == [30, 120, 480, 1920, 3600]
    assert next_attempt(6, T0, settings) is None


def test_subscription_routes(client, admin, reader, receiver) -> None:
    bad = client.post("/v1/webhooks", headers=admin, json={"url": "ftp://x", "events": ["*"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "url"
    bad = client.post("/v1/webhooks", headers=admin, json={"url": receiver.url, "events": ["nope"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "events"
    created = client.post("/v1/webhooks", headers=admin,
                          json={"url": receiver.url, "events": ["order.*"], "secret": SECRET})
    assert created.status_code == 201 and created.json()["secret"] == SECRET
    listed = client.get("/v1/webhooks", headers=reader).json()
    assert [s["url"] for s in listed] == [receiver.url] and "secret" not in listed[0]
    sub_id = created.json()["id"]
    assert client.get("/v1/webhook-deliveries", headers=reader).json() == []
    assert client.delete(f"/v1/webhooks/{sub_id}", headers=admin).status_code == 204
    assert client.delete(f"/v1/webhooks/{sub_id}", headers=admin).status_code == 404


def test_retention_prunes_old_events_but_keeps_pending_ones(engine) -> None:
    from sqlalchemy import func

    from gateway.api.retention import prune
    from gateway.api.tables import webhook_events

    subscribe(engine, "http://127.0.0.1:9/x", ["*"], SECRET)
    _publish(engine, "order.created", "old-pending", T0)
    _publish(engine, "order.created", "old-done", T0)
    with engine.begin() as conn:
        conn.execute(webhook_deliveries.update().where(webhook_deliveries.c.event_id == 2)
                     .values(status="delivered"))
    result = prune(engine, T0 + timedelta(days=31))
    assert result["webhook_events"] == 1
    with engine.connect() as conn:
        left = conn.execute(select(webhook_events.c.source_ref)).scalars().all()
        assert left == ["old-pending"]
        assert conn.execute(select(func.count()).select_from(webhook_deliveries)).scalar() == 1
