"""The gateway's tables on the shared metadata (migration 0002_gateway).

- `gateway_files`: one row per file received (evidence: partner, transport, remote name, size,
  sha256, when); its state follows `states.FILE_TRANSITIONS`. A redelivery gets its own row in
  state `duplicate` pointing at the first (`duplicate_of`), so evidence is never overwritten.
- `gateway_interchanges`: one row per ISA..IEA, unique per (partner, direction, ISA13): the
  database itself refuses a second interchange with the same number from the same sender.
- `gateway_documents`: one row per transaction set in or out, and per ack interchange we send;
  outbound rows carry their control numbers and archive hash *before* they are uploaded, so a
  resend after a crash sends the same bytes under the same numbers. `outbox_id` is unique: one
  core outbox row never gets two documents.
- `gateway_errors`: every finding or failure, with its position as columns.
- `gateway_counters`: control-number counters per (partner, direction), one column per kind (ISA13,
  GS06, ST02) so one UPDATE allocates a whole interchange's numbers; incremented inside
  the caller's transaction, so a number is used at most once; a rolled-back transaction leaves no
  gap, a failed upload leaves a visible one (the document row stays with its numbers).
- `gateway_job_runs`: one row per (job, slot); the unique key makes a double fire a no-op.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Column, DateTime, ForeignKey, Index, Integer, String, Table,
                        Text, UniqueConstraint, JSON)

from core.adapters.tables import Id, metadata

TS = DateTime(timezone=True)  # always UTC

gateway_files = Table(
    "gateway_files", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("partner_id", String(64), nullable=False),
    Column("transport", String(16), nullable=False),          # sftp | local | cli
    Column("evidence", JSON, nullable=False),                  # user, host, key fingerprint ...
    Column("remote_name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("received_at", TS, nullable=False),
    Column("remote_done", Integer, nullable=False, default=0),  # 1 once moved/deleted remotely
    Column("state", String(16), nullable=False),
    Column("reason", Text),
    Column("format", String(8)),                                # x12 | xml | unknown
    Column("duplicate_of", Id),
    Column("attempts", Integer, nullable=False, default=0),
    Column("trace_id", String(32), nullable=False),
    Column("updated_at", TS, nullable=False),
    Index("ix_gateway_files_partner_sha", "partner_id", "sha256"),
    Index("ix_gateway_files_state", "state"),
)

gateway_interchanges = Table(
    "gateway_interchanges", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("partner_id", String(64), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("isa13", String(9), nullable=False),
    Column("file_id", Id, ForeignKey("gateway_files.id")),
    Column("sender", String(40), nullable=False),
    Column("receiver", String(40), nullable=False),
    Column("version", String(5), nullable=False, default=""),
    Column("status", String(24), nullable=False, default=""),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("partner_id", "direction", "isa13", name="uq_gateway_interchanges_isa13"),
)

gateway_documents = Table(
    "gateway_documents", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("direction", String(3), nullable=False),
    Column("doc_type", String(8), nullable=False),            # 850 855 856 810 997 999 TA1 cxml
    Column("partner_id", String(64), nullable=False),
    Column("file_id", Id, ForeignKey("gateway_files.id")),    # inbound: the file it came in
    Column("interchange_id", Id, ForeignKey("gateway_interchanges.id")),
    Column("outbox_id", Id, unique=True),                     # outbound from the core's outbox
    Column("isa13", String(9)),
    Column("gs06", String(9)),
    Column("st02", String(9)),
    Column("functional_id", String(2)),
    Column("order_id", Id),
    Column("reference", String(80)),                          # PO number, invoice number ...
    Column("status", String(24), nullable=False),
    Column("trace_id", String(32), nullable=False),
    Column("sha256", String(64)),                             # outbound: the rendered bytes
    Column("filename", String(255)),                          # outbound: the name uploaded
    Column("ack_status", String(24)),                         # states.AckStatus
    Column("ack_due_at", TS),
    Column("ack_document_id", Id),                            # the 997/999 that answered it
    Column("ack_detail", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", TS),
    Column("last_error", Text),
    Column("created_at", TS, nullable=False),
    Column("sent_at", TS),
    Column("updated_at", TS, nullable=False),
    Index("ix_gateway_documents_send", "direction", "status", "next_attempt_at"),
    Index("ix_gateway_documents_ctl", "partner_id", "direction", "isa13", "gs06", "st02"),
    Index("ix_gateway_documents_file", "file_id"),
    Index("ix_gateway_documents_order", "order_id"),
)

gateway_errors = Table(
    "gateway_errors", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("gateway_files.id")),
    Column("document_id", Id, ForeignKey("gateway_documents.id")),
    Column("partner_id", String(64)),
    Column("stage", String(16), nullable=False),              # receive check map apply send ack
    Column("code", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("segment_id", String(3)),
    Column("segment_position", Integer),
    Column("element_position", Integer),
    Column("byte_offset", BigInteger),
    Column("created_at", TS, nullable=False),
    Index("ix_gateway_errors_file", "file_id"),
)

gateway_counters = Table(
    "gateway_counters", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("direction", String(3), primary_key=True),
    Column("isa", BigInteger, nullable=False, default=0),     # last ISA13 used
    Column("gs", BigInteger, nullable=False, default=0),      # last GS06 used
    Column("st", BigInteger, nullable=False, default=0),      # last ST02 used
)

gateway_job_runs = Table(
    "gateway_job_runs", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("job", String(64), nullable=False),
    Column("slot", String(64), nullable=False),
    Column("owner", String(64), nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS),
    Column("outcome", String(16), nullable=False, default="running"),
    Column("detail", JSON),
    UniqueConstraint("job", "slot", name="uq_gateway_job_runs_job_slot"),
)
