"""Archive retention: remove blobs older than `gateway.archive_retention_days` (default 365) that
no unfinished file or unsent document still needs; the database rows stay (the evidence of what
was received and sent), only the bytes age out."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.store.states import DocStatus, FileState
from gateway.store.tables import gateway_documents, gateway_files

DEFAULT_RETENTION_DAYS = 365


def retention_days(settings: dict[str, Any]) -> float:
    return float((settings.get("gateway") or {}).get("archive_retention_days", DEFAULT_RETENTION_DAYS))


def prune_archive(gw: Any, days: float | None = None) -> int:
    days = retention_days(gw.home.settings) if days is None else days
    with gw.engine.connect() as conn:
        keep = set(conn.execute(select(gateway_files.c.sha256).where(gateway_files.c.state.in_(
            [FileState.RECEIVED.value, FileState.CHECKED.value, FileState.QUARANTINED.value]))).scalars())
        keep |= set(conn.execute(select(gateway_documents.c.sha256).where(
            gateway_documents.c.status.in_([DocStatus.READY.value, DocStatus.SEND_FAILED.value]))).scalars())
        conn.rollback()
    return gw.archive.prune(days, keep={k for k in keep if k})
