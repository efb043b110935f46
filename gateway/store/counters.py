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
from gateway.store.upsert import insert_ignore

MAX_CONTROL = 999_999_999


@dataclass(frozen=True)
class ControlNumbers:
    """ISA13, GS06 and the first ST02 of one outbound interchange (mirrors
    gateway.mapping.ControlNumbers; converted at the call site when that one exists)."""
    isa: int
    gs: int
    st: int


def _bump(conn: Connection, partner_id: str, direction: str, isa: int, gs: int, st: int) -> tuple[int, int, int]:
    """Add to the counters in one statement; returns the new last values."""
    c = gateway_counters.c
    key = (c.partner_id == partner_id) & (c.direction == direction)
    row = conn.execute(update(gateway_counters).where(key)
                       .values(isa=c.isa + isa, gs=c.gs + gs, st=c.st + st)
                       .returning(c.isa, c.gs, c.st)).first()
    if row is None:
        inserted = insert_ignore(conn, gateway_counters, {"partner_id": partner_id, "direction": direction,
                                                          "isa": 0, "gs": 0, "st": 0},
                                 ["partner_id", "direction"])
        del inserted  # a concurrent insert is fine: the UPDATE below takes its row lock
        row = conn.execute(update(gateway_counters).where(key)
                           .values(isa=c.isa + isa, gs=c.gs + gs, st=c.st + st)
                           .returning(c.isa, c.gs, c.st)).first()
    values = tuple(row)
    if max(values) > MAX_CONTROL:   # wrap: ISA13 has nine digits
        wrapped = tuple(v if v <= MAX_CONTROL else n for v, n in zip(values, (isa, gs, st)))
        conn.execute(update(gateway_counters).where(key)
                     .values(isa=wrapped[0], gs=wrapped[1], st=wrapped[2]))
        values = wrapped
    return values  # type: ignore[return-value]


KINDS = ("isa", "gs", "st")


def next_value(conn: Connection, partner_id: str, direction: str, kind: str, count: int = 1) -> int:
    """Reserve `count` consecutive numbers of one kind; returns the first."""
    deltas = [count if k == kind else 0 for k in KINDS]
    last = _bump(conn, partner_id, direction, *deltas)[KINDS.index(kind)]
    return last - count + 1


def allocate(conn: Connection, partner_id: str, direction: str = "out", sets: int = 1) -> ControlNumbers:
    """Numbers for one interchange with one group of `sets` transaction sets: one statement."""
    isa, gs, st = _bump(conn, partner_id, direction, 1, 1, sets)
    return ControlNumbers(isa=isa, gs=gs, st=st - sets + 1)


def allocate_many(conn: Connection, partner_id: str, direction: str = "out",
                  count: int = 1) -> list[ControlNumbers]:
    """Numbers for `count` interchanges of one set each, in one statement: the same numbers
    `count` calls of `allocate` would give (near the wrap, the block restarts at 1)."""
    if count <= 0:
        return []
    isa, gs, st = _bump(conn, partner_id, direction, count, count, count)
    return [ControlNumbers(isa=isa - count + 1 + i, gs=gs - count + 1 + i, st=st - count + 1 + i)
            for i in range(count)]


def current(conn: Connection, partner_id: str, direction: str = "out") -> dict[str, int]:
    row = conn.execute(select(gateway_counters.c.isa, gateway_counters.c.gs, gateway_counters.c.st)
                       .where(gateway_counters.c.partner_id == partner_id,
                              gateway_counters.c.direction == direction)).first()
    return dict(zip(KINDS, row)) if row else {}
