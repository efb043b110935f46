"""The shared SQLAlchemy MetaData and the core's tables (SQLAlchemy Core `Table` objects).

Other parts declare their tables on this same `metadata` in their own modules. The core maps
rows to its plain domain classes in `core.adapters.repository` with explicit, batched SQL rather
than the ORM unit of work: 20 lines x 1,000 orders a second leaves ~50 us per line, which the
ORM's per-object flush does not fit (measured in benchmarks/core_throughput.py).
Quantities and money are NUMERIC(18,4) so that reconciliation can sum them in SQL.
"""
from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Index,
                        Integer, MetaData, Numeric, String, Table, Text, UniqueConstraint)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

Id = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER PRIMARY KEY = rowid on SQLite


def qty(name: str, **kw: object) -> Column:
    return Column(name, Numeric(18, 4), nullable=False, default=0, server_default="0", **kw)


def money(name: str, nullable: bool = True) -> Column:
    return Column(name, Numeric(18, 4), nullable=nullable)


# ----------------------------------------------------------------------------- reference data
locations = Table(
    "locations", metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("type", String(16), nullable=False),  # warehouse | store | dropship
    Column("postal_code", String(16), nullable=False, default=""),
    Column("country", String(3), nullable=False, default="US"),
    Column("state", String(8), nullable=False, default=""),
    Column("latitude", Numeric(9, 6)),
    Column("longitude", Numeric(9, 6)),
    Column("priority", Integer, nullable=False, default=100),
    Column("lead_time_days", Integer, nullable=False, default=0),
    Column("capacity", Numeric(18, 4)),
    Column("cost", Numeric(18, 4), nullable=False, default=0),
    Column("partner_id", String(64)),
    Column("active", Boolean, nullable=False, default=True),
)

items = Table(
    "items", metadata,
    Column("sku", String(64), primary_key=True),
    Column("description", String(200), nullable=False, default=""),
    Column("upc", String(32), unique=True),
    Column("uom", String(8), nullable=False, default="EA"),
    money("unit_price"),
)

vendor_items = Table(
    "vendor_items", metadata,
    Column("location", String(64), ForeignKey("locations.code"), primary_key=True),
    Column("sku", String(64), ForeignKey("items.sku"), primary_key=True, index=True),  # by item
    Column("vendor_part", String(64)),
    money("cost"),
)

# ----------------------------------------------------------------------------- inventory
inventory_levels = Table(
    "inventory_levels", metadata,
    Column("sku", String(64), primary_key=True),
    Column("location", String(64), ForeignKey("locations.code"), primary_key=True),
    qty("on_hand"), qty("reserved"), qty("in_transit"), qty("safety_stock"),
)

inventory_movements = Table(
    "inventory_movements", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False),
    Column("location", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # receipt, adjustment, reservation, release, ...
    qty("on_hand_delta"), qty("reserved_delta"), qty("in_transit_delta"),
    Column("order_id", Id),
    Column("line_id", Id),
    Column("reference", String(200), nullable=False, default=""),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_inventory_movements_sku_location", "sku", "location"),
)

