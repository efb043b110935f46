"""`documents retry` and `documents resend`: re-run a stored file, re-upload a sent document.

Retry re-processes from the archived bytes (never from the partner), so the result is the same as
the first time except for what was broken: the core is idempotent per PO, acks are not re-sent for
an interchange already acknowledged. Resend re-uploads the stored bytes under the same name and
control numbers: the partner may see the same file twice, never two numbers for one document.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from gateway.flow.context import Gateway
from gateway.store import documents, files
from gateway.store.states import FileState


class RetryError(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@dataclass
class Outcome:
    ok: bool
    message: str


def retry(gw: Gateway, doc_id: int, *, is_file: bool = False) -> Outcome:
    from gateway.flow.process import process_file
    from gateway.flow.upload import upload_ready

    with gw.engine.begin() as conn:
        if is_file:
            file_id = doc_id
        else:
            doc = documents.get(conn, doc_id)
            if doc is None:
                raise RetryError(f"no document with id {doc_id}", "see `ordergate documents list`")
            if doc["direction"] == "out":
                documents.requeue(conn, doc_id)
                file_id = None
            else:
                file_id = doc["file_id"]
        if file_id is not None:
            row = files.get(conn, file_id)
            if row is None:
                raise RetryError(f"no received file with id {file_id}",
                                 "see `ordergate documents files`")
            if row["state"] == FileState.DUPLICATE.value:
                raise RetryError(f"file {file_id} is a duplicate of file {row['duplicate_of']}; "
                                 "it is never applied", f"retry file {row['duplicate_of']} instead")
            if row["state"] != FileState.RECEIVED.value:
                files.set_state(conn, file_id, FileState.RECEIVED, f"retry (was {row['state']})")
    if file_id is None:
        sent = upload_ready(gw, doc["partner_id"])
        ok = doc_id in sent.sent
        return Outcome(ok, f"document {doc_id}: {'sent' if ok else 'upload failed again; see documents show'}")
    with gw.engine.connect() as conn:
        row = files.get(conn, file_id)
        conn.rollback()
    outcome = process_file(gw, row)
    upload_ready(gw, row["partner_id"])
    ok = outcome.state in (FileState.APPLIED, FileState.DUPLICATE)
    return Outcome(ok, f"file {file_id}: {outcome.state.value}"
                   + (f" ({outcome.reason})" if outcome.reason else ""))


def resend(gw: Gateway, doc_id: int) -> Outcome:
    from gateway.flow.upload import upload_ready

    with gw.engine.begin() as conn:
        doc = documents.get(conn, doc_id)
        if doc is None:
            raise RetryError(f"no document with id {doc_id}", "see `ordergate documents list`")
        if doc["direction"] != "out":
            raise RetryError(f"document {doc_id} is one we received; only our own documents can "
                             "be resent", f"use `ordergate documents retry {doc_id}` to process "
                             "its file again")
        documents.requeue(conn, doc_id)
        conn.execute(update(documents.docs).where(documents.docs.c.id == doc_id).values(attempts=0))
    sent = upload_ready(gw, doc["partner_id"])
    ok = doc_id in sent.sent
    return Outcome(ok, f"document {doc_id} ({doc['doc_type']} ISA13 {doc['isa13']}) "
                   + (f"sent again as {doc['filename']}" if ok else "could not be sent; see "
                      f"`ordergate documents show {doc_id}`"))
