"""Tell X12 from XML by the first meaningful bytes; anything else is quarantined unread.

Nothing that arrives is ever interpreted as configuration or executed (RELIABILITY.md): a file is
X12 only if it starts with ISA, XML only if it starts with '<'.
"""
from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    X12 = "x12"
    XML = "xml"
    UNKNOWN = "unknown"


def sniff(data: bytes) -> Format:
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"ISA"):
        return Format.X12
    if head.startswith(b"<"):
        return Format.XML
    return Format.UNKNOWN
