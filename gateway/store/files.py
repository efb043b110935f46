"""Received files: record (evidence first), find redeliveries, move through the state table, and
claim the next one to process.

Claiming: on PostgreSQL a file is claimed with FOR UPDATE SKIP LOCKED inside a transaction that the
caller keeps open while it processes the file and in which it writes the final records, so two
processes never take the same file and a process that dies releases its file at once. On SQLite
only one process runs (see `lock.py`) and a long write transaction would block the core's own
commits, so the claim is a plain read and the final records get a short transaction of their own.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import Connection, Engine, RowMapping, insert, select, update

from gateway.store.clock import new_trace_id, utcnow
from gateway.store.states import FINAL_FILE_STATES, FileState, check_file_transition
from gateway.store.tables import gateway_errors, gateway_files


@dataclass(frozen=True)
class Received:
    """What the transport gave us, before anything is parsed."""
    partner_id: str
    transport: str
    remote_name: str
    size: int
    sha256: str
    evidence: dict[str, Any]


def record_received(conn: Connection, item: Received) -> tuple[int, str]:
    """Insert the file's row; returns (id, state). A file whose bytes this partner already sent is
    recorded as a duplicate of the first one (never applied again). A re-download of the very same
    delivery whose remote move had not happened yet (crash between commit and move) is *not* a
    duplicate: the existing row is returned with state 'same_delivery'."""
    same = conn.execute(
        select(gateway_files.c.id, gateway_files.c.remote_name, gateway_files.c.remote_done)
        .where(gateway_files.c.partner_id == item.partner_id, gateway_files.c.sha256 == item.sha256,
               gateway_files.c.state != FileState.DUPLICATE.value)
        .order_by(gateway_files.c.id).limit(1)).first()
    if same is not None and same.remote_name == item.remote_name and not same.remote_done:
        return same.id, "same_delivery"
    now = utcnow()
    values = dict(partner_id=item.partner_id, transport=item.transport, evidence=item.evidence,
                  remote_name=item.remote_name, size=item.size, sha256=item.sha256,
                  received_at=now, updated_at=now, remote_done=0, trace_id=new_trace_id(),
                  attempts=0)
    if same is not None:
        values.update(state=FileState.DUPLICATE.value, duplicate_of=same.id,
                      reason=f"same content as file {same.id} ({same.remote_name})")
    else:
        values.update(state=FileState.RECEIVED.value)
    file_id = conn.execute(insert(gateway_files).values(**values).returning(gateway_files.c.id)).scalar_one()
    return file_id, values["state"]


def mark_remote_done(conn: Connection, file_id: int) -> None:
    conn.execute(update(gateway_files).where(gateway_files.c.id == file_id).values(remote_done=1))


def mark_remote_done_many(conn: Connection, file_ids: list[int]) -> None:
    for start in range(0, len(file_ids), 500):
        conn.execute(update(gateway_files).where(gateway_files.c.id.in_(file_ids[start:start + 500]))
                     .values(remote_done=1))


def set_state(conn: Connection, file_id: int, state: FileState, reason: str | None = None,
              **extra: Any) -> None:
    current = conn.execute(select(gateway_files.c.state).where(gateway_files.c.id == file_id)).scalar_one()
    if current != state.value:
        check_file_transition(file_id, current, state.value)
    conn.execute(update(gateway_files).where(gateway_files.c.id == file_id)
                 .values(state=state.value, reason=reason, updated_at=utcnow(), **extra))


def get(conn: Connection, file_id: int) -> RowMapping | None:
    return conn.execute(select(gateway_files).where(gateway_files.c.id == file_id)).mappings().first()


def add_error(conn: Connection, *, stage: str, code: str, message: str, file_id: int | None = None,
              document_id: int | None = None, partner_id: str | None = None,
              segment_id: str | None = None, segment_position: int | None = None,
              element_position: int | None = None, byte_offset: int | None = None) -> None:
    conn.execute(insert(gateway_errors).values(
        stage=stage, code=code, message=message[:4000], file_id=file_id, document_id=document_id,
        partner_id=partner_id, segment_id=segment_id, segment_position=segment_position,
        element_position=element_position, byte_offset=byte_offset, created_at=utcnow()))


def pending_ids(conn: Connection, partner_id: str | None = None) -> list[int]:
    q = select(gateway_files.c.id).where(gateway_files.c.state.in_(
        [FileState.RECEIVED.value, FileState.CHECKED.value])).order_by(gateway_files.c.id)
    if partner_id:
        q = q.where(gateway_files.c.partner_id == partner_id)
    return list(conn.execute(q).scalars())


@contextmanager
def claim_next(engine: Engine, skip: set[int]) -> Iterator[tuple[Connection | None, RowMapping | None]]:
    """Yield (conn, file row) for the next file still to process, or (None, None) when none is left.
    On PostgreSQL `conn` holds the row lock; write the final records on it before leaving the
    block (it commits on exit). On SQLite `conn` is None."""
    open_states = [FileState.RECEIVED.value, FileState.CHECKED.value]
    query = (select(gateway_files).where(gateway_files.c.state.in_(open_states))
             .order_by(gateway_files.c.id).limit(1))
    if skip:
        query = query.where(gateway_files.c.id.not_in(skip))
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            row = conn.execute(query.with_for_update(skip_locked=True)).mappings().first()
            yield (conn, row) if row is not None else (None, None)
        return
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
        conn.rollback()
    yield None, row


def is_final(state: str) -> bool:
    return FileState(state) in FINAL_FILE_STATES
