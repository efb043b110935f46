"""Scheduled jobs: a (job, slot) runs once however often it fires, a failing job is recorded and
does not kill the scheduler, and every job is registered with coalesce, max_instances=1 and a
real misfire grace time."""
from __future__ import annotations

from sqlalchemy import select

from gateway.jobs.scheduler import MISFIRE_GRACE_SECONDS, build_scheduler, guarded, slot_for
from gateway.store.tables import gateway_job_runs


def test_slot_is_the_interval_the_time_falls_in():
    assert slot_for(60, 120.0) == slot_for(60, 179.9) != slot_for(60, 180.0)


def test_double_fire_does_the_work_once_and_failures_are_recorded(bare_gateway):
    calls = []
    job = guarded(bare_gateway, "poll:x", 3600, lambda: calls.append(1) or {"n": len(calls)})
    job()
    job()
    assert calls == [1]

    def boom():
        raise RuntimeError("mailbox unreachable")

    guarded(bare_gateway, "send", 3600, boom)()   # must not raise
    with bare_gateway.engine.connect() as conn:
        rows = {r.job: (r.outcome, r.detail) for r in conn.execute(select(gateway_job_runs))}
    assert rows["poll:x"] == ("done", {"n": 1})
    assert rows["send"][0] == "failed" and "mailbox unreachable" in rows["send"][1]["error"]


def test_scheduler_jobs_and_their_settings(bare_gateway):
    scheduler = build_scheduler(bare_gateway)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert {"poll:demo-retailer", "poll:demo-vendor", "send", "retention", "reconcile",
            "webhooks"} <= set(jobs)
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS
    assert jobs["poll:demo-retailer"].trigger.interval.total_seconds() == 10



def test_the_scheduled_webhook_job_delivers_signed_events(bare_gateway):
    """`ordergate run` alone (no `ordergate api`) still sends webhooks: the scheduler's job
    collects the event and a real loopback receiver verifies its signature."""
    from datetime import datetime, timezone

    from gateway.api.webhooks import publish, subscribe
    from tests.unit.api.receiver import Receiver

    import gateway.api.tables  # noqa: F401 - the webhook tables join the shared metadata
    from core.adapters.tables import metadata

    metadata.create_all(bare_gateway.engine)   # the bare gateway has only its own tables
    secret = "scheduler-webhook-secret"
    receiver = Receiver(secret).start()
    try:
        subscribe(bare_gateway.engine, receiver.url, ["order.*"], secret)
        with bare_gateway.engine.begin() as conn:
            publish(conn, "order.created", "order:1", {"order_id": 1, "po_number": "PO-HOOK"},
                    datetime.now(timezone.utc))
        scheduler = build_scheduler(bare_gateway)
        job = next(job for job in scheduler.get_jobs() if job.id == "webhooks")
        job.func()
    finally:
        receiver.stop()
    assert [(r.signature_ok, r.body["data"]["po_number"]) for r in receiver.received] == [
        (True, "PO-HOOK")]
