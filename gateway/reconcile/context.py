"""What every check gets: the connection, the run's clock and the per-partner settings table.

Windows are turned into cut-off timestamps here, once per partner (`as_of - window`), and written
to the temporary `reconcile_partner_settings`; a check then compares a timestamp column with the joined cut-off,
which is portable SQL on SQLite and PostgreSQL alike (no interval arithmetic in the database).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import delete, func, insert, select, union
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from core.adapters import tables as core
from gateway.reconcile.settings import DEFAULTS, ReconcileSettings
from gateway.reconcile.tables import reconcile_partner_settings as S

EPSILON = 0.00005  # quantities and money are NUMERIC(18,4); SQLite computes in floating point


@dataclass
class RunContext:
    conn: Connection
    as_of: datetime
    run_id: int
    settings: Mapping[str, ReconcileSettings]
    core: Any = None  # the Core facade when the caller has one (re-sourcing rejected lines)
    no_855_partners: frozenset[str] = frozenset()  # profiles that do not exchange an 855 out
    no_856_partners: frozenset[str] = frozenset()  # ... nor an 856 out
    notes: list[str] = field(default_factory=list)  # things a person should know about the run

    @property
    def sqlite(self) -> bool:
        return self.conn.dialect.name == "sqlite"

    def days_between(self, later: Any, earlier: Any) -> ColumnElement:
        """Whole days from `earlier` to `later` (two DATE columns)."""
        if self.sqlite:
            return func.julianday(later) - func.julianday(earlier)
        return later - earlier

    def settings_for(self, partner_id: str | None) -> ReconcileSettings:
        return self.settings.get(partner_id or "", DEFAULTS)


def settings_row(partner_id: str, s: ReconcileSettings, as_of: datetime) -> dict[str, Any]:
    def before(hours: float) -> datetime:
        return as_of - timedelta(hours=float(hours))

    return {
        "partner_id": partner_id,
        "ack_cutoff": before(s.ack_within_hours),
        "vendor_ack_cutoff": before(s.vendor_ack_within_hours),
        "customer_ack_cutoff": before(s.customer_ack_within_hours),
        "asn_cutoff": before(s.asn_within_hours),
        "in_transit_cutoff": before(float(s.in_transit_days) * 24),
        "invoice_cutoff": before(float(s.invoice_within_days) * 24),
        "late_grace_days": s.late_grace_days,
        "quantity_tolerance_percent": s.quantity_tolerance_percent,
        "quantity_tolerance_units": s.quantity_tolerance_units,
        "price_tolerance_percent": s.price_tolerance_percent,
        "price_tolerance_amount": s.price_tolerance_amount,
        "total_tolerance_amount": s.total_tolerance_amount,
        "resource_rejected_lines": s.resource_rejected_lines,
        "allowed_charges": "," + ",".join(c.strip().upper() for c in s.allowed_charge_codes) + ",",
    }


def write_settings(conn: Connection, settings: Mapping[str, ReconcileSettings],
                   as_of: datetime) -> None:
    """One row per partner we know of or that appears on an order or vendor PO (defaults for
    partners without a profile, so an unknown partner is reconciled, not skipped)."""
    S.create(conn, checkfirst=True)  # TEMPORARY: gone when the read transaction ends
    conn.execute(delete(S))
    seen = {pid for (pid,) in conn.execute(union(
        select(core.orders.c.partner_id).where(core.orders.c.partner_id.is_not(None)).distinct(),
        select(core.vendor_orders.c.vendor).distinct()))}
    rows = [settings_row(pid, settings.get(pid, DEFAULTS), as_of)
            for pid in sorted(seen | set(settings))]
    if rows:
        conn.execute(insert(S), rows)


def within(diff: Any, base: Any, percent: Any, units: Any) -> ColumnElement:
    """|diff| within max(|base| * percent / 100, units): the usual 'whichever is larger' rule."""
    allowed_pct = func.abs(base) * percent / 100
    return (func.abs(diff) <= allowed_pct + EPSILON) | (func.abs(diff) <= units + EPSILON)
