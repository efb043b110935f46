"""Several processes for one pass on SQLite (`ordergate run --once --workers N`).

One Python process uses one core; a pass spends most of its time in Python (checking, mapping,
placing orders, rendering acknowledgements), so a second process nearly doubles what a 2-core
machine does. Once the mailboxes are received the parent forks N workers and one sender, and
waits for them:
- each worker takes files from one shared counter (every file id goes to exactly one process)
  and processes them as a single process would; every SEND_EVERY_ORDERS orders, and at the end,
  it renders the outbox rows of the orders its own files placed (the workers' rows are disjoint;
  a row two of them reach, one PO in two files, is rendered once: the later insert drops it) and
  tells the sender which orders and files it rendered for;
- the sender uploads those documents and the 997s of those files. An upload mostly waits (on the
  fsyncs of the local folder, or on an SFTP server); in a process of its own, niced, that wait
  no longer holds up a worker (10,000 orders: ~2 s of each worker's ~11 s was spent so).
Writes stay serialised: SQLite has one writer at a time, and the processes take turns on a lock
file (`core.adapters.engine.queue_writers`) so that each write transaction starts the moment the
previous one commits. The turn is kept short: a worker checks and maps a file and has the core
build its orders ahead (`core.prepare_batch`) before taking it, prepares its next file instead
of waiting while another worker holds it, and leaves checkpointing the WAL to the sender.
Whatever is left (documents of earlier passes, drop-ship 850s) the parent sends in the rounds
that follow, as one process does.

Nothing here is needed for correctness after a crash: the claim is in memory, so a killed pass
leaves its unfinished files `received` and its unsent documents ready for the next pass, exactly
as with one process. Children die with the parent (PR_SET_PDEATHSIG), and they share the parent's
gateway lock (an inherited flock), so no second `run` can start while any of them lives.
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
import threading
import time
from collections import deque
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from gateway.flow.context import Gateway

log = logging.getLogger("ordergate.flow")

SEND_EVERY_ORDERS = 500   # orders placed between two sends of a worker's own documents
SEND_BATCH = 500          # outbox rows rendered, documents uploaded, per transaction
NEAR_THE_END_FILES = 4    # files left on the counter from which a worker renders after each
LOOKAHEAD = 2             # files a worker prepares ahead while another holds the write turn
WAIT_POLL_SECONDS = 0.01  # how often the parent looks whether its children have ended
SENDER_NICE = 5           # the sender yields the CPU to the workers, who hold the write turn
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
    """Process the open files with `workers` processes, and send what they produce from one more
    process as they go. False (nothing done) when there is no point: not SQLite, one worker, or
    fewer than 2 files."""
    if not gw.is_sqlite or workers < 2:
        return False
    ids = open_file_ids(gw)
    if len(ids) < 2:
        return False
    workers = min(workers, len(ids))
    from core.adapters.engine import checkpoint_elsewhere, queue_writers, stop_queueing

    queue = queue_writers(gw.engine, gw.sqlite_lock_path("writer"))
    gw.write_turn = queue.turn
    gw.prepare_orders = True    # the write turn is what the workers queue for: keep it short
    checkpoint_elsewhere(gw.engine)   # ... so the sender checkpoints the WAL, not a worker's turn
    fork = multiprocessing.get_context("fork")
    taken = fork.Value("i", 0)
    produced = fork.SimpleQueue()   # workers -> sender: (order ids, file ids) rendered
    gw.engine.dispose()             # no pooled connection crosses the fork
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    counts: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="ordergate-pass-") as folder:
        outbox = Path(folder)
        file_workers: list[int] = []
        sender: int | None = None
        try:
            for _ in range(workers):
                file_workers.append(_fork(lambda: _work(gw, ids, taken, produced, queue), outbox,
                                          parent))
            sender = _fork(lambda: _upload_as_rendered(gw, produced), outbox, parent,
                           nice=SENDER_NICE)
        finally:
            unsent = "documents stay ready and are sent by this pass or the next"
            # no sender (its fork failed), or one that ended early: someone must keep reading
            # the pipe, or a worker blocks once it is full and the pass never ends
            draining = None if sender is not None else _drain(produced)
            left = list(file_workers)
            while left:
                for pid in list(left):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        left.remove(pid)
                        counts[pid] = _take(pid, status, outbox, result, "unfinished files are "
                                            "processed by this pass or the next")
                if left and draining is None and sender is not None:
                    done, status = os.waitpid(sender, os.WNOHANG)
                    if done:
                        _take(sender, status, outbox, result, unsent)
                        sender, draining = None, _drain(produced)
                if left:
                    time.sleep(WAIT_POLL_SECONDS)
            produced.put(None)      # every worker has ended: the sender sends the rest and stops
            if sender is not None:
                _take(sender, os.waitpid(sender, 0)[1], outbox, result, unsent)
            if draining is not None:
                draining.join()
            gw.write_turn = nullcontext
            gw.prepare_orders = False
            stop_queueing(gw.engine)
            checkpoint_elsewhere(gw.engine, False)
            gw.engine.dispose()       # no connection opened without checkpoints stays pooled
    log.info("pass: %d files with %d processes (files per process: %s), uploads by process %s",
             len(ids), workers, ", ".join(f"{pid}={n}" for pid, n in counts.items()), sender)
    return True


def _fork(body: Callable[[], Any], outbox: Path, parent: int, nice: int = 0) -> int:
    """A child process that runs `body` and leaves its PassResult in `outbox`; its pid."""
    pid = os.fork()
    if pid == 0:
        _child_main(body, outbox, parent, nice)
    return pid


def _drain(produced: Any) -> threading.Thread:
    """Read the workers' messages to the end (None) and drop them: the sender is gone, and what
    it did not upload stays ready for the rounds that follow."""
    def read() -> None:
        while produced.get() is not None:
            pass
    thread = threading.Thread(target=read, name="ordergate-drain", daemon=True)
    thread.start()
    return thread


def _take(pid: int, status: int, outbox: Path, result: Any, otherwise: str) -> int:
    """Take in the PassResult of a child that ended with `status`; how many files it
    processed."""
    code = os.waitstatus_to_exitcode(status)
    found = outbox / f"{pid}.pickle"
    if code == 0 and found.exists():
        part = pickle.loads(found.read_bytes())
        result.add(part)
        return len(part.processed)
    result.errors.append(f"process {pid} of the pass ended with status {code}; its {otherwise}")
    return 0


def _child_main(body: Callable[[], Any], outbox: Path, parent: int, nice: int) -> None:
    """A child's whole life: its work, its summary left in `outbox` for the parent (a file, not
    a pipe: a pipe's buffer would fill while the parent is still waiting for the others)."""
    code = 0
    try:
        _die_with(parent)
        if nice:
            os.nice(nice)
        data = pickle.dumps(body())
        temp = outbox / f".{os.getpid()}.tmp"
        temp.write_bytes(data)
        temp.rename(outbox / f"{os.getpid()}.pickle")
    except BaseException as exc:  # noqa: BLE001 - reported by the exit code and the log
        log.error("pass process %s failed: %s: %s", os.getpid(), type(exc).__name__, exc)
        code = 1
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # the parent's atexit handlers and open objects are not the child's