# ----------------------------------------------------------------------------- seller side
orders = Table(
    "orders", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_key", String(64), nullable=False),  # partner_id or channel
    Column("po_number", String(64), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("partner_id", String(64)),
    Column("status", String(24), nullable=False),
    Column("order_date", Date),
    Column("requested_ship_date", Date),
    Column("requested_delivery_date", Date),
    Column("cancel_after", Date),
    Column("currency", String(3), nullable=False, default="USD"),
    Column("terms", String(64), nullable=False, default=""),
    Column("carrier", String(64), nullable=False, default=""),
    Column("service", String(64), nullable=False, default=""),
    Column("parties", JSON, nullable=False),
    Column("order_refs", JSON, nullable=False),  # (qualifier, value) pairs
    Column("source_document", String(200)),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("order_key", "po_number", name="uq_orders_key_po"),
    Index("ix_orders_status", "status"),
    Index("ix_orders_po_number", "po_number"),
)

order_lines = Table(
    "order_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("line_number", String(32), nullable=False),
    Column("sku", String(64)),
    Column("upc", String(32)),
    Column("buyer_part", String(64)),
    Column("vendor_part", String(64)),
    Column("description", String(200), nullable=False, default=""),
    Column("uom", String(8), nullable=False, default="EA"),
    money("unit_price"),
    Column("requested_ship_date", Date),
    qty("ordered"), qty("open"), qty("accepted"), qty("backordered"), qty("rejected"),
    qty("allocated"), qty("released"), qty("shipped"), qty("invoiced"), qty("cancelled"),
    qty("returned"),
    Column("status", String(24), nullable=False),
    Column("reject_reason", String(200)),
    Column("item_known", Boolean, nullable=False, default=True),
    Column("excluded_locations", JSON(none_as_null=True)),  # locations that rejected this line (re-sourcing)
    UniqueConstraint("order_id", "line_number", name="uq_order_lines_order_line"),
)

allocations = Table(
    "allocations", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_id", Id, ForeignKey("order_lines.id"), nullable=False, index=True),
    Column("location", String(64), nullable=False),
    qty("allocated"), qty("released"), qty("shipped"),
    Column("vendor_po_id", Id),
    Column("rule", String(64), nullable=False, default=""),
)

holds = Table(
    "holds", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("line_number", String(32)),
    Column("type", String(24), nullable=False),
    Column("reason", String(500), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolution", String(500), nullable=False, default=""),
)

acknowledgements = Table(
    "acknowledgements", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("ack_type", String(4), nullable=False),  # BAK02: AC, AD, RJ ...
    Column("automatic", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

acknowledgement_lines = Table(
    "acknowledgement_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("acknowledgement_id", Id, ForeignKey("acknowledgements.id"), nullable=False, index=True),
    Column("line_id", Id, nullable=False),
    Column("line_number", String(32), nullable=False),
    Column("status_code", String(4), nullable=False),  # ACK01: IA, IB, IR, IQ, IP, DR
    qty("quantity"),
    money("unit_price"),
    Column("date", Date),
    Column("reason", String(200), nullable=False, default=""),
)

shipments = Table(
    "shipments", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("shipment_number", String(64), nullable=False, unique=True),
    Column("carrier", String(64), nullable=False, default=""),
    Column("tracking", String(64), nullable=False, default=""),
    Column("ship_date", Date, nullable=False),
    Column("vendor_shipment_id", Id),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

shipment_cartons = Table(
    "shipment_cartons", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shipment_id", Id, ForeignKey("shipments.id"), nullable=False, index=True),
    Column("sscc", String(20), nullable=False),
)

shipment_lines = Table(
    "shipment_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shipment_id", Id, ForeignKey("shipments.id"), nullable=False, index=True),
    Column("line_id", Id, nullable=False),
    Column("line_number", String(32), nullable=False),
    Column("location", String(64), nullable=False),
    Column("sscc", String(20)),
    qty("quantity"),
)

invoices = Table(
    "invoices", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("invoice_number", String(64), nullable=False, unique=True),
    Column("invoice_date", Date, nullable=False),
    Column("currency", String(3), nullable=False, default="USD"),
    money("subtotal", False), money("allowances", False), money("charges", False),
    money("tax", False), money("total", False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

invoice_lines = Table(
    "invoice_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("invoice_id", Id, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("line_id", Id, nullable=False),
    Column("line_number", String(32), nullable=False),
    qty("quantity"),
    money("unit_price"),
    money("amount", False),
)

invoice_charges = Table(
    "invoice_charges", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("invoice_id", Id, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("indicator", String(1), nullable=False),  # A allowance, C charge
    Column("code", String(8), nullable=False),
    money("amount", False),
    Column("description", String(200), nullable=False, default=""),
)

returns = Table(
    "returns", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("rma_number", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),  # authorised | partially_received | received
    Column("created_at", DateTime(timezone=True), nullable=False),
)

return_lines = Table(
    "return_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("return_id", Id, ForeignKey("returns.id"), nullable=False, index=True),
    Column("line_id", Id, nullable=False),
    Column("line_number", String(32), nullable=False),
    qty("authorised"), qty("received"),
    Column("reason", String(200), nullable=False, default=""),
    Column("restock_location", String(64)),
)

order_history = Table(
    "order_history", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("event", String(48), nullable=False),
    Column("detail", JSON, nullable=False),
)

# ----------------------------------------------------------------------------- buyer side
vendor_orders = Table(
    "vendor_orders", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor", String(64), nullable=False),  # the vendor's partner id (= location code)
    Column("po_number", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # dropship | stock
    Column("order_id", Id, ForeignKey("orders.id")),  # the customer order (drop-ship)
    Column("ship_to_location", String(64)),  # stock POs
    Column("ship_to", JSON, nullable=False),
    Column("status", String(24), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("vendor", "po_number", name="uq_vendor_orders_vendor_po"),
)

vendor_order_lines = Table(
    "vendor_order_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_order_id", Id, ForeignKey("vendor_orders.id"), nullable=False, index=True),
    Column("line_number", String(32), nullable=False),
    Column("order_line_id", Id),  # drop-ship: the customer order line it fulfils
    Column("allocation_id", Id),
    Column("sku", String(64), nullable=False),
    Column("vendor_part", String(64)),
    qty("quantity"),
    money("unit_price"),
    Column("requested_date", Date),
    qty("shipped"), qty("received"), qty("invoiced"),
)

vendor_acks = Table(
    "vendor_acks", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_order_id", Id, ForeignKey("vendor_orders.id"), nullable=False, index=True),
    Column("ack_type", String(4), nullable=False),
    Column("ack_date", Date),
    Column("source_document", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

vendor_ack_lines = Table(
    "vendor_ack_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_ack_id", Id, ForeignKey("vendor_acks.id"), nullable=False, index=True),
    Column("line_number", String(32), nullable=False),
    Column("status_code", String(4), nullable=False),
    Column("quantity", Numeric(18, 4)),
    money("unit_price"),
    Column("date", Date),
    Column("substitute_sku", String(64)),
    Column("reason", String(200), nullable=False, default=""),
)

vendor_shipments = Table(
    "vendor_shipments", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_order_id", Id, ForeignKey("vendor_orders.id"), nullable=False, index=True),
    Column("vendor", String(64), nullable=False),
    Column("shipment_id", String(64), nullable=False),  # BSN02
    Column("ship_date", Date),
    Column("carrier", String(64), nullable=False, default=""),
    Column("tracking", String(64), nullable=False, default=""),
    Column("ship_to", JSON, nullable=False),
    Column("status", String(16), nullable=False),  # in_transit | received | delivered (drop-ship)
    Column("received_at", DateTime(timezone=True)),
    Column("source_document", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("vendor", "shipment_id", name="uq_vendor_shipments_vendor_shipment"),
)

vendor_shipment_cartons = Table(
    "vendor_shipment_cartons", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_shipment_id", Id, ForeignKey("vendor_shipments.id"), nullable=False, index=True),
    Column("sscc", String(20), nullable=False),
)

vendor_shipment_lines = Table(
    "vendor_shipment_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_shipment_id", Id, ForeignKey("vendor_shipments.id"), nullable=False, index=True),
    Column("vendor_order_line_id", Id),
    Column("line_number", String(32), nullable=False),
    Column("sku", String(64)),
    Column("sscc", String(20)),
    qty("quantity"),
)

vendor_invoices = Table(
    "vendor_invoices", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_order_id", Id, ForeignKey("vendor_orders.id"), nullable=False, index=True),
    Column("vendor", String(64), nullable=False),
    Column("invoice_number", String(64), nullable=False),
    Column("invoice_date", Date),
    Column("currency", String(3), nullable=False, default="USD"),
    money("total"),  # TDS01 as sent
    Column("source_document", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("vendor", "invoice_number", name="uq_vendor_invoices_vendor_invoice"),
)

vendor_invoice_lines = Table(
    "vendor_invoice_lines", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_invoice_id", Id, ForeignKey("vendor_invoices.id"), nullable=False, index=True),
    Column("vendor_order_line_id", Id),
    Column("line_number", String(32), nullable=False),
    Column("sku", String(64)),
    qty("quantity"),
    money("unit_price", False),
)

vendor_invoice_charges = Table(
    "vendor_invoice_charges", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("vendor_invoice_id", Id, ForeignKey("vendor_invoices.id"), nullable=False, index=True),
    Column("indicator", String(1), nullable=False),
    Column("code", String(8), nullable=False),
    money("amount", False),
    Column("description", String(200), nullable=False, default=""),
)

# ----------------------------------------------------------------------------- plumbing
outbox = Table(
    "outbox", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("document_type", String(8), nullable=False),  # 850 | 855 | 856 | 810
    Column("partner_id", String(64), nullable=False),
    Column("order_id", Id),  # customer order; for 850 the drop-ship order (may be NULL for stock POs)
    Column("payload_ref", JSON, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Index("ix_outbox_status_next", "status", "next_attempt_at"),
)

sequences = Table(
    "sequences", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

CORE_TABLES = tuple(metadata.tables)
