"""One reconciliation pass: every check, one merge, outcomes, then follow-up commands.

Two phases. The checks read in one snapshot (a deferred transaction: on SQLite with WAL it never
blocks the gateway's writers, however long the pass); what they found is then merged in one short
write transaction, so a report never sees half a run. Each check runs inside a savepoint: one that
fails is recorded in the run (its exception types are left as they were) while the others go on. Commands on the core (re-sourcing rejected lines) run after the
commit, each in the core's own unit of work.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from sqlalchemy import Engine, insert, inspect, select, text, update

from gateway.reconcile.checks import Check, all_checks
from gateway.reconcile.context import RunContext, write_settings
from gateway.reconcile.findings import Finding
from gateway.reconcile.ledger import merge
from gateway.reconcile.settings import settings_by_partner
from gateway.reconcile.tables import reconcile_exceptions as X
from gateway.reconcile.tables import reconcile_runs as R

ADVISORY_LOCK = 0x5EC0  # PostgreSQL advisory lock id held by the write phase of a pass


@dataclass
class RunSummary:
    run_id: int
    as_of: datetime
    found: int = 0
    opened: int = 0
    reopened: int = 0
    resolved: int = 0
    matched: int = 0
    disputed: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # check (and merge) -> seconds

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(timezone.utc)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _engine_and_core(core_or_engine: Any) -> tuple[Engine, Any]:
    if isinstance(core_or_engine, Engine):
        return core_or_engine, None
    engine = getattr(core_or_engine, "engine", None)
    if not isinstance(engine, Engine):
        raise TypeError("run_all needs a core.bootstrap.Core or an SQLAlchemy Engine")
    return engine, core_or_engine


def _partners_without(partners: Mapping[str, Any], doc_type: str) -> frozenset[str]:
    out = set()
    for pid, profile in partners.items():
        lookup = getattr(profile, "document", None)
        if callable(lookup) and lookup(doc_type, "out") is None:
            out.add(pid)
    return frozenset(out)


def run_all(core_or_engine: Any, partners: Mapping[str, Any] | None = None,
            as_of: datetime | None = None, checks: list[Check] | None = None) -> RunSummary:
    """Reconcile everything as of `as_of` (default now, UTC). Safe to rerun: exceptions are
    keyed, so a rerun updates them, and resolves the ones whose condition is gone."""
    started = time.perf_counter()
    engine, core = _engine_and_core(core_or_engine)
    partners = dict(partners or {})
    as_of = utc(as_of)
    settings = settings_by_partner(partners)
    checks = checks if checks is not None else all_checks()
    new_by_type: dict[str, list[dict]] = {}
    summary = RunSummary(run_id=0, as_of=as_of)
    # 1. read: every check, in one snapshot; a deferred transaction on SQLite (WAL), so writers
    #    are never blocked however long this takes. Rolled back: it only wrote temporary rows.
    reader = engine.connect().execution_options(sqlite_begin="DEFERRED")
    try:
        with reader.begin() as tx:
            ctx = RunContext(reader, as_of, 0, settings, core,
                             no_855_partners=_partners_without(partners, "855"),
                             no_856_partners=_partners_without(partners, "856"))
            findings, checked = _find_all(ctx, checks, summary)
            tx.rollback()
    finally:
        reader.close()
    # 2. write: one short transaction merges what was found and records the run
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one pass at a time across processes
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        run_id = conn.execute(insert(R).values(as_of=as_of, started_at=utc(None), found=0, opened=0,
                                               resolved=0, matched=0, errors=[])
                              .returning(R.c.id)).scalar_one()
        summary.run_id = run_id
        settlers = {k: v for c in checks for k, v in c.settlers.items()}
        began = time.perf_counter()
        counts = merge(conn, run_id, as_of, findings, checked, settlers)
        summary.timings["merge"] = round(time.perf_counter() - began, 4)
        summary.found, summary.opened = counts.found, counts.opened
        summary.reopened, summary.resolved = counts.reopened, counts.resolved
        for f in findings:
            summary.by_type[f.type.value] = summary.by_type.get(f.type.value, 0) + 1
        hooks = {k: v for c in checks for k, v in c.after.items()}
        if hooks:
            rows = conn.execute(select(X.c.key, X.c.type, X.c.partner_id, X.c.detail).where(
                X.c.type.in_(sorted(hooks)), X.c.first_seen == as_of, X.c.status == "open"))
            for row in rows.mappings():
                new_by_type.setdefault(row["type"], []).append(dict(row))
        from gateway.reconcile.checks.invoices import outcome_counts, record_outcomes

        began = time.perf_counter()
        record_outcomes(conn, as_of)
        summary.matched, summary.disputed = outcome_counts(conn)
        summary.timings["outcomes"] = round(time.perf_counter() - began, 4)
        summary.notes.extend(ctx.notes)
        conn.execute(update(R).where(R.c.id == run_id).values(
            finished_at=utc(None), found=summary.found, opened=summary.opened,
            resolved=summary.resolved, matched=summary.matched, errors=summary.errors))
    for type_, rows in new_by_type.items():
        hooks[type_](ctx, rows)
    summary.notes = [*summary.notes, *[n for n in ctx.notes if n not in summary.notes]]
    summary.seconds = time.perf_counter() - started
    return summary


def _find_all(ctx: RunContext, checks: list[Check], summary: RunSummary
              ) -> tuple[list[Finding], list[str]]:
    """Run every check; each in a savepoint so a failing one is recorded and the rest go on."""
    write_settings(ctx.conn, ctx.settings, ctx.as_of)
    tables = set(inspect(ctx.conn).get_table_names())
    findings: list[Finding] = []
    checked: list[str] = []
    for check in checks:
        missing = [t for t in check.needs if t not in tables]
        if missing:
            summary.notes.append(f"{check.name}: skipped, table {', '.join(missing)} not installed")
            continue
        began = time.perf_counter()
        try:
            with ctx.conn.begin_nested():
                found = list(check.find(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken check must not stop the others
            summary.errors.append(f"{check.name}: {type(exc).__name__}: {exc}")
            continue
        finally:
            summary.timings[check.name] = round(time.perf_counter() - began, 4)
        findings.extend(found)
        checked.extend(t.value for t in check.types)
    return findings, checked
