"""Partner status: the profile's essentials plus what the gateway's tables say about it: the last
file in and out, acknowledgements pending and overdue, errors and quarantined files, and open
reconciliation exceptions. A handful of grouped queries for all partners at once."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, inspect, select

from gateway.api import clock
from gateway.api.views.convert import when

ERROR_WINDOW = timedelta(days=7)


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def partner_status(conn: Connection, partner_ids: list[str], now: datetime | None = None
                   ) -> dict[str, dict[str, Any]]:
    now = clock.utc(now) or clock.now()
    status: dict[str, dict[str, Any]] = {
        pid: {"last_file_in": None, "last_file_out": None, "acks_pending": 0, "acks_overdue": 0,
              "errors_7d": 0, "files_quarantined": 0, "exceptions_open": 0} for pid in partner_ids}
    present = _tables(conn)
    if "gateway_files" in present:
        import gateway.store.tables as g

        f, d, e = g.gateway_files.c, g.gateway_documents.c, g.gateway_errors.c
        for pid, at in conn.execute(select(f.partner_id, func.max(f.received_at)).group_by(f.partner_id)):
            if pid in status:
                status[pid]["last_file_in"] = when(at)
        for pid, at in conn.execute(select(d.partner_id, func.max(d.sent_at))
                                    .where(d.direction == "out").group_by(d.partner_id)):
            if pid in status:
                status[pid]["last_file_out"] = when(at)
        for pid, pending, overdue in conn.execute(
                select(d.partner_id, func.count(),
                       func.sum(case((d.ack_due_at < now, 1), else_=0)))
                .where(d.direction == "out", d.ack_status == "pending").group_by(d.partner_id)):
            if pid in status:
                status[pid]["acks_pending"] = int(pending or 0)
                status[pid]["acks_overdue"] = int(overdue or 0)
        for pid, count in conn.execute(select(e.partner_id, func.count())
                                       .where(e.created_at >= now - ERROR_WINDOW).group_by(e.partner_id)):
            if pid in status:
                status[pid]["errors_7d"] = int(count)
        for pid, count in conn.execute(select(f.partner_id, func.count())
                                       .where(f.state == "quarantined").group_by(f.partner_id)):
            if pid in status:
                status[pid]["files_quarantined"] = int(count)
    if "reconcile_exceptions" in present:
        from gateway.reconcile.tables import reconcile_exceptions as rx

        for pid, count in conn.execute(select(rx.c.partner_id, func.count())
                                       .where(rx.c.status != "resolved").group_by(rx.c.partner_id)):
            if pid in status:
                status[pid]["exceptions_open"] = int(count)
    return status


def profile_json(profile: Any) -> dict[str, Any]:
    transport = getattr(profile, "transport", None)
    return {"id": profile.id, "name": getattr(profile, "name", profile.id),
            "role": _value(getattr(profile, "role", None)),
            "transport": _value(getattr(transport, "type", None)) if transport else None,
            "documents": [{"type": _value(getattr(d, "type", None)),
                           "direction": _value(getattr(d, "direction", None)),
                           "format": _value(getattr(d, "format", None))}
                          for d in (getattr(profile, "documents", None) or [])],
            "usage": _value(getattr(profile, "usage", None))}


def _value(value: Any) -> Any:
    return getattr(value, "value", value)
