"""Read-only queries over the core's document tables (acknowledgements, shipments, invoices,
vendor orders). The core's ``queries`` module covers orders and inventory; these rows are what
an outbound document needs and nothing else, so they live with the outbound builders.

Two readers with one interface: ``RowReader`` asks the database for each document as it is built
(one outbox row at a time), ``BatchReader`` loads the rows of a whole batch of outbox rows in a few
``IN`` queries first (the render pass: 3 queries per 855 became ~4 queries per 200 documents).
The module-level functions keep the old ``(conn, id)`` calls working.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Iterable

from sqlalchemy import select

from core.adapters import tables as t
from core.adapters.bulk import read_dicts

CHUNK = 500   # ids per IN list (SQLite's default limit on bound parameters is well above)


# what the builders read of an order line: its ~30 columns (11 quantities, a JSON list) converted
# for 20 lines an order were most of the batch read's cost; of an order, its PO number, dates and
# parties (not its references, terms, carrier, ...)
_ol = t.order_lines.c
_o = t.orders.c
NARROW = {"order_lines": (_ol.id, _ol.order_id, _ol.line_number, _ol.sku, _ol.upc, _ol.buyer_part,
                          _ol.vendor_part, _ol.description, _ol.uom, _ol.unit_price, _ol.ordered),
          "orders": (_o.id, _o.po_number, _o.order_date, _o.created_at, _o.parties)}


# an 855's lines come with what the document names of each order line (item ids, ordered, uom,
# list price) in one query: one row per acknowledged line, half the rows of reading both tables
# (reading rows was ~30% of rendering an 855); of the ack line itself, all but its id, line id
# and reason, which no 855 carries
_al = t.acknowledgement_lines.c
ACK_LINES = (select(_al.acknowledgement_id, _al.line_number, _al.status_code, _al.quantity,
                    _al.unit_price, _al.date, _ol.sku, _ol.upc, _ol.buyer_part, _ol.vendor_part,
                    _ol.description, _ol.uom, _ol.unit_price.label("line_unit_price"),
                    _ol.ordered)
             .select_from(t.acknowledgement_lines.outerjoin(t.order_lines, _ol.id == _al.line_id)))


def _select(table: Any) -> Any:
    if table is t.acknowledgement_lines:
        return ACK_LINES
    return select(*NARROW[table.name]) if table.name in NARROW else select(table)


class RowReader:
    """Reads each document's rows when asked (one query per table)."""

    def __init__(self, conn: Any):
        self.conn = conn

    def _one(self, table: Any, key: Any, what: str) -> dict[str, Any]:
        rows = read_dicts(self.conn, _select(table).where(table.c.id == key))
        if not rows:
            raise LookupError(f"{what} {key} does not exist")
        return rows[0]

    def _many(self, table: Any, column: Any, key: Any) -> list[dict[str, Any]]:
        return read_dicts(self.conn, _select(table).where(column == key).order_by(table.c.id))

    # the documents, each as its head row and child rows (in id order)
    def acknowledgement(self, ack_id: int) -> tuple[dict, list[dict]]:
        head = self._one(t.acknowledgements, ack_id, "acknowledgement")
        return head, self._many(t.acknowledgement_lines,
                                t.acknowledgement_lines.c.acknowledgement_id, ack_id)

    def shipment(self, shipment_id: int) -> tuple[dict, list[dict], list[dict]]:
        head = self._one(t.shipments, shipment_id, "shipment")
        cartons = self._many(t.shipment_cartons, t.shipment_cartons.c.shipment_id, shipment_id)
        lines = self._many(t.shipment_lines, t.shipment_lines.c.shipment_id, shipment_id)
        return head, cartons, lines

    def invoice(self, invoice_id: int) -> tuple[dict, list[dict], list[dict]]:
        head = self._one(t.invoices, invoice_id, "invoice")
        lines = self._many(t.invoice_lines, t.invoice_lines.c.invoice_id, invoice_id)
        charges = self._many(t.invoice_charges, t.invoice_charges.c.invoice_id, invoice_id)
        return head, lines, charges

    def vendor_order(self, vo_id: int) -> tuple[dict, list[dict]]:
        head = self._one(t.vendor_orders, vo_id, "vendor order")
        return head, self._many(t.vendor_order_lines, t.vendor_order_lines.c.vendor_order_id, vo_id)

    def order_lines(self, order_id: int) -> dict[str, dict[str, Any]]:
        return {r["line_number"]: r for r in self._many(t.order_lines, t.order_lines.c.order_id,
                                                          order_id)}

    def order(self, order_id: int) -> dict[str, Any]:
        return self._one(t.orders, order_id, "order")


# the document types whose builders read no order line of their own (see ACK_LINES)
NO_ORDER_LINES = frozenset({"855"})

