"""Maps the order aggregate to rows with explicit, batched SQL (the data-mapper half of the
ORM, without its per-object flush cost). Loading takes the order row lock on PostgreSQL
(FOR UPDATE) so two processes cannot both change one order; SQLite writers are serialised by
BEGIN IMMEDIATE already."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from core.adapters import tables as t
from core.adapters.bulk import BulkWriter
from core.adapters.engine import json_dumps_many
from core.domain.commands import HoldType, OrderRef
from core.domain.errors import UnknownOrder
from core.domain.holds import Hold
from core.domain.model import Allocation, Order, OrderLine
from core.domain.quantities import BUCKETS

LINE_COLS = ("line_number", "sku", "upc", "buyer_part", "vendor_part", "description", "uom",
             "unit_price", "requested_ship_date")


# order_lines columns in the order add_many builds its row tuples
ORDER_INSERT_COLS = ("id", "order_key", "po_number", "channel", "partner_id", "status",
                     "order_date", "requested_ship_date", "requested_delivery_date",
                     "cancel_after", "currency", "terms", "carrier", "service", "parties",
                     "order_refs", "source_document", "acknowledged_at", "created_at",
                     "updated_at", "version")
LINE_INSERT_COLS = ("id", "order_id", *LINE_COLS, *BUCKETS, "ordered", "returned", "status",
                    "reject_reason", "item_known", "excluded_locations")
_buckets = itemgetter(*BUCKETS)
ALLOCATION_INSERT_COLS = ("order_id", "line_id", "location", "allocated", "released", "shipped",
                          "vendor_po_id", "rule")

HISTORY_INSERT_COLS = ("order_id", "at", "actor", "event", "detail")

_o = t.orders.c
FIND_MANY = select(_o.id, _o.order_key, _o.po_number, _o.status).where(
    _o.po_number.in_(bindparam("pos", expanding=True)))


@dataclass
class OrderRows:
    """An order's rows, converted, but ids and times (`OrderRepository.rows_of`): its status,
    its head's values (ORDER_INSERT_COLS between the id and acknowledged_at) and its lines'
    (LINE_INSERT_COLS after the two ids)."""
    status: str
    head: tuple[Any, ...]
    lines: list[tuple[Any, ...]]
    allocations: list[tuple[OrderLine, Allocation, tuple[Any, ...]]]   # location, quantities


class OrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = conn.dialect.name != "sqlite"

    # ------------------------------------------------------------------ lookup
    def find_id(self, key: str, po_number: str) -> int | None:
        return self.conn.execute(
            select(t.orders.c.id).where(t.orders.c.order_key == key,
                                        t.orders.c.po_number == po_number)).scalar()

    def resolve(self, ref: OrderRef, command: str = "") -> int:
        """The id named by `ref`; refuses an ambiguous PO number with the keys it matched."""
        if ref.order_id is not None:
            return ref.order_id
        if not ref.po_number:
            raise UnknownOrder("no order named: give an order id or a PO number", command=command)
        key = ref.partner_id or ref.channel
        if key:
            found = self.find_id(key, ref.po_number)
            if found is None:
                raise UnknownOrder(f"no order with PO {ref.po_number} for {key}",
                                   order=ref.po_number, command=command)
            return found
        rows = self.conn.execute(select(t.orders.c.id, t.orders.c.order_key).where(
            t.orders.c.po_number == ref.po_number)).all()
        if not rows:
            raise UnknownOrder(f"no order with PO {ref.po_number}", order=ref.po_number,
                               command=command)
        if len(rows) > 1:
            keys = ", ".join(sorted(r.order_key for r in rows))
            raise UnknownOrder(f"PO {ref.po_number} exists for several senders ({keys}); name "
                               "the partner or channel", order=ref.po_number, command=command)
        return rows[0].id

    def find_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
        """(order key, PO) -> (id, status) for those that exist: one query for a whole batch."""
        if not keys:
            return {}
        pos = sorted({po for _, po in keys})
        wanted = set(keys)
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for start in range(0, len(pos), 500):
            for r in self.conn.execute(FIND_MANY, {"pos": pos[start:start + 500]}):
                if (r.order_key, r.po_number) in wanted:
                    found[(r.order_key, r.po_number)] = (r.id, r.status)
        return found

    # ------------------------------------------------------------------ load
    def get(self, order_id: int, command: str = "") -> Order:
        q = select(t.orders).where(t.orders.c.id == order_id)
        if self.lock:
            q = q.with_for_update()
        row = self.conn.execute(q).mappings().first()
        if row is None:
            raise UnknownOrder(f"no order with id {order_id}", order=order_id, command=command)
        order = Order(
            po_number=row["po_number"], channel=row["channel"], partner_id=row["partner_id"],
            order_date=row["order_date"], requested_ship_date=row["requested_ship_date"],
            requested_delivery_date=row["requested_delivery_date"],
            cancel_after=row["cancel_after"], currency=row["currency"], terms=row["terms"],
            carrier=row["carrier"], service=row["service"], parties=list(row["parties"] or []),
            references=list(row["order_refs"] or []), source_document=row["source_document"],
            acknowledged_at=row["acknowledged_at"], id=row["id"], version=row["version"],
            created_at=row["created_at"])
        order.dirty = False
        by_id: dict[int, OrderLine] = {}
        for r in self.conn.execute(select(t.order_lines).where(
                t.order_lines.c.order_id == order_id).order_by(t.order_lines.c.id)).mappings():
            line = OrderLine(r["line_number"], r["ordered"], sku=r["sku"], upc=r["upc"],
                             buyer_part=r["buyer_part"], vendor_part=r["vendor_part"],
                             description=r["description"], uom=r["uom"],
                             unit_price=r["unit_price"],
                             requested_ship_date=r["requested_ship_date"],
                             item_known=r["item_known"], order_ref=order.po_number)
            line.id = r["id"]
            for b in BUCKETS:
                line.q[b] = r[b]
            line.returned = r["returned"]
            line.reject_reason = r["reject_reason"]
            line.excluded = list(r["excluded_locations"] or [])
            line.dirty = False
            by_id[line.id] = line
            order.lines.append(line)
        for r in self.conn.execute(select(t.allocations).where(
                t.allocations.c.order_id == order_id).order_by(t.allocations.c.id)).mappings():
            by_id[r["line_id"]].allocations.append(Allocation(
                location=r["location"], allocated=r["allocated"], released=r["released"],
                shipped=r["shipped"], rule=r["rule"], vendor_order_id=r["vendor_po_id"],
                id=r["id"], dirty=False))
        for r in self.conn.execute(select(t.holds).where(
                t.holds.c.order_id == order_id).order_by(t.holds.c.id)).mappings():
            order.holds.append(Hold(type=HoldType(r["type"]), reason=r["reason"],
                                    line_number=r["line_number"], active=r["active"], id=r["id"],
                                    placed_at=r["placed_at"], resolved_at=r["resolved_at"],
                                    resolution=r["resolution"], dirty=False))
        return order

    # ------------------------------------------------------------------ save
    def rows_of(self, order: Order, *, allocations: bool = True) -> "OrderRows":
        """What `add_many` writes of an order, converted, but its ids and times (known only once
        the write lock is held): for an order built ahead of its write turn and not changed
        before it, so that the turn does not spend its time on them (its status, from 20 lines'
        quantities, its parties' JSON, and ~20 values a line)."""
        num, date, _, boolean, js = BulkWriter(self.conn).encode
        status = order.status._value_
        head = (order.key, order.po_number, order.channel, order.partner_id, status,
                date(order.order_date), date(order.requested_ship_date),
                date(order.requested_delivery_date), date(order.cancel_after), order.currency,
                order.terms, order.carrier, order.service, js(order.parties),
                js(order.references), order.source_document)
        lines = [(line.line_number, line.sku, line.upc, line.buyer_part, line.vendor_part,
                  line.description, line.uom, num(line.unit_price),
                  date(line.requested_ship_date), *map(num, _buckets(line.q)),
                  num(line.ordered), num(line.returned), line.status._value_,
                  line.reject_reason, boolean(line.item_known), js(line.excluded or None))
                 for line in order.lines]
        return OrderRows(status, head, lines,
                         self._allocations_of(order, num) if allocations else [])

    @staticmethod
    def _allocations_of(order: Order, num: Any) -> list[tuple[OrderLine, Allocation, tuple]]:
        """Each allocation with its line and its values but the ids and vendor PO."""
        return [(line, a, (a.location, num(a.allocated), num(a.released), num(a.shipped)))
                for line in order.lines for a in line.allocations]

    def add_many(self, orders: list[Order], at: datetime,
                 made: "list[OrderRows | None] | None" = None) -> list[str]:
        """Insert new orders and their lines: two statements for the whole batch (ids come back
        in parameter order). Allocations and holds follow with `add_allocations`/`save_holds`.
        `made`, by order: its `rows_of` made ahead (the order unchanged since), or None.
        Returns the status written for each order."""
        if not orders:
            return []
        made = [m if m is not None else self.rows_of(o, allocations=False)
                for o, m in zip(orders, made or [None] * len(orders))]
        bulk = BulkWriter(self.conn)
        stamp = bulk.encode.dt
        now = stamp(at)
        heads = []
        for order, order_id, rows in zip(orders, bulk.ids(t.orders, len(orders)), made):
            order.id = order_id
            order.created_at = at
            order.dirty = False
            heads.append((order_id, *rows.head, stamp(order.acknowledged_at), now, now, 1))
        bulk.insert_values(t.orders, ORDER_INSERT_COLS, heads)
        line_ids = iter(bulk.ids(t.order_lines, sum(len(o.lines) for o in orders)))
        values = []
        for order, rows in zip(orders, made):
            for line, rest in zip(order.lines, rows.lines):
                line.id = line_id = next(line_ids)
                line.dirty = False
                values.append((line_id, order.id, *rest))
        bulk.insert_values(t.order_lines, LINE_INSERT_COLS, values)
        return [rows.status for rows in made]

    def add_allocations(self, orders: list[Order],
                        made: "list[OrderRows | None] | None" = None) -> None:
        """Allocations of orders inserted by `add_many`, one executemany without RETURNING (the
        ids are not needed again in this unit of work). `made`, by order: its `rows_of` made
        ahead, when its allocations have not changed since (their vendor PO is read now)."""
        bulk = BulkWriter(self.conn)
        num = bulk.encode.num
        values = []
        for o, rows in zip(orders, made or [None] * len(orders)):
            for line, a, rest in (rows.allocations if rows is not None
                                  else self._allocations_of(o, num)):
                values.append((o.id, line.id, *rest, a.vendor_order_id, a.rule))
                a.dirty = False
        bulk.insert_values(t.allocations, ALLOCATION_INSERT_COLS, values)

    @staticmethod
    def encode_events(orders: list[Order]) -> list[list[str]]:
        """The JSON text of each order's pending events, as `write_history_many` would write
        them (encoded together: the same texts): for orders built ahead of their write turn, so
        that the turn does not spend its time encoding (~40 us an order, mostly the sourcing
        explanation)."""
        texts = json_dumps_many([detail for o in orders for _, detail in o.events])
        out, k = [], 0
        for o in orders:
            out.append(texts[k:k + len(o.events)])
            k += len(o.events)
        return out

    def write_history_many(self, orders: list[Order], at: datetime, actor: str,
                           encoded: list[list[str] | None] | None = None) -> None:
        """The orders' pending events, one statement. Details are encoded together: orders to
        one destination share their sourcing ranking, written once per batch rather than per
        order (the same text either way). `encoded`, by order: the texts of its first events,
        encoded ahead (`encode_events`; None where there are none)."""
        events = [(o.id, event, detail) for o in orders for event, detail in o.events]
        if events:
            bulk = BulkWriter(self.conn)
            stamp, text = bulk.encode.dt(at), bulk.json_text
            details = self._details(orders, encoded or [None] * len(orders))
            bulk.insert_values(t.order_history, HISTORY_INSERT_COLS, [
                (order_id, stamp, actor, event, text(detail))
                for (order_id, event, _), detail in zip(events, details)])
        for o in orders:
            o.events.clear()

    @staticmethod
    def _details(orders: list[Order], encoded: list[list[str] | None]) -> list[str]:
        """Each pending event's text: taken from `encoded` where it was encoded ahead, the rest
        (events recorded since, such as the acknowledgement) encoded now, together."""
        rest = [detail for o, done in zip(orders, encoded)
                for _, detail in o.events[len(done or ()):]]
        fresh = iter(json_dumps_many(rest))
        details: list[str] = []
        for o, done in zip(orders, encoded):
            done = done or []
            details.extend(done)
            details.extend(next(fresh) for _ in range(len(o.events) - len(done)))
        return details

    def save(self, order: Order, at: datetime, actor: str) -> None:
        """Insert or update the order, its dirty lines, allocations and holds (history is written
        separately by `write_history`, once ids of documents made after the save are known)."""
        status = order.status.value
        if order.id is None:
            order.id = self.conn.execute(insert(t.orders).returning(t.orders.c.id), {
                "order_key": order.key, "po_number": order.po_number, "channel": order.channel,
                "partner_id": order.partner_id, "status": status, "order_date": order.order_date,
                "requested_ship_date": order.requested_ship_date,
                "requested_delivery_date": order.requested_delivery_date,
                "cancel_after": order.cancel_after, "currency": order.currency,
                "terms": order.terms, "carrier": order.carrier, "service": order.service,
                "parties": order.parties, "order_refs": order.references,
                "source_document": order.source_document,
                "acknowledged_at": order.acknowledged_at, "created_at": at, "updated_at": at,
                "version": 1}).scalar_one()
            order.created_at = at
        else:
            self.conn.execute(update(t.orders).where(t.orders.c.id == order.id).values(
                status=status, acknowledged_at=order.acknowledged_at, updated_at=at,
                requested_ship_date=order.requested_ship_date, cancel_after=order.cancel_after,
                version=t.orders.c.version + 1))
        self._save_lines(order)
        self.save_allocations(order)
        self.save_holds(order, at)

    def _line_row(self, order: Order, line: OrderLine) -> dict[str, Any]:
        row: dict[str, Any] = {c: getattr(line, c) for c in LINE_COLS}
        row.update(line.q)
        row.update(order_id=order.id, ordered=line.ordered, returned=line.returned,
                   status=line.status.value, reject_reason=line.reject_reason,
                   item_known=line.item_known, excluded_locations=line.excluded or None)
        return row

    def _save_lines(self, order: Order) -> None:
        new = [line for line in order.lines if line.id is None]
        if new:
            ids = self.conn.execute(
                insert(t.order_lines).returning(t.order_lines.c.id, sort_by_parameter_order=True),
                [self._line_row(order, line) for line in new]).scalars().all()
            for line, line_id in zip(new, ids):
                line.id = line_id
                line.dirty = False
        changed = [line for line in order.lines if line.dirty]
        if changed:
            stmt = update(t.order_lines).where(t.order_lines.c.id == bindparam("line_id"))
            rows = []
            for line in changed:
                row = self._line_row(order, line)
                row.pop("order_id")
                row["line_id"] = line.id
                rows.append(row)
                line.dirty = False
            self.conn.execute(stmt, rows)

    def save_allocations(self, order: Order) -> None:
        new_rows, new_objs, upd = [], [], []
        for line in order.lines:
            for a in line.allocations:
                if a.id is None:
                    new_objs.append(a)
                    new_rows.append({"order_id": order.id, "line_id": line.id,
                                     "location": a.location, "allocated": a.allocated,
                                     "released": a.released, "shipped": a.shipped,
                                     "vendor_po_id": a.vendor_order_id, "rule": a.rule})
                elif a.dirty:
                    upd.append({"a_id": a.id, "allocated": a.allocated, "released": a.released,
                                "shipped": a.shipped, "vendor_po_id": a.vendor_order_id})
                a.dirty = False
        if new_rows:
            ids = self.conn.execute(
                insert(t.allocations).returning(t.allocations.c.id, sort_by_parameter_order=True),
                new_rows).scalars().all()
            for a, a_id in zip(new_objs, ids):
                a.id = a_id
        if upd:
            self.conn.execute(update(t.allocations).where(t.allocations.c.id == bindparam("a_id")), upd)

    def save_holds(self, order: Order, at: datetime) -> None:
        for h in order.holds:
            if h.id is None:
                h.placed_at = h.placed_at or at
                h.id = self.conn.execute(insert(t.holds).returning(t.holds.c.id), {
                    "order_id": order.id, "line_number": h.line_number, "type": h.type.value,
                    "reason": h.reason, "active": h.active, "placed_at": h.placed_at,
                    "resolved_at": h.resolved_at, "resolution": h.resolution}).scalar_one()
            elif h.dirty:
                self.conn.execute(update(t.holds).where(t.holds.c.id == h.id).values(
                    active=h.active, resolved_at=h.resolved_at, resolution=h.resolution))
            h.dirty = False

    def write_history(self, order: Order, at: datetime, actor: str) -> None:
        if order.events:
            self.conn.execute(insert(t.order_history), [
                {"order_id": order.id, "at": at, "actor": actor, "event": event,
                 "detail": detail} for event, detail in order.events])
            order.events.clear()
