"""Several processes for one pass on SQLite (`ordergate run --once --workers N`).

One Python process uses one core; a pass spends most of its time in Python (checking, mapping,
placing orders, rendering acknowledgements), so a second process nearly doubles what a 2-core
machine does. The parent forks N-1 workers once the mailboxes are received; each process then
takes files from one shared counter (every file id goes to exactly one process) and processes
them as a single process would. Writes stay serialised: SQLite has one writer at a time, and the
processes take turns on a lock file (`core.adapters.engine.queue_writers`) so that each write
transaction starts the moment the previous one commits. Each process also sends what its own
files produced (renders the outbox rows of the orders it placed, uploads those documents and the
997s of its files) every SEND_EVERY_ORDERS orders and at the end; the sets are disjoint, and a
row two processes both reach (one PO in two files) is rendered once: the later insert drops it.
Whatever is left (documents of earlier passes, drop-ship 850s) the parent sends in the rounds
that follow, as one process does.

Nothing here is needed for correctness after a crash: the claim is in memory, so a killed pass
leaves its unfinished files `received` for the next pass, exactly as with one process. Workers
die with the parent (PR_SET_PDEATHSIG), and they share the parent's gateway lock (an inherited
flock), so no second `run` can start while any of them lives.
"""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gateway.flow.context import Gateway

log = logging.getLogger("ordergate.flow")

SEND_EVERY_ORDERS = 500   # orders placed between two sends of a worker's own documents
SEND_BATCH = 500          # outbox rows rendered, documents uploaded, per transaction
_PR_SET_PDEATHSIG = 1


def default_workers() -> int:
    """Two processes where there are two cores: most of the gain, and the writer (SQLite's one
    write lock) is busy enough with two."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def open_file_ids(gw: Gateway) -> list[int]:
    from gateway.store.states import FileState
    from gateway.store.tables import gateway_files

    with gw.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        ids = list(conn.execute(select(gateway_files.c.id).where(
            gateway_files.c.state.in_([FileState.RECEIVED.value, FileState.CHECKED.value]))
            .order_by(gateway_files.c.id)).scalars())
        conn.rollback()
    return ids


def process_in_parallel(gw: Gateway, result: Any, workers: int) -> bool:
    """Process the open files with `workers` processes (this one included), sending as they go.
    False (nothing done) when there is no point: not SQLite, one worker, or fewer than 2 files."""
    if not gw.is_sqlite or workers < 2:
        return False
    ids = open_file_ids(gw)
    if len(ids) < 2:
        return False
    workers = min(workers, len(ids))
    from core.adapters.engine import queue_writers, stop_queueing

    gw.write_turn = queue_writers(gw.engine, gw.sqlite_lock_path("writer")).turn
    taken = multiprocessing.get_context("fork").Value("i", 0)
    gw.engine.dispose()           # no pooled connection crosses the fork
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    children: list[int] = []
    counts: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="ordergate-pass-") as outbox:
        try:
            for _ in range(workers - 1):
                pid = os.fork()
                if pid == 0:                                   # the worker
                    _worker_main(gw, ids, taken, Path(outbox), parent)
                children.append(pid)
            part = _work(gw, ids, taken)
            result.add(part)
            counts[parent] = len(part.processed)
        finally:
            for pid in children:
                _, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
                found = Path(outbox) / f"{pid}.pickle"
                if code == 0 and found.exists():
                    part = pickle.loads(found.read_bytes())
                    result.add(part)
                    counts[pid] = len(part.processed)
                else:
                    result.errors.append(f"worker process {pid} ended with status {code}; its "
                                         "unfinished files are processed by this pass or the next")
            gw.write_turn = nullcontext
            stop_queueing(gw.engine)
    log.info("pass: %d files with %d processes (files per process: %s)", len(ids), workers,
             ", ".join(f"{pid}={n}" for pid, n in counts.items()))
    return True


def _worker_main(gw: Gateway, ids: list[int], taken: Any, outbox: Path, parent: int) -> None:
    """The worker's whole life: its share of the files, its summary left in `outbox` for the
    parent (a file, not a pipe: a pipe's buffer would fill while the parent is still working)."""
    code = 0
    try:
        _die_with(parent)
        data = pickle.dumps(_work(gw, ids, taken))
        temp = outbox / f".{os.getpid()}.tmp"
        temp.write_bytes(data)
        temp.rename(outbox / f"{os.getpid()}.pickle")
    except BaseException as exc:  # noqa: BLE001 - reported by the exit code and the log
        log.error("worker %s failed: %s: %s", os.getpid(), type(exc).__name__, exc)
        code = 1
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # the parent's atexit handlers and open objects are not the worker's


def _die_with(parent: int) -> None:
    """SIGKILL this worker when the parent dies (Linux); a parent already gone: stop now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent check below still applies
        pass
    if os.getppid() != parent:
        os._exit(1)


def _work(gw: Gateway, ids: list[int], taken: Any) -> Any:
    """Take files off the shared counter until none is left; every SEND_EVERY_ORDERS orders, and
    at the end, render and upload what this process's own files produced (the outbox rows of
    the orders it placed, the acknowledgements of its files): the processes' documents are
    disjoint, so each sends its own side by side, with no lock beyond the write transactions.
    Returns this process's PassResult."""
    from gateway.flow.passes import PassResult, send_all
    from gateway.flow.process import process_file
    from gateway.store.states import FileState
    from gateway.store.tables import gateway_files

    part = PassResult()
    open_states = {FileState.RECEIVED.value, FileState.CHECKED.value}
    orders: set[int] = set()
    files: set[int] = set()

    def send() -> None:
        send_all(gw, part, order_ids=orders, file_ids=files, limit=SEND_BATCH)
        orders.clear()
        files.clear()

    try:
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(ids):
                break
            with gw.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
                row = conn.execute(select(gateway_files).where(
                    gateway_files.c.id == ids[index])).mappings().first()
                conn.rollback()
            if row is None or row["state"] not in open_states:
                continue
            outcome = process_file(gw, row, None)
            part.processed.append(outcome)
            orders.update(outcome.order_ids)
            files.add(outcome.file_id)
            if len(orders) >= SEND_EVERY_ORDERS:
                send()
        send()
    finally:
        gw.engine.dispose()
    return part
