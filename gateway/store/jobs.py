"""Job runs keyed by (job, slot): a scheduled job first claims its slot (e.g. "poll:demo-retailer"
at 10:05:00); a second fire of the same slot, from this process or another, finds it taken and
does nothing. APScheduler's own stores cannot be shared between processes; this table can."""
from __future__ import annotations

import os
import socket
from typing import Any

from sqlalchemy import Connection, Engine, update

from gateway.store.clock import utcnow
from gateway.store.tables import gateway_job_runs
from gateway.store.upsert import insert_ignore

OWNER = f"{socket.gethostname()}:{os.getpid()}"


def claim_slot(engine: Engine, job: str, slot: str) -> bool:
    """True when this process won (job, slot); commit happens before the work starts."""
    with engine.begin() as conn:
        return insert_ignore(conn, gateway_job_runs,
                             {"job": job, "slot": slot, "owner": OWNER, "started_at": utcnow(),
                              "outcome": "running"}, ["job", "slot"]) == 1


def finish_slot(engine: Engine, job: str, slot: str, outcome: str, detail: dict[str, Any] | None = None) -> None:
    with engine.begin() as conn:
        finish(conn, job, slot, outcome, detail)


def finish(conn: Connection, job: str, slot: str, outcome: str, detail: dict[str, Any] | None) -> None:
    conn.execute(update(gateway_job_runs)
                 .where(gateway_job_runs.c.job == job, gateway_job_runs.c.slot == slot)
                 .values(finished_at=utcnow(), outcome=outcome, detail=detail))
