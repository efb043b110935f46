"""Engines tuned per backend. SQLite: WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE, so
that several writers queue instead of failing with "database is locked" (see RELIABILITY.md)."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_CACHE_KB = 65_536
SQLITE_CHECKPOINT_PAGES = 16_384  # 4 KB pages: 64 MB


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here (the only PostgreSQL driver we install)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_dumps(value: Any) -> str:
    """JSON columns accept Decimals and dates (as strings) without a pre-pass over the data."""
    return json.dumps(value, default=_json_default, separators=(",", ":"))


def create_engine_for(url: str, **kw: Any) -> Engine:
    """An engine for `url`. On SQLite every transaction starts with BEGIN IMMEDIATE (take the write
    lock up front: no deadlock-by-upgrade); pass execution option `sqlite_begin="DEFERRED"` for a
    read-only connection that should not queue behind writers."""
    url = normalise_url(url)
    kw.setdefault("json_serializer", json_dumps)
    if make_url(url).get_backend_name() != "sqlite":
        kw.setdefault("pool_pre_ping", True)
        return create_engine(url, **kw)
    import sqlite3

    # Decimals bind as floats, exactly what SQLAlchemy's Numeric does on SQLite; registering it
    # lets the bulk writer hand Decimals straight to the driver.
    sqlite3.register_adapter(Decimal, float)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kw)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A 64 MB page cache per connection (default 2 MB): a batch of 100 orders touches
        # ~1 MB of table and index pages, and the indexes grow with the tables; with 2 MB the
        # cache spilled and reread pages. Checkpoint every 64 MB of WAL (default 4 MB): each
        # checkpoint fsyncs, and with 4 MB one ran every 2-3 batches.
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