def _die_with(parent: int) -> None:
    """SIGKILL this worker when the parent dies (Linux); a parent already gone: stop now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent check below still applies
        pass
    if os.getppid() != parent:
        os._exit(1)


def _work(gw: Gateway, ids: list[int], taken: Any, produced: Any, queue: Any) -> Any:
    """Take files off the shared counter until none is left. Every SEND_EVERY_ORDERS orders, and
    at the end, render what this process's own files produced (the outbox rows of the orders it
    placed: the processes' rows are disjoint, so each renders its own side by side) and hand
    the upload of those documents, with the acknowledgements of its files, to the sender.

    A file is prepared (checked, mapped, its orders built ahead: no writes) before its write
    turn. When another process holds the turn, this one prepares its next file instead of
    waiting (up to LOOKAHEAD files ahead), so the wait for the one writer becomes work.
    Returns this process's PassResult."""
    from gateway.flow.passes import PassResult, render_into
    from gateway.flow.process import prepare_file
    from gateway.store.states import FileState
    from gateway.store.tables import gateway_files

    part = PassResult()
    open_states = {FileState.RECEIVED.value, FileState.CHECKED.value}
    orders: set[int] = set()
    files: set[int] = set()
    ready: deque[Callable[[], Any]] = deque()    # prepared files, each waiting for its turn
    more = True                                  # files left on the shared counter

    def render() -> None:
        if orders:
            render_into(gw, part, order_ids=orders, limit=SEND_BATCH)
        if orders or files:
            produced.put((tuple(orders), tuple(files)))
        orders.clear()
        files.clear()

    def prepare_next() -> bool:
        """Take the next open file off the counter and prepare it; False when none is left."""
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value += 1
            if index >= len(ids):
                return False
            with gw.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
                row = conn.execute(select(gateway_files).where(
                    gateway_files.c.id == ids[index])).mappings().first()
                conn.rollback()
            if row is not None and row["state"] in open_states:
                ready.append(prepare_file(gw, row, None))
                return True

    try:
        while ready or more:
            if not ready or (more and len(ready) < LOOKAHEAD and not queue.take_if_free()):
                more = prepare_next()   # nothing ready, or the turn is another's: get one ready
                continue
            outcome = ready.popleft()()
            part.processed.append(outcome)
            orders.update(outcome.order_ids)
            files.add(outcome.file_id)
            if len(orders) >= SEND_EVERY_ORDERS or (orders and _near_the_end(taken, ids)):
                render()
        render()
    finally:
        queue.release()
        gw.engine.dispose()
    return part


