"""Inventory levels, the movement ledger and reference data (locations, items, vendor items).
Levels are read for all of an order's items in one query (locked FOR UPDATE on PostgreSQL) and
written back as deltas, batched; movements are one executemany."""
from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import Any, Iterable

from sqlalchemy import Connection, bindparam, select, tuple_

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter, Remembered
from core.inventory.ledger import Ledger, Level
from core.inventory.locations import Location


_lv = t.inventory_levels.c
# Statements built once: constructing a select and its cache key per call cost more than
# running it on the hot path.
LEVELS = (select(_lv.sku, _lv.location, _lv.on_hand, _lv.reserved, _lv.in_transit,
                 _lv.safety_stock).where(_lv.sku.in_(bindparam("skus", expanding=True))))
LEVELS_LOCKED = LEVELS.order_by(_lv.sku, _lv.location).with_for_update()
ITEMS = select(t.items).where(t.items.c.sku.in_(bindparam("skus", expanding=True)))
ITEMS_BY_UPC = select(t.items).where(t.items.c.upc.in_(bindparam("upcs", expanding=True)))
VENDOR_ITEMS = select(t.vendor_items.c.location, t.vendor_items.c.sku, t.vendor_items.c.cost
                      ).where(t.vendor_items.c.sku.in_(bindparam("skus", expanding=True)))
MOVEMENT_INSERT_COLS = ("sku", "location", "kind", "on_hand_delta", "reserved_delta",
                        "in_transit_delta", "order_id", "line_id", "reference", "at")
_MOVEMENT = itemgetter("sku", "location", "kind", "on_hand_delta", "reserved_delta",
                       "in_transit_delta", "order", "line", "reference", "at")
LOCATIONS = select(t.locations).where(t.locations.c.active.is_(True)).order_by(t.locations.c.code)


class InventoryRepository:
    def __init__(self, conn: Connection, *, lock: bool = True) -> None:
        self.conn = conn
        self.lock = lock   # PostgreSQL: lock the levels read (SQLite's write lock covers them)

    def ledger_for(self, skus: Iterable[str]) -> Ledger:
        skus = sorted({s for s in skus if s})
        levels: dict[tuple[str, str], Level] = {}
        if not skus:
            return Ledger(levels)
        if self.conn.dialect.name != "sqlite":
            # PostgreSQL: Decimals from the driver, rows locked in a fixed order (unless `lock`
            # is off: a read-only snapshot)
            for sku, loc, on_hand, reserved, in_transit, safety in self.conn.execute(
                    LEVELS_LOCKED if self.lock else LEVELS, {"skus": skus}):
                levels[(sku, loc)] = Level(sku, loc, on_hand, reserved, in_transit, safety)
            return Ledger(levels)
        # SQLite: the raw driver rows (ints, or floats for fractions) converted here, read with
        # the DBAPI cursor: SQLAlchemy's Row objects and per-value Decimal processors were most of
        # the cost of loading ~4,500 levels for a batch of 100 orders.
        cursor = self.conn.connection.cursor()
        dec = _DECIMALS.__getitem__
        try:
            for start in range(0, len(skus), 500):
                part = skus[start:start + 500]
                cursor.execute(
                    'SELECT sku, location, on_hand, reserved, in_transit, safety_stock FROM '
                    f'inventory_levels WHERE sku IN ({", ".join("?" * len(part))})', part)
                for sku, loc, on_hand, reserved, in_transit, safety in cursor.fetchall():
                    levels[(sku, loc)] = Level(sku, loc, dec(on_hand), dec(reserved),
                                               dec(in_transit), dec(safety))
        finally:
            cursor.close()
        return Ledger(levels)

    def save(self, ledger: Ledger) -> None:
        if not ledger.movements:
            return
        bulk = BulkWriter(self.conn)
        num, stamp = bulk.encode.num, bulk.encode.dt
        values = []
        for sku, loc, kind, dh, dr, dt, order, line, reference, at in map(_MOVEMENT, ledger.movements):
            values.append((sku, loc, kind, num(dh), num(dr), num(dt), getattr(order, "id", order),
                           getattr(line, "id", line), reference, stamp(at)))
        bulk.insert_values(t.inventory_movements, MOVEMENT_INSERT_COLS, values)
        new, changed = [], []
        for (sku, loc), (dh, dr, dt) in ledger.deltas.items():
            level = ledger.levels[(sku, loc)]
            if not level.exists:
                new.append({"sku": sku, "location": loc, "on_hand": level.on_hand,
                            "reserved": level.reserved, "in_transit": level.in_transit,
                            "safety_stock": level.safety_stock})
                level.exists = True
            elif dh or dr or dt:
                changed.append((num(dh), num(dr), num(dt), sku, loc))
        bulk.insert(t.inventory_levels, new)
        bulk.add_deltas(changed)
        ledger.movements.clear()
        ledger.deltas.clear()

    # ------------------------------------------------------------------ reference data
    def locations(self) -> list[Location]:
        rows = self.conn.execute(LOCATIONS).mappings()
        return [_location(r) for r in rows]

    def location(self, code: str) -> Location | None:
        r = self.conn.execute(select(t.locations).where(t.locations.c.code == code)).mappings().first()
        return _location(r) if r else None

    def items(self, skus: Iterable[str]) -> dict[str, Any]:
        skus = list({s for s in skus if s})
        if not skus:
            return {}
        return {r.sku: r for r in self.conn.execute(ITEMS, {"skus": skus})}

    def items_by_upc(self, upcs: Iterable[str]) -> dict[str, Any]:
        upcs = list({u for u in upcs if u})
        if not upcs:
            return {}
        return {r.upc: r for r in self.conn.execute(ITEMS_BY_UPC, {"upcs": upcs})}

    def vendor_items(self, skus: Iterable[str]) -> dict[tuple[str, str], Decimal | None]:
        skus = list({s for s in skus if s})
        if not skus:
            return {}
        return {(loc, sku): cost for loc, sku, cost in
                self.conn.execute(VENDOR_ITEMS, {"skus": skus})}

    def vendor_part(self, location: str, sku: str) -> str | None:
        return self.conn.execute(select(t.vendor_items.c.vendor_part).where(
            tuple_(t.vendor_items.c.location, t.vendor_items.c.sku) == (location, sku))).scalar()


def _dec(value: Any) -> Decimal:
    """A SQLite NUMERIC value as Decimal: ints exactly, floats by their shortest repr (what
    SQLAlchemy's Numeric gives back, minus the fixed scale)."""
    if value is None:
        return Decimal(0)
    if type(value) is int:
        return Decimal(value)
    return Decimal(repr(value)).quantize(SCALE)


SCALE = Decimal("0.0001")  # NUMERIC(18, 4)


# SQLite NUMERIC value -> Decimal, remembered: a batch reads ~4,500 levels x 4 quantities that
# take few distinct values. (SQLite hands back integral NUMERIC values as ints, so a float key
# never stands for an int one.)
_DECIMALS = Remembered(_dec)


def _location(r: Any) -> Location:
    return Location(code=r["code"], type=r["type"], name=r["name"], postal_code=r["postal_code"],
                    country=r["country"], state=r["state"],
                    latitude=float(r["latitude"]) if r["latitude"] is not None else None,
                    longitude=float(r["longitude"]) if r["longitude"] is not None else None,
                    priority=r["priority"], lead_time_days=r["lead_time_days"],
                    capacity=r["capacity"], cost=r["cost"] or Decimal("0"),
                    partner_id=r["partner_id"])
