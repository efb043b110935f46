"""The X12 engine: streaming reader, envelope checks, acknowledgements (997/999/TA1) and writer.

Public API (docs/CONTRACTS.md, "X12 engine API"). Names load lazily so that importing the package
is cheap and one module's absence never breaks the others.
"""
from __future__ import annotations

import importlib
from typing import Any

from gateway.x12.errors import DelimiterInData, Level, Severity, X12Error, X12ReadError
from gateway.x12.model import Delimiters, GroupHeader, InterchangeHeader, Segment, TransactionSet

_LAZY: dict[str, str] = {
    "iter_transactions": "gateway.x12.reader",
    "read_events": "gateway.x12.reader",
    "check": "gateway.x12.check_file",
    "FileReport": "gateway.x12.report",
    "InterchangeReport": "gateway.x12.report",
    "GroupReport": "gateway.x12.report",
    "TransactionReport": "gateway.x12.report",
    "Status": "gateway.x12.report",
    "SetStatus": "gateway.x12.report",
    "build_acks": "gateway.x12.acks",
    "AckDocument": "gateway.x12.acks",
    "build_interchange_ack": "gateway.x12.acks",
    "SequentialControlNumbers": "gateway.x12.acks",
    "StructurePort": "gateway.x12.checker_port",
    "X12Writer": "gateway.x12.writer",
    "write_interchange": "gateway.x12.writer",
    "GroupSpec": "gateway.x12.writer",
}

__all__ = ["DelimiterInData", "Delimiters", "GroupHeader", "InterchangeHeader", "Level", "Segment",
           "Severity", "TransactionSet", "X12Error", "X12ReadError", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gateway.x12' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
