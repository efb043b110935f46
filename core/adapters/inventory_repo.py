"""Inventory levels, the movement ledger and reference data (locations, items, vendor items).
Levels are read for all of an order's items in one query (locked FOR UPDATE on PostgreSQL) and
written back as deltas, batched; movements are one executemany."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Connection, select, tuple_

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter
from core.inventory.ledger import Ledger, Level
from core.inventory.locations import Location


class InventoryRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = conn.dialect.name != "sqlite"

    def ledger_for(self, skus: Iterable[str]) -> Ledger:
        skus = sorted({s for s in skus if s})
        levels: dict[tuple[str, str], Level] = {}
        if skus:
            q = select(t.inventory_levels).where(t.inventory_levels.c.sku.in_(skus))
            if self.lock:
                q = q.order_by(t.inventory_levels.c.sku, t.inventory_levels.c.location
                               ).with_for_update()
            lv = t.inventory_levels.c
            q = q.with_only_columns(lv.sku, lv.location, lv.on_hand, lv.reserved, lv.in_transit,
                                    lv.safety_stock)
            for sku, loc, on_hand, reserved, in_transit, safety in self.conn.execute(q):
                levels[(sku, loc)] = Level(sku, loc, on_hand, reserved, in_transit, safety)
        return Ledger(levels)

    def save(self, ledger: Ledger) -> None:
        if not ledger.movements:
            return
        rows = []
        for m in ledger.movements:
            order, line = m["order"], m["line"]
            rows.append({"sku": m["sku"], "location": m["location"], "kind": m["kind"],
                         "on_hand_delta": m["on_hand_delta"], "reserved_delta": m["reserved_delta"],
                         "in_transit_delta": m["in_transit_delta"],
                         "order_id": getattr(order, "id", order),
                         "line_id": getattr(line, "id", line), "reference": m["reference"],
                         "at": m["at"]})
        bulk = BulkWriter(self.conn)
        bulk.insert(t.inventory_movements, rows)
        new, changed = [], []
        for (sku, loc), (dh, dr, dt) in ledger.deltas.items():
            level = ledger.levels[(sku, loc)]
            if not level.exists:
                new.append({"sku": sku, "location": loc, "on_hand": level.on_hand,
                            "reserved": level.reserved, "in_transit": level.in_transit,
                            "safety_stock": level.safety_stock})
                level.exists = True
            elif dh or dr or dt:
                changed.append((dh, dr, dt, sku, loc))
        bulk.insert(t.inventory_levels, new)
        bulk.add_deltas(changed)
        ledger.movements.clear()
        ledger.deltas.clear()

    # ------------------------------------------------------------------ reference data
    def locations(self) -> list[Location]:
        rows = self.conn.execute(select(t.locations).where(t.locations.c.active.is_(True))
                                 .order_by(t.locations.c.code)).mappings()
        return [_location(r) for r in rows]

    def location(self, code: str) -> Location | None:
        r = self.conn.execute(select(t.locations).where(t.locations.c.code == code)).mappings().first()
        return _location(r) if r else None

    def items(self, skus: Iterable[str]) -> dict[str, Any]:
        skus = list({s for s in skus if s})
        if not skus:
            return {}
        return {r.sku: r for r in self.conn.execute(select(t.items).where(t.items.c.sku.in_(skus)))}

    def items_by_upc(self, upcs: Iterable[str]) -> dict[str, Any]:
        upcs = list({u for u in upcs if u})
        if not upcs:
            return {}
        return {r.upc: r for r in self.conn.execute(select(t.items).where(t.items.c.upc.in_(upcs)))}

    def vendor_items(self, skus: Iterable[str]) -> dict[tuple[str, str], Decimal | None]:
        skus = list({s for s in skus if s})
        if not skus:
            return {}
        rows = self.conn.execute(select(t.vendor_items).where(t.vendor_items.c.sku.in_(skus)))
        return {(r.location, r.sku): r.cost for r in rows}

    def vendor_part(self, location: str, sku: str) -> str | None:
        return self.conn.execute(select(t.vendor_items.c.vendor_part).where(
            tuple_(t.vendor_items.c.location, t.vendor_items.c.sku) == (location, sku))).scalar()


def _location(r: Any) -> Location:
    return Location(code=r["code"], type=r["type"], name=r["name"], postal_code=r["postal_code"],
                    country=r["country"], state=r["state"],
                    latitude=float(r["latitude"]) if r["latitude"] is not None else None,
                    longitude=float(r["longitude"]) if r["longitude"] is not None else None,
                    priority=r["priority"], lead_time_days=r["lead_time_days"],
                    capacity=r["capacity"], cost=r["cost"] or Decimal("0"),
                    partner_id=r["partner_id"])
