"""Document read model over the gateway's store: list, trace, and the original bytes."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gateway.api.views.convert import when


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return when(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def original_bytes(conn: Any, archive: Any, doc_id: int) -> tuple[bytes, str, str] | None:
    """(bytes, filename, media type) of a document: the file it came in, or what we sent."""
    from gateway.store import documents, files

    doc = documents.get(conn, doc_id)
    if doc is None:
        return None
    if doc["direction"] == "in" and doc["file_id"] is not None:
        row = files.get(conn, doc["file_id"])
        if row is None:
            return None
        sha, name, fmt = row["sha256"], row["remote_name"], row["format"]
    else:
        sha, name, fmt = doc["sha256"], doc["filename"] or f"document-{doc_id}", None
    if not sha:
        return None
    media = "application/xml" if fmt == "xml" or (name or "").endswith(".xml") else "application/edi-x12"
    return archive.get(sha), name, media
