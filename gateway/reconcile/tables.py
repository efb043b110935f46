"""Reconciliation's own tables, on the shared metadata (migration 0003_reconcile).

- `reconcile_exceptions`: one row per condition found, keyed by a stable `key` so a rerun
  updates the row (last_seen, amount, detail) instead of adding a second one, and resolves it
  with a note when the condition is gone.
- `reconcile_outcomes`: one row per document that was matched or disputed (invoices, ship
  notices, acks), so the report can show totals matched next to totals in dispute.
- `reconcile_partner_settings` (TEMPORARY, per run): the per-partner cut-off times and
  tolerances of the current run, so every check is one set-based query joining it.
- `reconcile_runs`: when each pass ran and what it changed.
"""
from __future__ import annotations

from sqlalchemy import (JSON, Boolean, Column, DateTime, Index, Integer, MetaData, Numeric, String,
                        Table, Text)

from core.adapters.tables import metadata, outbox

from gateway.store.tables import gateway_documents

# Read paths of reconciliation on other parts' tables, declared here so create_all and migration
# 0003 both make them: is the 855/856 for this order sent (outbox by order and type)? which of
# our documents did this 997 answer (documents by ack_document_id)?
Index("ix_reconcile_outbox_order_type", outbox.c.order_id, outbox.c.document_type)
Index("ix_reconcile_gateway_documents_ack", gateway_documents.c.ack_document_id)

MONEY = Numeric(18, 4)
TS = DateTime(timezone=True)  # always UTC, like the core's timestamps

reconcile_exceptions = Table(
    "reconcile_exceptions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("type", String(40), nullable=False),
    Column("area", String(20), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("partner_id", String(64)),
    Column("subject", String(80)),            # the main document, e.g. vendor_invoice:12
    Column("order_ref", String(64)),          # our order id or PO number, for people
    Column("documents", JSON, nullable=False, default=list),  # [{type, id, ref, label}]
    Column("lines", JSON, nullable=False, default=list),      # [line numbers]
    Column("amount", MONEY),                  # amount at stake, in the document currency
    Column("reason", Text, nullable=False),
    Column("detail", JSON, nullable=False, default=dict),
    Column("status", String(16), nullable=False, default="open"),
    Column("note", Text),
    Column("first_seen", TS, nullable=False),
    Column("last_seen", TS, nullable=False),
    Column("acknowledged_at", TS),
    Column("acknowledged_by", String(64)),
    Column("resolved_at", TS),
    Column("occurrences", Integer, nullable=False, default=1),
)
Index("ix_reconcile_exceptions_status_type", reconcile_exceptions.c.status,
      reconcile_exceptions.c.type)
Index("ix_reconcile_exceptions_partner", reconcile_exceptions.c.partner_id)
Index("ix_reconcile_exceptions_subject", reconcile_exceptions.c.subject)

reconcile_outcomes = Table(
    "reconcile_outcomes", metadata,
    Column("key", String(255), primary_key=True),   # e.g. vendor_invoice:12
    Column("area", String(20), nullable=False),
    Column("partner_id", String(64)),
    Column("doc_type", String(32), nullable=False),  # vendor_invoice, vendor_shipment, ...
    Column("doc_id", String(64), nullable=False),
    Column("doc_ref", String(64)),                   # invoice number, shipment id, ...
    Column("amount", MONEY),
    Column("outcome", String(16), nullable=False),  # matched | disputed
    Column("as_of", TS, nullable=False),
)
Index("ix_reconcile_outcomes_partner", reconcile_outcomes.c.partner_id)

reconcile_findings = Table(
    # staging: what one run found, merged into reconcile_exceptions in a few set-based statements
    "reconcile_findings", metadata,
    Column("run_id", Integer, primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("type", String(40), nullable=False),
    Column("area", String(20), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("partner_id", String(64)),
    Column("subject", String(80)),
    Column("order_ref", String(64)),
    Column("documents", JSON, nullable=False),
    Column("lines", JSON, nullable=False),
    Column("amount", MONEY),
    Column("reason", Text, nullable=False),
    Column("detail", JSON, nullable=False),
)

reconcile_runs = Table(
    "reconcile_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("as_of", TS, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS),
    Column("found", Integer, nullable=False, default=0),
    Column("opened", Integer, nullable=False, default=0),
    Column("resolved", Integer, nullable=False, default=0),
    Column("matched", Integer, nullable=False, default=0),
    Column("errors", JSON, nullable=False, default=list),
)

# Per-run, per-connection: a TEMPORARY table on its own MetaData (never migrated). It lives inside
# the read transaction of one pass and disappears with it; writing it takes no lock on the
# database, so a long pass on SQLite never blocks the gateway's writers.
temp_metadata = MetaData()
reconcile_partner_settings = Table(
    "reconcile_partner_settings", temp_metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("ack_cutoff", TS, nullable=False),
    Column("vendor_ack_cutoff", TS, nullable=False),
    Column("customer_ack_cutoff", TS, nullable=False),
    Column("asn_cutoff", TS, nullable=False),
    Column("in_transit_cutoff", TS, nullable=False),
    Column("invoice_cutoff", TS, nullable=False),
    Column("late_grace_days", Integer, nullable=False),
    Column("quantity_tolerance_percent", MONEY, nullable=False),
    Column("quantity_tolerance_units", MONEY, nullable=False),
    Column("price_tolerance_percent", MONEY, nullable=False),
    Column("price_tolerance_amount", MONEY, nullable=False),
    Column("total_tolerance_amount", MONEY, nullable=False),
    Column("resource_rejected_lines", Boolean, nullable=False),
    Column("allowed_charges", String(500), nullable=False, default=""),  # ",D240,H850,"
    prefixes=["TEMPORARY"],
)
