"""Control numbers per partner and direction, allocated inside the caller's transaction.

The row is incremented with one UPDATE (which takes the row lock on PostgreSQL and is serialised by
BEGIN IMMEDIATE on SQLite), so two processes never get the same number; a rolled-back transaction
gives its number back, a committed one never reuses it. Numbers wrap at 999,999,999 (ISA13 is
nine digits) back to 1.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from gateway.store.tables import gateway_counters

MAX_CONTROL = 999_999_999


@dataclass(frozen=True)
class ControlNumbers:
    """ISA13, GS06 and the first ST02 of one outbound interchange (mirrors
    gateway.mapping.ControlNumbers; converted at the call site when that one exists)."""
    isa: int
    gs: int
    st: int


def next_value(conn: Connection, partner_id: str, direction: str, kind: str, count: int = 1) -> int:
    """Reserve `count` consecutive numbers; returns the first."""
    key = ((gateway_counters.c.partner_id == partner_id) & (gateway_counters.c.direction == direction)
           & (gateway_counters.c.kind == kind))
    row = conn.execute(update(gateway_counters).where(key)
                       .values(value=gateway_counters.c.value + count)
                       .returning(gateway_counters.c.value)).first()
    if row is None:
        conn.execute(insert(gateway_counters).values(partner_id=partner_id, direction=direction,
                                                      kind=kind, value=count))
        last = count
    else:
        last = row[0]
    if last > MAX_CONTROL:
        conn.execute(update(gateway_counters).where(key).values(value=count))
        last = count
    return last - count + 1


def allocate(conn: Connection, partner_id: str, direction: str = "out", sets: int = 1) -> ControlNumbers:
    """Numbers for one interchange with one group of `sets` transaction sets."""
    return ControlNumbers(isa=next_value(conn, partner_id, direction, "isa"),
                          gs=next_value(conn, partner_id, direction, "gs"),
                          st=next_value(conn, partner_id, direction, "st", sets))


def current(conn: Connection, partner_id: str, direction: str = "out") -> dict[str, int]:
    rows = conn.execute(select(gateway_counters.c.kind, gateway_counters.c.value)
                        .where(gateway_counters.c.partner_id == partner_id,
                               gateway_counters.c.direction == direction)).all()
    return {kind: value for kind, value in rows}
