"""Errors the flow records against a file or a document: a code, a message, and where."""
from __future__ import annotations


class FlowError(Exception):
    """A step of the flow refused to go on; `code` is stored in gateway_errors, `stage` says
    which step (receive, check, map, apply, render, send, ack)."""

    def __init__(self, code: str, message: str, *, stage: str = "process",
                 segment_id: str | None = None, segment_position: int | None = None,
                 element_position: int | None = None, byte_offset: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.stage = stage
        self.segment_id = segment_id
        self.segment_position = segment_position
        self.element_position = element_position
        self.byte_offset = byte_offset
