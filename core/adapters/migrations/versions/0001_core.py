"""0001_core: the order core's tables (root of every part's branch).

Pre-release: edited in place (see docs/CONTRACTS.md), rendered by
`python -m core.adapters.migrations.render_core`. Explicit op.create_table calls, so the
migration never depends on the current models.

Revision ID: 0001_core
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_core"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
    op.create_table('inventory_movements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('on_hand_delta', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('reserved_delta', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('in_transit_delta', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_movements'))
    )
    op.create_index('ix_inventory_movements_sku_location', 'inventory_movements', ['sku', 'location'], unique=False)
    op.create_table('items',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('upc', sa.String(length=32), nullable=True),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.PrimaryKeyConstraint('sku', name=op.f('pk_items')),
    sa.UniqueConstraint('upc', name=op.f('uq_items_upc'))
    )
    op.create_table('locations',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('postal_code', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('cost', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_locations'))
    )
    op.create_table('orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_key', sa.String(length=64), nullable=False),
    sa.Column('po_number', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('requested_ship_date', sa.Date(), nullable=True),
    sa.Column('requested_delivery_date', sa.Date(), nullable=True),
    sa.Column('cancel_after', sa.Date(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('terms', sa.String(length=64), nullable=False),
    sa.Column('carrier', sa.String(length=64), nullable=False),
    sa.Column('service', sa.String(length=64), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('order_refs', sa.JSON(), nullable=False),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('order_key', 'po_number', name='uq_orders_key_po')
    )
    op.create_index('ix_orders_po_number', 'orders', ['po_number'], unique=False)
    op.create_index('ix_orders_status', 'orders', ['status'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('document_type', sa.String(length=8), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('payload_ref', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index('ix_outbox_status_next', 'outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_table('sequences',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sequences'))
    )
    op.create_table('acknowledgements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ack_type', sa.String(length=4), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_acknowledgements_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgements'))
    )
    op.create_index(op.f('ix_acknowledgements_order_id'), 'acknowledgements', ['order_id'], unique=False)
    op.create_table('holds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=True),
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_holds_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holds'))
    )
    op.create_index(op.f('ix_holds_order_id'), 'holds', ['order_id'], unique=False)
    op.create_table('inventory_levels',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=64), nullable=False),
    sa.Column('on_hand', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('reserved', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('in_transit', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('safety_stock', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['location'], ['locations.code'], name=op.f('fk_inventory_levels_location_locations')),
    sa.PrimaryKeyConstraint('sku', 'location', name=op.f('pk_inventory_levels'))
    )
    op.create_table('invoices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('invoice_number', sa.String(length=64), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('allowances', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('charges', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tax', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_invoices_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('invoice_number', name=op.f('uq_invoices_invoice_number'))
    )
    op.create_index(op.f('ix_invoices_order_id'), 'invoices', ['order_id'], unique=False)
    op.create_table('order_history',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=48), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_history_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_history'))
    )
    op.create_index(op.f('ix_order_history_order_id'), 'order_history', ['order_id'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('upc', sa.String(length=32), nullable=True),
    sa.Column('buyer_part', sa.String(length=64), nullable=True),
    sa.Column('vendor_part', sa.String(length=64), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('uom', sa.String(length=8), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('requested_ship_date', sa.Date(), nullable=True),
    sa.Column('ordered', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('open', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('accepted', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('backordered', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('rejected', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('allocated', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('released', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('shipped', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('invoiced', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('cancelled', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('returned', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('reject_reason', sa.String(length=200), nullable=True),
    sa.Column('item_known', sa.Boolean(), nullable=False),
    sa.Column('excluded_locations', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('order_id', 'line_number', name='uq_order_lines_order_line')
    )
    op.create_table('returns',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rma_number', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_returns_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns')),
    sa.UniqueConstraint('rma_number', name=op.f('uq_returns_rma_number'))
    )
    op.create_index(op.f('ix_returns_order_id'), 'returns', ['order_id'], unique=False)
    op.create_table('shipments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('shipment_number', sa.String(length=64), nullable=False),
    sa.Column('carrier', sa.String(length=64), nullable=False),
    sa.Column('tracking', sa.String(length=64), nullable=False),
    sa.Column('ship_date', sa.Date(), nullable=False),
    sa.Column('vendor_shipment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_shipments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('shipment_number', name=op.f('uq_shipments_shipment_number'))
    )
    op.create_index(op.f('ix_shipments_order_id'), 'shipments', ['order_id'], unique=False)
    op.create_table('vendor_items',
    sa.Column('location', sa.String(length=64), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('vendor_part', sa.String(length=64), nullable=True),
    sa.Column('cost', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['location'], ['locations.code'], name=op.f('fk_vendor_items_location_locations')),
    sa.ForeignKeyConstraint(['sku'], ['items.sku'], name=op.f('fk_vendor_items_sku_items')),
    sa.PrimaryKeyConstraint('location', 'sku', name=op.f('pk_vendor_items'))
    )
    op.create_index(op.f('ix_vendor_items_sku'), 'vendor_items', ['sku'], unique=False)
    op.create_table('vendor_orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor', sa.String(length=64), nullable=False),
    sa.Column('po_number', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('ship_to_location', sa.String(length=64), nullable=True),
    sa.Column('ship_to', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_vendor_orders_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_orders')),
    sa.UniqueConstraint('vendor', 'po_number', name='uq_vendor_orders_vendor_po')
    )
    op.create_table('acknowledgement_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('acknowledgement_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('status_code', sa.String(length=4), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['acknowledgement_id'], ['acknowledgements.id'], name=op.f('fk_acknowledgement_lines_acknowledgement_id_acknowledgements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgement_lines'))
    )
    op.create_index(op.f('ix_acknowledgement_lines_acknowledgement_id'), 'acknowledgement_lines', ['acknowledgement_id'], unique=False)
    op.create_table('allocations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('location', sa.String(length=64), nullable=False),
    sa.Column('allocated', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('released', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('shipped', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('vendor_po_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['order_lines.id'], name=op.f('fk_allocations_line_id_order_lines')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_allocations_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocations'))
    )
    op.create_index(op.f('ix_allocations_line_id'), 'allocations', ['line_id'], unique=False)
    op.create_index(op.f('ix_allocations_order_id'), 'allocations', ['order_id'], unique=False)
    op.create_table('invoice_charges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('indicator', sa.String(length=1), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_charges_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_charges'))
    )
    op.create_index(op.f('ix_invoice_charges_invoice_id'), 'invoice_charges', ['invoice_id'], unique=False)
    op.create_table('invoice_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('invoice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines'))
    )
    op.create_index(op.f('ix_invoice_lines_invoice_id'), 'invoice_lines', ['invoice_id'], unique=False)
    op.create_table('return_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('authorised', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('received', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('restock_location', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_lines_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_lines'))
    )
    op.create_index(op.f('ix_return_lines_return_id'), 'return_lines', ['return_id'], unique=False)
    op.create_table('shipment_cartons',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('shipment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sscc', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_cartons_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_cartons'))
    )
    op.create_index(op.f('ix_shipment_cartons_shipment_id'), 'shipment_cartons', ['shipment_id'], unique=False)
    op.create_table('shipment_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('shipment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('location', sa.String(length=64), nullable=False),
    sa.Column('sscc', sa.String(length=20), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_lines_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lines'))
    )
    op.create_index(op.f('ix_shipment_lines_shipment_id'), 'shipment_lines', ['shipment_id'], unique=False)
    op.create_table('vendor_acks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ack_type', sa.String(length=4), nullable=False),
    sa.Column('ack_date', sa.Date(), nullable=True),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_vendor_acks_vendor_order_id_vendor_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_acks'))
    )
    op.create_index(op.f('ix_vendor_acks_vendor_order_id'), 'vendor_acks', ['vendor_order_id'], unique=False)
    op.create_table('vendor_invoices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('vendor', sa.String(length=64), nullable=False),
    sa.Column('invoice_number', sa.String(length=64), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_vendor_invoices_vendor_order_id_vendor_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_invoices')),
    sa.UniqueConstraint('vendor', 'invoice_number', name='uq_vendor_invoices_vendor_invoice')
    )
    op.create_index(op.f('ix_vendor_invoices_vendor_order_id'), 'vendor_invoices', ['vendor_order_id'], unique=False)
    op.create_table('vendor_order_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('order_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('allocation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('vendor_part', sa.String(length=64), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('requested_date', sa.Date(), nullable=True),
    sa.Column('shipped', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('received', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('invoiced', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_vendor_order_lines_vendor_order_id_vendor_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_order_lines'))
    )
    op.create_index(op.f('ix_vendor_order_lines_vendor_order_id'), 'vendor_order_lines', ['vendor_order_id'], unique=False)
    op.create_table('vendor_shipments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('vendor', sa.String(length=64), nullable=False),
    sa.Column('shipment_id', sa.String(length=64), nullable=False),
    sa.Column('ship_date', sa.Date(), nullable=True),
    sa.Column('carrier', sa.String(length=64), nullable=False),
    sa.Column('tracking', sa.String(length=64), nullable=False),
    sa.Column('ship_to', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['vendor_order_id'], ['vendor_orders.id'], name=op.f('fk_vendor_shipments_vendor_order_id_vendor_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_shipments')),
    sa.UniqueConstraint('vendor', 'shipment_id', name='uq_vendor_shipments_vendor_shipment')
    )
    op.create_index(op.f('ix_vendor_shipments_vendor_order_id'), 'vendor_shipments', ['vendor_order_id'], unique=False)
    op.create_table('vendor_ack_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_ack_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('status_code', sa.String(length=4), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('substitute_sku', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['vendor_ack_id'], ['vendor_acks.id'], name=op.f('fk_vendor_ack_lines_vendor_ack_id_vendor_acks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_ack_lines'))
    )
    op.create_index(op.f('ix_vendor_ack_lines_vendor_ack_id'), 'vendor_ack_lines', ['vendor_ack_id'], unique=False)
    op.create_table('vendor_invoice_charges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_invoice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('indicator', sa.String(length=1), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['vendor_invoice_id'], ['vendor_invoices.id'], name=op.f('fk_vendor_invoice_charges_vendor_invoice_id_vendor_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_invoice_charges'))
    )
    op.create_index(op.f('ix_vendor_invoice_charges_vendor_invoice_id'), 'vendor_invoice_charges', ['vendor_invoice_id'], unique=False)
    op.create_table('vendor_invoice_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_invoice_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('vendor_order_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['vendor_invoice_id'], ['vendor_invoices.id'], name=op.f('fk_vendor_invoice_lines_vendor_invoice_id_vendor_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_invoice_lines'))
    )
    op.create_index(op.f('ix_vendor_invoice_lines_vendor_invoice_id'), 'vendor_invoice_lines', ['vendor_invoice_id'], unique=False)
    op.create_table('vendor_shipment_cartons',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_shipment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sscc', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['vendor_shipment_id'], ['vendor_shipments.id'], name=op.f('fk_vendor_shipment_cartons_vendor_shipment_id_vendor_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_shipment_cartons'))
    )
    op.create_index(op.f('ix_vendor_shipment_cartons_vendor_shipment_id'), 'vendor_shipment_cartons', ['vendor_shipment_id'], unique=False)
    op.create_table('vendor_shipment_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('vendor_shipment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('vendor_order_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('line_number', sa.String(length=32), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('sscc', sa.String(length=20), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['vendor_shipment_id'], ['vendor_shipments.id'], name=op.f('fk_vendor_shipment_lines_vendor_shipment_id_vendor_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_shipment_lines'))
    )
    op.create_index(op.f('ix_vendor_shipment_lines_vendor_shipment_id'), 'vendor_shipment_lines', ['vendor_shipment_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_vendor_shipment_lines_vendor_shipment_id'), table_name='vendor_shipment_lines')
    op.drop_table('vendor_shipment_lines')
    op.drop_index(op.f('ix_vendor_shipment_cartons_vendor_shipment_id'), table_name='vendor_shipment_cartons')
    op.drop_table('vendor_shipment_cartons')
    op.drop_index(op.f('ix_vendor_invoice_lines_vendor_invoice_id'), table_name='vendor_invoice_lines')
    op.drop_table('vendor_invoice_lines')
    op.drop_index(op.f('ix_vendor_invoice_charges_vendor_invoice_id'), table_name='vendor_invoice_charges')
    op.drop_table('vendor_invoice_charges')
    op.drop_index(op.f('ix_vendor_ack_lines_vendor_ack_id'), table_name='vendor_ack_lines')
    op.drop_table('vendor_ack_lines')
    op.drop_index(op.f('ix_vendor_shipments_vendor_order_id'), table_name='vendor_shipments')
    op.drop_table('vendor_shipments')
    op.drop_index(op.f('ix_vendor_order_lines_vendor_order_id'), table_name='vendor_order_lines')
    op.drop_table('vendor_order_lines')
    op.drop_index(op.f('ix_vendor_invoices_vendor_order_id'), table_name='vendor_invoices')
    op.drop_table('vendor_invoices')
    op.drop_index(op.f('ix_vendor_acks_vendor_order_id'), table_name='vendor_acks')
    op.drop_table('vendor_acks')
    op.drop_index(op.f('ix_shipment_lines_shipment_id'), table_name='shipment_lines')
    op.drop_table('shipment_lines')
    op.drop_index(op.f('ix_shipment_cartons_shipment_id'), table_name='shipment_cartons')
    op.drop_table('shipment_cartons')
    op.drop_index(op.f('ix_return_lines_return_id'), table_name='return_lines')
    op.drop_table('return_lines')
    op.drop_index(op.f('ix_invoice_lines_invoice_id'), table_name='invoice_lines')
    op.drop_table('invoice_lines')
    op.drop_index(op.f('ix_invoice_charges_invoice_id'), table_name='invoice_charges')
    op.drop_table('invoice_charges')
    op.drop_index(op.f('ix_allocations_order_id'), table_name='allocations')
    op.drop_index(op.f('ix_allocations_line_id'), table_name='allocations')
    op.drop_table('allocations')
    op.drop_index(op.f('ix_acknowledgement_lines_acknowledgement_id'), table_name='acknowledgement_lines')
    op.drop_table('acknowledgement_lines')
    op.drop_table('vendor_orders')
    op.drop_table('vendor_items')
    op.drop_index(op.f('ix_shipments_order_id'), table_name='shipments')
    op.drop_table('shipments')
    op.drop_index(op.f('ix_returns_order_id'), table_name='returns')
    op.drop_table('returns')
    op.drop_table('order_lines')
    op.drop_index(op.f('ix_order_history_order_id'), table_name='order_history')
    op.drop_table('order_history')
    op.drop_index(op.f('ix_invoices_order_id'), table_name='invoices')
    op.drop_table('invoices')
    op.drop_table('inventory_levels')
    op.drop_index(op.f('ix_holds_order_id'), table_name='holds')
    op.drop_table('holds')
    op.drop_index(op.f('ix_acknowledgements_order_id'), table_name='acknowledgements')
    op.drop_table('acknowledgements')
    op.drop_table('sequences')
    op.drop_index('ix_outbox_status_next', table_name='outbox')
    op.drop_table('outbox')
    op.drop_index('ix_orders_status', table_name='orders')
    op.drop_index('ix_orders_po_number', table_name='orders')
    op.drop_table('orders')
    op.drop_table('locations')
    op.drop_table('items')
    op.drop_index('ix_inventory_movements_sku_location', table_name='inventory_movements')
    op.drop_table('inventory_movements')