# what each outbound document type reads: payload key -> (head table, [(child table, fk column)])
DOCUMENT_TABLES: dict[str, tuple[str, Any, list[tuple[Any, Any]]]] = {
    "855": ("acknowledgement_id", t.acknowledgements,
            [(t.acknowledgement_lines, t.acknowledgement_lines.c.acknowledgement_id)]),
    "856": ("shipment_id", t.shipments,
            [(t.shipment_cartons, t.shipment_cartons.c.shipment_id),
             (t.shipment_lines, t.shipment_lines.c.shipment_id)]),
    "810": ("invoice_id", t.invoices,
            [(t.invoice_lines, t.invoice_lines.c.invoice_id),
             (t.invoice_charges, t.invoice_charges.c.invoice_id)]),
    "850": ("vendor_order_id", t.vendor_orders,
            [(t.vendor_order_lines, t.vendor_order_lines.c.vendor_order_id)]),
}


class BatchReader(RowReader):
    """Serves the rows of a batch of outbox rows from a few IN queries made up front; anything
    not loaded (a row outside the batch) falls back to a query of its own."""

    def __init__(self, conn: Any):
        super().__init__(conn)
        self._heads: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
        self._children: dict[tuple[str, str], dict[Any, list[dict[str, Any]]]] = {}

    def load(self, outbox_rows: Iterable[Any]) -> "BatchReader":
        wanted: dict[str, set[Any]] = defaultdict(set)
        order_ids: set[Any] = set()
        with_lines: set[Any] = set()
        for row in outbox_rows:
            doc_type = str(row["document_type"])
            spec = DOCUMENT_TABLES.get(doc_type)
            payload = row["payload_ref"] or {}
            if isinstance(payload, str):
                payload = json.loads(payload)
            if spec is not None and payload.get(spec[0]) is not None:
                wanted[doc_type].add(payload[spec[0]])
            if row["order_id"] is not None:
                order_ids.add(row["order_id"])
                if doc_type not in NO_ORDER_LINES:
                    with_lines.add(row["order_id"])
        for doc_type, ids in wanted.items():
            _, head, children = DOCUMENT_TABLES[doc_type]
            self._load_heads(head, ids)
            for table, column in children:
                self._load_children(table, column, ids)
        if order_ids:
            self._load_heads(t.orders, order_ids)
        if with_lines:
            self._load_children(t.order_lines, t.order_lines.c.order_id, with_lines)
        return self

    def _load_heads(self, table: Any, ids: set[Any]) -> None:
        found = self._heads[table.name]
        keys = sorted(ids)
        for start in range(0, len(keys), CHUNK):
            for row in read_dicts(self.conn, _select(table).where(
                    table.c.id.in_(keys[start:start + CHUNK]))):
                found[row["id"]] = row

    def _load_children(self, table: Any, column: Any, ids: set[Any]) -> None:
        grouped: dict[Any, list[dict[str, Any]]] = {key: [] for key in ids}
        keys = sorted(ids)
        for start in range(0, len(keys), CHUNK):
            # (key, id) order is the index's own: no sort of the batch's rows
            for row in read_dicts(self.conn, _select(table).where(
                    column.in_(keys[start:start + CHUNK])).order_by(column, table.c.id)):
                grouped[row[column.name]].append(row)
        self._children.setdefault((table.name, column.name), {}).update(grouped)

    def _one(self, table: Any, key: Any, what: str) -> dict[str, Any]:
        row = self._heads.get(table.name, {}).get(key)
        return row if row is not None else super()._one(table, key, what)

    def _many(self, table: Any, column: Any, key: Any) -> list[dict[str, Any]]:
        rows = self._children.get((table.name, column.name), {}).get(key)
        return rows if rows is not None else super()._many(table, column, key)


# the old call shape: reads.acknowledgement(conn, id) and so on
def acknowledgement(conn: Any, ack_id: int) -> tuple[dict, list[dict]]:
    return RowReader(conn).acknowledgement(ack_id)


def shipment(conn: Any, shipment_id: int) -> tuple[dict, list[dict], list[dict]]:
    return RowReader(conn).shipment(shipment_id)


def invoice(conn: Any, invoice_id: int) -> tuple[dict, list[dict], list[dict]]:
    return RowReader(conn).invoice(invoice_id)


def vendor_order(conn: Any, vo_id: int) -> tuple[dict, list[dict]]:
    return RowReader(conn).vendor_order(vo_id)


def order_lines(conn: Any, order_id: int) -> dict[str, dict[str, Any]]:
    return RowReader(conn).order_lines(order_id)


def order(conn: Any, order_id: int) -> dict[str, Any]:
    return RowReader(conn).order(order_id)