def _near_the_end(taken: Any, ids: list[int]) -> bool:
    """Few files left on the counter: a worker then renders after every file, so that what it
    renders once the last file is done (while the other processes may have nothing left to do)
    is one file's documents, not up to SEND_EVERY_ORDERS orders' worth."""
    return taken.value >= len(ids) - NEAR_THE_END_FILES


def _upload_as_rendered(gw: Gateway, produced: Any) -> Any:
    """The sender: upload the documents the workers have rendered (those of the orders and
    files each reports), as they come, until the parent says every worker has ended (None).
    An upload mostly waits (on the disk's fsyncs, or an SFTP server), so it gets a process of
    its own instead of stopping a worker. It also checkpoints the WAL after each round, which
    the workers leave to it. Returns the sender's PassResult."""
    from core.adapters.engine import checkpoint
    from gateway.flow.passes import PassResult
    from gateway.flow.upload import upload_ready

    part = PassResult()
    try:
        done = False
        while not done:
            orders: set[int] = set()
            files: set[int] = set()
            while True:
                message = produced.get()
                if message is None:
                    done = True
                    break
                orders.update(message[0])
                files.update(message[1])
                if produced.empty():
                    break
            try:
                if orders or files:
                    sent = upload_ready(gw, limit=SEND_BATCH, order_ids=orders, file_ids=files)
                    part.uploaded.sent += sent.sent
                    part.uploaded.failed += sent.failed
                checkpoint(gw.engine)     # the workers leave the WAL to this process
            except Exception as exc:  # noqa: BLE001 - go on reading, or the workers would block
                part.errors.append(f"sender: {type(exc).__name__}: {exc}")
                log.warning("sender %s: %s: %s (the documents stay ready)", os.getpid(),
                            type(exc).__name__, exc)
    finally:
        gw.engine.dispose()
    return part
