"""The APScheduler 3 scheduler behind `ordergate run`.

Settings (RELIABILITY.md): coalesce=True (a backlog of missed runs collapses into one),
max_instances=1 (a job never overlaps itself), and a real misfire grace time (the default of one
second silently drops late runs). On SQLite all jobs share one worker thread, so the one process
never contends with itself for the write lock; on PostgreSQL they run on a small pool and several
processes may run side by side, each job claiming its (job, slot) first.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from gateway.flow.context import Gateway
from gateway.flow.passes import PassResult, receive_all, send_all
from gateway.flow.process import process_pending
from gateway.jobs.retention import prune_archive
from gateway.store.jobs import claim_slot, finish_slot

log = logging.getLogger("ordergate.jobs")

MISFIRE_GRACE_SECONDS = 300
DEFAULTS = {"send_seconds": 10.0, "reconcile_seconds": 3600.0, "retention_seconds": 86400.0,
            "webhook_seconds": 30.0}


def _setting(gw: Gateway, key: str) -> float:
    return float((gw.home.settings.get("gateway") or {}).get(key, DEFAULTS[key]))


def slot_for(interval: float, now: float | None = None) -> str:
    """The time slot a run belongs to: runs of one job within one interval share it."""
    now = time.time() if now is None else now
    return str(int(now // max(interval, 1.0)))


def guarded(gw: Gateway, job: str, interval: float, work: Callable[[], Any]) -> Callable[[], None]:
    """Wrap `work` so it runs at most once per (job, slot) across every process, and never lets
    an exception kill the scheduler thread (it is logged, the next slot tries again)."""
    def run() -> None:
        slot = slot_for(interval)
        if not claim_slot(gw.engine, job, slot):
            log.debug("%s slot %s already taken", job, slot)
            return
        try:
            detail = work()
        except Exception as exc:  # noqa: BLE001 - logged and recorded; the next slot retries
            log.error("job %s failed: %s: %s", job, type(exc).__name__, exc)
            finish_slot(gw.engine, job, slot, "failed", {"error": f"{type(exc).__name__}: {exc}"})
            return
        finish_slot(gw.engine, job, slot, "done", detail if isinstance(detail, dict) else None)
    run.__name__ = job
    return run


def poll_job(gw: Gateway, partner_id: str) -> Callable[[], dict[str, Any]]:
    def work() -> dict[str, Any]:
        result = PassResult()
        receive_all(gw, result, wait=True, partner_ids=[partner_id])
        result.processed = process_pending(gw)
        return result.summary()
    return work


def send_job(gw: Gateway) -> Callable[[], dict[str, Any]]:
    def work() -> dict[str, Any]:
        result = PassResult()
        result.processed = process_pending(gw)   # anything left by a crash
        send_all(gw, result)
        return result.summary()
    return work


def build_scheduler(gw: Gateway) -> BackgroundScheduler:
    workers = 1 if gw.is_sqlite else 4
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(workers)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone="UTC")
    for pid, partner in sorted(gw.partners.items()):
        interval = float(partner.transport.poll_seconds)
        scheduler.add_job(guarded(gw, f"poll:{pid}", interval, poll_job(gw, pid)), "interval",
                          seconds=interval, id=f"poll:{pid}", next_run_time=_now())
    send = _setting(gw, "send_seconds")
    scheduler.add_job(guarded(gw, "send", send, send_job(gw)), "interval", seconds=send, id="send",
                      next_run_time=_now())
    every = _setting(gw, "reconcile_seconds")
    scheduler.add_job(guarded(gw, "reconcile", every, lambda: _call_reconcile(gw)),
                      "interval", seconds=every, id="reconcile")
    hooks = _setting(gw, "webhook_seconds")
    scheduler.add_job(guarded(gw, "webhooks", hooks, lambda: _deliver_webhooks(gw)),
                      "interval", seconds=hooks, id="webhooks")
    keep = _setting(gw, "retention_seconds")
    scheduler.add_job(guarded(gw, "retention", keep, lambda: {"removed": prune_archive(gw)}),
                      "interval", seconds=keep, id="retention")
    return scheduler


def _call_reconcile(gw: Gateway) -> dict[str, Any]:
    """`run_all(core_or_engine, partners)`: the reconciliation part's entry point."""
    from gateway.reconcile import run_all

    summary = run_all(gw.core, gw.partners)
    to_json = getattr(summary, "to_json", None)
    return to_json() if callable(to_json) else {"summary": str(summary)[:500]}


def _deliver_webhooks(gw: Gateway) -> dict[str, Any]:
    """Signed webhook deliveries due now (safe beside `ordergate api`'s own sender: deliveries
    are claimed with a conditional update)."""
    from gateway.api.webhooks.delivery import deliver_due

    return deliver_due(gw.engine).to_json()


def _now() -> Any:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
