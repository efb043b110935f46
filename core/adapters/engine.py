"""Engines tuned per backend. SQLite: WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE, so
that several writers queue instead of failing with "database is locked" (see RELIABILITY.md)."""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import weakref
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

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
# No circular-reference bookkeeping: what we store is data built for it (a sourcing explanation,
# parties), never a cycle, and the check was ~20% of encoding an explanation (a cycle would
# still fail, as a RecursionError).
_ENCODER = json.JSONEncoder(default=_json_default, separators=(",", ":"), check_circular=False)


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
    # Decimals bind as floats, exactly what SQLAlchemy's Numeric does on SQLite; registering it
    # lets the bulk writer hand Decimals straight to the driver.
    sqlite3.register_adapter(Decimal, float)
    # sqlite3 sends every parameter that is not exactly int, float, str or bytes through its
    # adapter lookup, None included; with no adapter for None that lookup ends in two failed
    # attribute lookups whose AttributeError text is formatted and dropped (~0.4 us a NULL, and
    # a batch binds ~150 NULLs an order). An adapter that hands None back (a C callable: an empty
    # dict's get) binds the same NULL without them.
    sqlite3.register_adapter(type(None), _NONE_IS_NULL)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                              "factory": _Connection}, **kw)

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
        pages = 0 if engine in _CHECKPOINTS_ELSEWHERE else SQLITE_CHECKPOINT_PAGES
        cursor.execute(f"PRAGMA wal_autocheckpoint={pages}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode == "IMMEDIATE" and engine in _WRITER_QUEUES:
            dbapi_conn = conn.connection.dbapi_connection
            if isinstance(dbapi_conn, _Connection) and dbapi_conn.queue is None:
                queue = _WRITER_QUEUES[engine]
                queue.acquire()   # the turn first, then SQLite's write lock
                dbapi_conn.queue = queue
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class WriterQueue:
    """Processes that write one SQLite file take turns on a lock file beside it, so that a writer
    waiting for another is woken the moment it commits: SQLite's own busy handler polls, with
    sleeps that grow to 100 ms, which would leave a core idle between short transactions. flock
    is released by the kernel when a process dies, so a crash never blocks the others. SQLite's
    lock stays the guarantee; this only orders the processes that opt in (`queue_writers`).

    The lock file is opened once per process (after a fork the child opens its own, so parent
    and child exclude each other instead of sharing one lock)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None
        self._pid: int | None = None
        self._held = False
        self._pinned = 0

    def _own(self) -> None:
        """The lock file opened by this process (after a fork: a fresh start in the child)."""
        if self._pid != os.getpid():
            if self._fd is not None:
                os.close(self._fd)  # the parent's description: closing it here leaves its lock alone
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            self._pid = os.getpid()
            self._held, self._pinned = False, 0

    def acquire(self) -> None:
        self._own()
        if not self._held:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._held = True

    def take_if_free(self) -> bool:
        """Take the turn if no other process has it, without waiting; True when this process
        holds it now. The caller's next `turn()` block keeps it and hands it back at its end."""
        self._own()
        if not self._held:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._held = True
        return True

    def release(self) -> None:
        if self._held and not self._pinned and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._held = False

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Once the first write transaction in the block has the turn, keep it until the block
        ends, across the transactions that follow (the core's, then the gateway's record of the
        same file), so the other processes do not slip in between. What the block does before
        its first write (building commands) waits for nobody."""
        self._own()
        self._pinned += 1
        try:
            yield
        finally:
            self._pinned -= 1
            self.release()


def _then_end_turn(method: Any) -> Any:
    """A `_Connection` method: sqlite3's `method`, then the turn handed back, whatever it
    raised."""
    def ended(self: "_Connection") -> None:
        try:
            method(self)
        finally:
            self._end_turn()
    ended.__name__ = method.__name__
    return ended


class _Connection(sqlite3.Connection):
    """sqlite3's connection, which hands its turn in the engine's `WriterQueue` (if it took one)
    back once its transaction has really ended: after COMMIT or ROLLBACK, not before, so the next
    writer's BEGIN IMMEDIATE does not find the database still locked and fall back to polling."""

    queue: WriterQueue | None = None

    def _end_turn(self) -> None:
        queue = self.queue
        if queue is not None:
            self.queue = None
            queue.release()

    commit = _then_end_turn(sqlite3.Connection.commit)
    rollback = _then_end_turn(sqlite3.Connection.rollback)
    close = _then_end_turn(sqlite3.Connection.close)


def queue_writers(engine: Engine, lock_path: Path) -> WriterQueue:
    """Make every write transaction (BEGIN IMMEDIATE) of `engine` wait for its turn in a
    `WriterQueue` on `lock_path` before it begins; for several processes writing one SQLite
    file together (the gateway's workers). Read transactions (`sqlite_begin="DEFERRED"`) do not
    queue."""
    queue = _WRITER_QUEUES[engine] = WriterQueue(lock_path)
    return queue


def stop_queueing(engine: Engine) -> None:
    """Undo `queue_writers` (the workers are gone: the one process left needs no turns)."""
    _WRITER_QUEUES.pop(engine, None)


def checkpoint_elsewhere(engine: Engine, elsewhere: bool = True) -> None:
    """Connections of `engine` opened from now on leave the WAL to `checkpoint` (elsewhere=False:
    checkpoint as usual again). A commit that takes the WAL past wal_autocheckpoint copies it
    into the database and fsyncs, inside that writer's turn: ~80 ms each, about every 1,500
    orders, in the middle of the gateway's workers' queue. A process that writes little (the
    workers' sender) calls `checkpoint` instead."""
    if elsewhere:
        _CHECKPOINTS_ELSEWHERE.add(engine)
    else:
        _CHECKPOINTS_ELSEWHERE.discard(engine)


def checkpoint(engine: Engine) -> None:
    """A PASSIVE checkpoint: copies what it can of the WAL into the database (what no reader
    still needs), without waiting for or holding up any reader or writer. Run on the driver's
    connection, outside any transaction."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        cursor.fetchall()
        cursor.close()
    finally:
        raw.close()


_WRITER_QUEUES: "weakref.WeakKeyDictionary[Engine, WriterQueue]" = weakref.WeakKeyDictionary()
_CHECKPOINTS_ELSEWHERE: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
