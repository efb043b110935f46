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


# json.dumps(value, default=..., separators=...) builds a new encoder on every call (~2 us, and
# a batch encodes a few values an order); one encoder with the same settings writes the same text.
_ENCODER = json.JSONEncoder(default=_json_default, separators=(",", ":"))


def json_dumps(value: Any) -> str:
    """JSON columns accept Decimals and dates (as strings) without a pre-pass over the data."""
    return _ENCODER.encode(value)


_NONE_IS_NULL = {}.get  # None -> None, in C (the dict stays empty)


def json_dumps_many(values: list[Any]) -> list[str]:
    """`json_dumps` of each value, the same texts, made faster where top-level dicts share a
    member: a dict or list that is the very same object under several values (the sourcing
    ranking every order to one destination shares) is encoded once and its text reused. Valid
    because every value stays alive during the call, so an id names one object throughout."""
    uses: dict[int, int] = {}
    for value in values:
        if type(value) is dict:
            for member in value.values():
                if type(member) is dict or type(member) is list:
                    uses[id(member)] = uses.get(id(member), 0) + 1
    shared = {i for i, n in uses.items() if n > 1}
    if not shared:
        return [json_dumps(v) for v in values]
    texts: dict[int, str] = {}
    out = []
    for value in values:
        if (type(value) is not dict or not any(id(m) in shared for m in value.values())
                or not all(type(k) is str for k in value)):
            out.append(json_dumps(value))
            continue
        parts = []
        for key, member in value.items():  # what the encoder writes: {"key":value,...}
            i = id(member)
            if i in shared:
                text = texts.get(i)
                if text is None:
                    text = texts[i] = json_dumps(member)
            else:
                text = json_dumps(member)
            parts.append(f"{json_dumps(key)}:{text}")
        out.append("{" + ",".join(parts) + "}")
    return out


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
    # sqlite3 sends every parameter that is not exactly int, float, str or bytes through its
    # adapter lookup, None included; with no adapter for None that lookup ends in two failed
    # attribute lookups whose AttributeError text is formatted and dropped (~0.4 us a NULL, and
    # a batch binds ~150 NULLs an order). An adapter that hands None back (a C callable: an empty
    # dict's get) binds the same NULL without them.
    sqlite3.register_adapter(type(None), _NONE_IS_NULL)
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
