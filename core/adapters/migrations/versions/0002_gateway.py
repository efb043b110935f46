"""0002_gateway: the gateway's files, interchanges, documents, errors, counters and job runs.

Pre-release: edited in place (see docs/CONTRACTS.md). Explicit op.create_table, no model imports;
generated from gateway/store/tables.py and checked against it by a test.

Revision ID: 0002_gateway
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_gateway"
down_revision = "0001_core"
branch_labels = ("gateway",)
depends_on = None


def upgrade() -> None:
    op.create_table('gateway_counters',
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('isa', sa.BigInteger(), nullable=False),
    sa.Column('gs', sa.BigInteger(), nullable=False),
    sa.Column('st', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('partner_id', 'direction', name=op.f('pk_gateway_counters'))
    )
    op.create_table('gateway_files',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('transport', sa.String(length=16), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('remote_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('remote_done', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=True),
    sa.Column('duplicate_of', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('trace_id', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_files'))
    )
    op.create_index('ix_gateway_files_partner_sha', 'gateway_files', ['partner_id', 'sha256'], unique=False)
    op.create_index('ix_gateway_files_state', 'gateway_files', ['state'], unique=False)
    op.create_table('gateway_job_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.String(length=64), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_job_runs')),
    sa.UniqueConstraint('job', 'slot', name='uq_gateway_job_runs_job_slot')
    )
    op.create_table('gateway_interchanges',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('isa13', sa.String(length=9), nullable=False),
    sa.Column('file_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('sender', sa.String(length=40), nullable=False),
    sa.Column('receiver', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['gateway_files.id'], name=op.f('fk_gateway_interchanges_file_id_gateway_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_interchanges')),
    sa.UniqueConstraint('partner_id', 'direction', 'isa13', name='uq_gateway_interchanges_isa13')
    )
    op.create_table('gateway_documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('file_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('interchange_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('outbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('isa13', sa.String(length=9), nullable=True),
    sa.Column('gs06', sa.String(length=9), nullable=True),
    sa.Column('st02', sa.String(length=9), nullable=True),
    sa.Column('functional_id', sa.String(length=2), nullable=True),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reference', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('trace_id', sa.String(length=32), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('ack_status', sa.String(length=24), nullable=True),
    sa.Column('ack_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ack_document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('ack_detail', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['gateway_files.id'], name=op.f('fk_gateway_documents_file_id_gateway_files')),
    sa.ForeignKeyConstraint(['interchange_id'], ['gateway_interchanges.id'], name=op.f('fk_gateway_documents_interchange_id_gateway_interchanges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_documents')),
    sa.UniqueConstraint('outbox_id', name=op.f('uq_gateway_documents_outbox_id'))
    )
    op.create_index('ix_gateway_documents_ctl', 'gateway_documents', ['partner_id', 'direction', 'isa13', 'gs06', 'st02'], unique=False)
    op.create_index('ix_gateway_documents_file', 'gateway_documents', ['file_id'], unique=False)
    op.create_index('ix_gateway_documents_order', 'gateway_documents', ['order_id'], unique=False)
    op.create_index('ix_gateway_documents_send', 'gateway_documents', ['direction', 'status', 'next_attempt_at'], unique=False)
    op.create_table('gateway_errors',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('file_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('partner_id', sa.String(length=64), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('segment_id', sa.String(length=3), nullable=True),
    sa.Column('segment_position', sa.Integer(), nullable=True),
    sa.Column('element_position', sa.Integer(), nullable=True),
    sa.Column('byte_offset', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['gateway_documents.id'], name=op.f('fk_gateway_errors_document_id_gateway_documents')),
    sa.ForeignKeyConstraint(['file_id'], ['gateway_files.id'], name=op.f('fk_gateway_errors_file_id_gateway_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gateway_errors'))
    )
    op.create_index('ix_gateway_errors_file', 'gateway_errors', ['file_id'], unique=False)


def downgrade() -> None:
    op.drop_table('gateway_errors')
    op.drop_table('gateway_documents')
    op.drop_table('gateway_interchanges')
    op.drop_table('gateway_files')
    op.drop_table('gateway_job_runs')
    op.drop_table('gateway_counters')
