"""Merge one run's findings into the exception records, set-based.

Findings are bulk-inserted into the staging table, then four statements do the rest:
refresh the rows already known (reopening resolved ones), insert the new ones, and resolve the
open ones of the checked types that this run no longer finds. A check that failed this run
does not resolve anything of its types: a broken query must not look like settled business.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Mapping

from sqlalchemy import and_, case, delete, exists, func, insert, select, update
from sqlalchemy.engine import Connection

from gateway.reconcile.findings import Finding
from gateway.reconcile.kinds import Status
from gateway.reconcile.tables import reconcile_exceptions as X
from gateway.reconcile.tables import reconcile_findings as F

CHUNK = 5000


@dataclass
class MergeCounts:
    found: int = 0
    opened: int = 0
    reopened: int = 0
    resolved: int = 0


# key -> text of the document that settled it, for those the check can name
Settler = Callable[[Connection, list[dict]], Mapping[str, str]]


def merge(conn: Connection, run_id: int, as_of: datetime, findings: Iterable[Finding],
          types_checked: Iterable[str], settlers: Mapping[str, Settler] | None = None) -> MergeCounts:
    counts = MergeCounts()
    rows = {f.key: f.row(run_id) for f in findings}  # a key found twice in a run counts once
    counts.found = len(rows)
    batch = list(rows.values())
    for start in range(0, len(batch), CHUNK):
        conn.execute(insert(F), batch[start:start + CHUNK])
    mine = and_(F.c.run_id == run_id, F.c.key == X.c.key)

    counts.reopened = conn.execute(
        select(func.count()).select_from(X).where(X.c.status == Status.RESOLVED.value,
                                                  exists().where(mine))).scalar_one()
    was_resolved = X.c.status == Status.RESOLVED.value
    conn.execute(
        update(X).where(mine).values(
            last_seen=as_of, severity=F.c.severity, amount=F.c.amount, reason=F.c.reason,
            detail=F.c.detail, documents=F.c.documents, lines=F.c.lines, subject=F.c.subject,
            status=case((was_resolved, Status.OPEN.value), else_=X.c.status),
            occurrences=X.c.occurrences + case((was_resolved, 1), else_=0),
            resolved_at=case((was_resolved, None), else_=X.c.resolved_at),
            note=case((was_resolved, "reopened: found again"), else_=X.c.note),
        ))

    new = select(
        F.c.key, F.c.type, F.c.area, F.c.severity, F.c.partner_id, F.c.subject, F.c.order_ref,
        F.c.documents, F.c.lines, F.c.amount, F.c.reason, F.c.detail,
    ).add_columns(*_literals(as_of)).where(
        F.c.run_id == run_id, ~exists().where(X.c.key == F.c.key))
    counts.opened = conn.execute(select(func.count()).select_from(F).where(
        F.c.run_id == run_id, ~exists().where(X.c.key == F.c.key))).scalar_one()
    conn.execute(insert(X).from_select(
        ["key", "type", "area", "severity", "partner_id", "subject", "order_ref", "documents",
         "lines", "amount", "reason", "detail", "status", "first_seen", "last_seen",
         "occurrences"], new))

    types = sorted(set(types_checked))
    gone_where = and_(X.c.status != Status.RESOLVED.value, X.c.type.in_(types),
                      ~exists().where(mine))
    gone = [dict(r._mapping) for r in conn.execute(
        select(X.c.id, X.c.key, X.c.type, X.c.subject, X.c.documents, X.c.detail)
        .where(gone_where))]
    counts.resolved = len(gone)
    if gone:
        notes = _settle_notes(conn, gone, settlers or {}, as_of)
        by_note: dict[str, list[int]] = {}
        for row in gone:
            by_note.setdefault(notes[row["key"]], []).append(row["id"])
        for note, ids in by_note.items():
            for start in range(0, len(ids), CHUNK):
                conn.execute(update(X).where(X.c.id.in_(ids[start:start + CHUNK])).values(
                    status=Status.RESOLVED.value, resolved_at=as_of, note=note))
    conn.execute(delete(F).where(F.c.run_id == run_id))
    return counts


def _literals(as_of: datetime):
    from sqlalchemy import literal

    return (literal(Status.OPEN.value).label("status"), literal(as_of, X.c.first_seen.type)
            .label("first_seen"), literal(as_of, X.c.last_seen.type).label("last_seen"),
            literal(1).label("occurrences"))


def _settle_notes(conn: Connection, gone: list[dict], settlers: Mapping[str, Settler],
                  as_of: datetime) -> dict[str, str]:
    fallback = f"settled: no longer found as of {as_of:%Y-%m-%d %H:%M} UTC"
    notes = {row["key"]: fallback for row in gone}
    by_type: dict[str, list[dict]] = {}
    for row in gone:
        by_type.setdefault(row["type"], []).append(row)
    for type_, rows in by_type.items():
        settler = settlers.get(type_)
        if settler is None:
            continue
        for key, document in settler(conn, rows).items():
            if document:
                notes[key] = f"settled by {document}"
    return notes
