"""Read models shared by the CLI, the gateway and the HTTP API: plain dicts in the JSON shapes of
issue 3. Reads use deferred transactions on SQLite so they never queue behind writers."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select

from core.adapters import tables as t
from core.domain.errors import UnknownItem, UnknownOrder
from core.domain.quantities import BUCKETS
from core.services.history_text import describe

ZERO = Decimal("0")


def num(value: Any) -> str | None:
    """Quantities and money as strings without float noise ("10", "2.5", "19.99")."""
    if value is None:
        return None
    d = Decimal(str(value)).quantize(Decimal("0.0001")).normalize()
    return format(d, "f")


class _Reader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _conn(self) -> Any:
        conn = self.engine.connect()
        if conn.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="DEFERRED")
        return conn


class OrderQueries(_Reader):
    def find(self, po_number: str, key: str | None = None) -> list[int]:
        with self._conn() as conn:
            q = select(t.orders.c.id).where(t.orders.c.po_number == po_number)
            if key:
                q = q.where(t.orders.c.order_key == key)
            return list(conn.execute(q.order_by(t.orders.c.id)).scalars())

    def by_po(self, po_number: str, key: str | None = None, *, history: bool = True
              ) -> dict[str, Any]:
        ids = self.find(po_number, key)
        if not ids:
            raise UnknownOrder(f"no order with PO {po_number}" + (f" for {key}" if key else ""),
                               order=po_number)
        if len(ids) > 1:
            raise UnknownOrder(f"PO {po_number} exists for several senders; name the partner or "
                               "channel", order=po_number)
        return self.get(ids[0], history=history)

    def get(self, order_id: int, *, history: bool = True) -> dict[str, Any]:
        with self._conn() as conn:
            o = conn.execute(select(t.orders).where(t.orders.c.id == order_id)).mappings().first()
            if o is None:
                raise UnknownOrder(f"no order with id {order_id}", order=order_id)
            lines = conn.execute(select(t.order_lines).where(t.order_lines.c.order_id == order_id)
                                 .order_by(t.order_lines.c.id)).mappings().all()
            allocs = conn.execute(select(t.allocations).where(t.allocations.c.order_id == order_id)
                                  .order_by(t.allocations.c.id)).mappings().all()
            hold_rows = conn.execute(select(t.holds).where(t.holds.c.order_id == order_id)
                                     .order_by(t.holds.c.id)).mappings().all()
            hist = conn.execute(select(t.order_history).where(
                t.order_history.c.order_id == order_id).order_by(t.order_history.c.id)
            ).mappings().all() if history else []
        by_line: dict[int, list[dict[str, Any]]] = {}
        for a in allocs:
            if a["allocated"] + a["released"] + a["shipped"] > 0:
                by_line.setdefault(a["line_id"], []).append({
                    "location": a["location"], "quantity": num(a["allocated"] + a["released"]),
                    "released": num(a["released"]), "shipped": num(a["shipped"]),
                    "rule": a["rule"], "vendor_order_id": a["vendor_po_id"]})
        data = {
            "id": o["id"], "po_number": o["po_number"], "channel": o["channel"],
            "partner_id": o["partner_id"], "status": o["status"],
            "order_date": _iso(o["order_date"]), "requested_ship_date": _iso(o["requested_ship_date"]),
            "requested_delivery_date": _iso(o["requested_delivery_date"]),
            "cancel_after": _iso(o["cancel_after"]), "currency": o["currency"], "terms": o["terms"],
            "carrier": o["carrier"], "service": o["service"], "parties": o["parties"],
            "references": o["order_refs"], "acknowledged_at": _iso(o["acknowledged_at"]),
            "created_at": _iso(o["created_at"]),
            "lines": [_line(r, by_line.get(r["id"], [])) for r in lines],
            "holds": [{"id": h["id"], "type": h["type"], "line_number": h["line_number"],
                       "reason": h["reason"], "active": h["active"],
                       "resolution": h["resolution"]} for h in hold_rows],
        }
        if history:
            data["history"] = [{"at": _iso(h["at"]), "actor": h["actor"], "event": h["event"],
                                "text": describe(h["event"], h["detail"]), "detail": h["detail"]}
                               for h in hist]
        return data

    def list(self, *, status: str | None = None, channel: str | None = None,
             partner_id: str | None = None, po_number: str | None = None, limit: int = 50,
             offset: int = 0) -> dict[str, Any]:
        o = t.orders
        q = select(o.c.id, o.c.po_number, o.c.channel, o.c.partner_id, o.c.status,
                   o.c.created_at)
        count = select(func.count()).select_from(o)
        for col, value in ((o.c.status, status), (o.c.channel, channel),
                           (o.c.partner_id, partner_id), (o.c.po_number, po_number)):
            if value is not None:
                q = q.where(col == value)
                count = count.where(col == value)
        with self._conn() as conn:
            total = conn.execute(count).scalar_one()
            rows = conn.execute(q.order_by(o.c.id.desc()).limit(limit).offset(offset)).all()
            ids = [r.id for r in rows]
            sums = {}
            if ids:
                lc = t.order_lines.c
                for r in conn.execute(select(lc.order_id, func.count(), func.sum(lc.ordered))
                                      .where(lc.order_id.in_(ids)).group_by(lc.order_id)):
                    sums[r[0]] = (r[1], r[2])
        return {"total": total, "limit": limit, "offset": offset, "orders": [
            {"id": r.id, "po_number": r.po_number, "channel": r.channel,
             "partner_id": r.partner_id, "status": r.status, "created_at": _iso(r.created_at),
             "lines": sums.get(r.id, (0, 0))[0], "ordered": num(sums.get(r.id, (0, 0))[1] or 0)}
            for r in rows]}

    def history(self, order_id: int) -> list[dict[str, Any]]:
        return self.get(order_id)["history"]


class InventoryQueries(_Reader):
    def item(self, sku: str) -> dict[str, Any]:
        lv = t.inventory_levels
        with self._conn() as conn:
            known = conn.execute(select(t.items.c.sku).where(t.items.c.sku == sku)).scalar()
            if known is None:
                raise UnknownItem(f"unknown item {sku}")
            rows = conn.execute(select(lv, t.locations.c.type).join(
                t.locations, t.locations.c.code == lv.c.location).where(lv.c.sku == sku)
                .order_by(lv.c.location)).mappings().all()
        locs = []
        total = dict.fromkeys(("on_hand", "reserved", "in_transit", "available"), ZERO)
        for r in rows:
            available = r["on_hand"] - r["reserved"] - r["safety_stock"]
            if r["type"] == "dropship":
                available = ZERO  # not our stock; capacity is shown by `locations`
            entry = {"location": r["location"], "on_hand": r["on_hand"], "reserved": r["reserved"],
                     "in_transit": r["in_transit"], "available": available}
            for k in total:
                total[k] += entry[k]
            locs.append({k: (num(v) if k != "location" else v) for k, v in entry.items()})
        return {"item": sku, "locations": locs, "total": {k: num(v) for k, v in total.items()}}

    def levels(self) -> list[dict[str, Any]]:
        lv = t.inventory_levels
        with self._conn() as conn:
            rows = conn.execute(select(lv).order_by(lv.c.sku, lv.c.location)).mappings().all()
        return [{"item": r["sku"], "location": r["location"], "on_hand": num(r["on_hand"]),
                 "reserved": num(r["reserved"]), "in_transit": num(r["in_transit"]),
                 "available": num(r["on_hand"] - r["reserved"] - r["safety_stock"])} for r in rows]

    def ledger_totals(self) -> dict[tuple[str, str], tuple[Decimal, Decimal, Decimal]]:
        """Sum of movements per (item, location): what the levels must equal."""
        m = t.inventory_movements.c
        with self._conn() as conn:
            rows = conn.execute(select(m.sku, m.location, func.sum(m.on_hand_delta),
                                       func.sum(m.reserved_delta), func.sum(m.in_transit_delta))
                                .group_by(m.sku, m.location)).all()
        return {(r[0], r[1]): (Decimal(str(r[2])), Decimal(str(r[3])), Decimal(str(r[4])))
                for r in rows}


def _line(r: Any, allocations: list[dict[str, Any]]) -> dict[str, Any]:
    q = {b: num(r[b]) for b in BUCKETS}
    q["returned"] = num(r["returned"])
    return {"line_number": r["line_number"], "sku": r["sku"], "ordered": num(r["ordered"]),
            "status": r["status"], "quantities": q, "allocations": allocations,
            "uom": r["uom"], "unit_price": num(r["unit_price"]), "upc": r["upc"],
            "buyer_part": r["buyer_part"], "description": r["description"],
            "reject_reason": r["reject_reason"]}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
