"""0003_reconcile: reconciliation's exceptions, outcomes, per-run settings and runs.

Pre-release: edited in place (see docs/CONTRACTS.md). Explicit op.create_table, no model imports;
generated from gateway/reconcile/tables.py and checked against it by a test.

Revision ID: 0003_reconcile
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_reconcile"
down_revision = "0001_core"
branch_labels = ("reconcile",)
depends_on = "0002_gateway"  # an index on gateway_documents (see tables.py)


def upgrade() -> None:
    op.create_table('reconcile_exceptions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=80), nullable=True),
    sa.Column('order_ref', sa.String(length=64), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconcile_exceptions')),
    sa.UniqueConstraint('key', name=op.f('uq_reconcile_exceptions_key'))
    )
    op.create_index('ix_reconcile_exceptions_partner', 'reconcile_exceptions', ['partner_id'], unique=False)
    op.create_index('ix_reconcile_exceptions_status_type', 'reconcile_exceptions', ['status', 'type'], unique=False)
    op.create_index('ix_reconcile_exceptions_subject', 'reconcile_exceptions', ['subject'], unique=False)
    op.create_table('reconcile_findings',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=80), nullable=True),
    sa.Column('order_ref', sa.String(length=64), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('run_id', 'key', name=op.f('pk_reconcile_findings'))
    )
    op.create_table('reconcile_outcomes',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('doc_type', sa.String(length=32), nullable=False),
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('doc_ref', sa.String(length=64), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_reconcile_outcomes'))
    )
    op.create_index('ix_reconcile_outcomes_partner', 'reconcile_outcomes', ['partner_id'], unique=False)
    op.create_table('reconcile_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('opened', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconcile_runs'))
    )
    op.create_index('ix_reconcile_outbox_order_type', 'outbox', ['order_id', 'document_type'], unique=False)
    op.create_index('ix_reconcile_gateway_documents_ack', 'gateway_documents', ['ack_document_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reconcile_gateway_documents_ack', table_name='gateway_documents')
    op.drop_index('ix_reconcile_outbox_order_type', table_name='outbox')
    op.drop_table('reconcile_runs')
    op.drop_index('ix_reconcile_outcomes_partner', table_name='reconcile_outcomes')
    op.drop_table('reconcile_outcomes')
    op.drop_table('reconcile_findings')
    op.drop_index('ix_reconcile_exceptions_subject', table_name='reconcile_exceptions')
    op.drop_index('ix_reconcile_exceptions_status_type', table_name='reconcile_exceptions')
    op.drop_index('ix_reconcile_exceptions_partner', table_name='reconcile_exceptions')
    op.drop_table('reconcile_exceptions')
