"""States of received files and documents, and the allowed transitions, as data.

A missing entry in a transition table is an error naming both states (`IllegalFileTransition`):
it means the pipeline tried to move a file backwards, which would hide a bug.
"""
from __future__ import annotations

from enum import Enum


class FileState(str, Enum):
    RECEIVED = "received"        # bytes archived and recorded; not yet looked at
    CHECKED = "checked"          # envelope read, interchange recorded; applying
    APPLIED = "applied"          # final: every usable set applied to the core, acks queued
    DUPLICATE = "duplicate"      # final: same bytes or same (partner, ISA13) seen before
    REFUSED = "refused"          # final: not from the mailbox's partner, or rejected whole
    QUARANTINED = "quarantined"  # final until retried: processing failed, reason recorded


FINAL_FILE_STATES = frozenset({FileState.APPLIED, FileState.DUPLICATE, FileState.REFUSED,
                               FileState.QUARANTINED})

FILE_TRANSITIONS: dict[FileState, frozenset[FileState]] = {
    FileState.RECEIVED: frozenset({FileState.CHECKED, FileState.APPLIED, FileState.DUPLICATE,
                                   FileState.REFUSED, FileState.QUARANTINED}),
    FileState.CHECKED: frozenset({FileState.APPLIED, FileState.DUPLICATE, FileState.REFUSED,
                                  FileState.QUARANTINED}),
    FileState.QUARANTINED: frozenset({FileState.RECEIVED}),  # `documents retry`
    FileState.APPLIED: frozenset({FileState.RECEIVED}),      # `documents retry` (re-run, idempotent)
    FileState.REFUSED: frozenset({FileState.RECEIVED}),
    FileState.DUPLICATE: frozenset(),
}


class IllegalFileTransition(Exception):
    """The pipeline asked for a move the table does not allow."""

    def __init__(self, file_id: int, current: str, wanted: str):
        super().__init__(f"received file {file_id}: cannot go from {current} to {wanted}")
        self.file_id = file_id
        self.current = current
        self.wanted = wanted


def check_file_transition(file_id: int, current: str, wanted: str) -> None:
    allowed = FILE_TRANSITIONS.get(FileState(current), frozenset())
    if FileState(wanted) not in allowed:
        raise IllegalFileTransition(file_id, current, wanted)


class Direction(str, Enum):
    IN = "in"
    OUT = "out"


class DocStatus(str, Enum):
    """Life of one document (one transaction set, or one ack interchange)."""
    # inbound
    ACCEPTED = "accepted"                  # checked and applied to the core
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    REJECTED = "rejected"                  # refused by the check; acknowledged as rejected
    FAILED = "failed"                      # mapping or the core refused it; see errors
    DUPLICATE = "duplicate"
    # outbound
    READY = "ready"                        # rendered with its control numbers, not yet uploaded
    SENT = "sent"                          # uploaded under its final name
    SEND_FAILED = "send_failed"            # retries exhausted; `documents resend` re-queues it


class AckStatus(str, Enum):
    """What the partner's 997/999 said about one of our documents."""
    NOT_EXPECTED = "not_expected"
    PENDING = "pending"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    REJECTED = "rejected"


# AK5 / IK5 / AK9 codes -> our ack status
ACK_CODES: dict[str, AckStatus] = {
    "A": AckStatus.ACCEPTED, "E": AckStatus.ACCEPTED_WITH_ERRORS, "P": AckStatus.ACCEPTED_WITH_ERRORS,
    "M": AckStatus.REJECTED, "R": AckStatus.REJECTED, "W": AckStatus.REJECTED,
    "X": AckStatus.REJECTED,
}
