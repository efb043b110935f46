"""`run --once --workers N` on SQLite: several processes share one pass's files. Every order is
placed once, every 855 and 997 is written once with its own control number, and the result
matches a one-process pass; the processes take turns writing (a lock file held for exactly the
length of a write transaction)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gateway.flow.samples import STOCK_SKUS, Line, functional_ack_997, interchange_850s
from gateway.partners import load_partners

REPO = Path(__file__).resolve().parents[3]
FILES, PER_FILE = 6, 8


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _home(home: Path) -> Path:
    from gateway.flow.context import Gateway
    from gateway.flow.samples import seed_world

    gw = Gateway.open(home)
    try:
        seed_world(gw.core)
    finally:
        gw.close()
    partner = load_partners(home)["demo-retailer"]
    inbound = home / "mailboxes" / "demo-retailer" / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    for f in range(FILES):
        orders = [(f"W{f}-{n}", [Line(STOCK_SKUS[(n + k) % 3], 1 + k) for k in range(3)])
                  for n in range(PER_FILE)]
        (inbound / f"po-{f}.edi").write_bytes(interchange_850s(partner, orders, isa13=100 + f))
    (inbound / "junk.edi").write_bytes(b"not edi at all")
    (inbound / "ack.edi").write_bytes(functional_ack_997(partner, [("PR", "1", "0001", "A")],
                                                         isa13=99))
    return home


def _run(home: Path, workers: int) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-m", "gateway.cli.main", "run", "--once", "--json",
                           "--workers", str(workers), "--home", str(home)],
                          capture_output=True, text=True, env=_env(), timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout), done.stderr


def _state(home: Path) -> dict:
    from core.adapters.engine import create_engine_for

    engine = create_engine_for(f"sqlite:///{home / 'ordergate.db'}")
    try:
        with engine.connect() as conn:
            q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
            state = {
                "pos": sorted(r[0] for r in q("SELECT po_number FROM orders")),
                "docs": sorted(tuple(r) for r in q(
                    "SELECT doc_type, direction, status, count(*) FROM gateway_documents "
                    "GROUP BY 1, 2, 3")),
                "out_isa13": [r[0] for r in q(
                    "SELECT isa13 FROM gateway_documents WHERE direction = 'out'")],
                "files": sorted(tuple(r) for r in q(
                    "SELECT state, count(*) FROM gateway_files GROUP BY 1")),
                "reserved": q("SELECT sum(reserved) FROM inventory_levels")[0][0],
            }
    finally:
        engine.dispose()
    outbound = home / "mailboxes" / "demo-retailer" / "outbound"
    state["outbound"] = sorted(re.sub(r"_\d{9}\.", "_#.", p.name) for p in outbound.iterdir())
    return state


def test_two_processes_share_a_pass_and_match_one_process(tmp_path: Path, gateway_home: Path):
    import shutil

    one = _home(gateway_home)
    two = tmp_path / "two"
    shutil.copytree(one, two)

    summary_1, _ = _run(one, 1)
    summary_2, log_2 = _run(two, 2)

    assert summary_2 == summary_1
    assert summary_2["files_received"] == FILES + 2
    assert summary_2["files_processed"] == {"applied": FILES + 1, "quarantined": 1}
    assert summary_2["orders_touched"] == FILES * PER_FILE
    per_process = re.search(r"pass: (\d+) files with 2 processes \(files per process: (.*)\)", log_2)
    assert per_process, log_2[-2000:]
    assert sum(int(n.split("=")[1]) for n in per_process.group(2).split(", ")) == FILES + 2

    state_1, state_2 = _state(one), _state(two)
    assert state_2 == {**state_1, "out_isa13": state_2["out_isa13"]}
    assert len(state_2["pos"]) == len(set(state_2["pos"])) == FILES * PER_FILE
    # one 997 a file of 850s (a 997 is not acknowledged), one 855 an order, each with a control
    # number of its own
    assert len(state_2["out_isa13"]) == len(set(state_2["out_isa13"])) == FILES + FILES * PER_FILE
    assert sum("_855_" in name for name in state_2["outbound"]) == FILES * PER_FILE
    assert sum("_997_" in name for name in state_2["outbound"]) == FILES


def test_one_file_or_one_worker_stays_in_this_process(gateway_home: Path):
    from gateway.flow.context import Gateway
    from gateway.flow.passes import PassResult
    from gateway.flow.workers import process_in_parallel

    gw = Gateway.open(gateway_home)
    try:
        assert process_in_parallel(gw, PassResult(), 4) is False        # no file at all
        assert process_in_parallel(gw, PassResult(), 1) is False        # one worker asked for
    finally:
        gw.close()


def test_a_write_transaction_holds_its_turn_until_it_commits(tmp_path: Path):
    import fcntl

    from core.adapters.engine import create_engine_for, queue_writers

    db, lock = tmp_path / "q.db", tmp_path / "q.db.writer.lock"
    engine = create_engine_for(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    queue_writers(engine, lock)
    engine.dispose()

    def lock_is_free() -> bool:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # a writer in another process: takes its turn, holds it, commits
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (1)"))
                os.write(write_fd, b"in")
                time.sleep(0.5)
            os.write(write_fd, b"out")
        finally:
            os._exit(0)
    assert os.read(read_fd, 2) == b"in"
    assert not lock_is_free()                        # held for the whole transaction
    with engine.begin() as conn:                     # waits for the other writer's commit
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1
        assert not lock_is_free()                    # now ours
    assert lock_is_free()                            # and handed back at commit
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        conn.execute(select(func.count()).select_from(text("t")))
        assert lock_is_free()                        # reads never queue
        conn.rollback()
    os.waitpid(pid, 0)
    engine.dispose()


def _processes_on(home: Path) -> list[int]:
    """Live processes whose command line names `home` (zombies do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(home).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_workers_die_with_a_killed_parent_and_the_next_pass_finishes(gateway_home: Path):
    """kill -9 of `run --once` mid-pass: no worker lives on (they would hold the SQLite lock and
    write behind the next pass's back); the next pass places every order once."""
    import signal

    home = _home(gateway_home)
    partner = load_partners(home)["demo-retailer"]
    inbound = home / "mailboxes" / "demo-retailer" / "inbound"
    for f in range(FILES, FILES + 60):  # enough work to be killed in the middle of it
        orders = [(f"W{f}-{n}", [Line(STOCK_SKUS[(n + k) % 3], 1 + k) for k in range(3)])
                  for n in range(40)]
        (inbound / f"po-{f}.edi").write_bytes(interchange_850s(partner, orders, isa13=100 + f))
    log = home / "killed.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "gateway.cli.main", "run", "--once",
                                 "--workers", "2", "--home", str(home)],
                                stdout=subprocess.DEVNULL, stderr=err, env=_env())
    deadline = time.monotonic() + 120
    while b"doc 850 in" not in log.read_bytes():
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 2   # a worker left alive would still be working for seconds
    while _processes_on(home) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_on(home) == []

    summary, _ = _run(home, 2)
    state = _state(home)
    assert summary["errors"] == []
    assert len(state["pos"]) == len(set(state["pos"])) == FILES * PER_FILE + 60 * 40
    assert sum("_855_" in name for name in state["outbound"]) == len(state["pos"])
    assert dict(state["files"]) == {"applied": FILES + 61, "quarantined": 1}


def test_checkpoints_left_to_another_process(tmp_path: Path) -> None:
    """With `checkpoint_elsewhere`, a writer's commits never copy the WAL into the database (the
    workers' turns stay short); `checkpoint` does, without a write transaction of its own."""
    from core.adapters.engine import checkpoint, checkpoint_elsewhere, create_engine_for

    db = tmp_path / "w.db"
    engine = create_engine_for(f"sqlite:///{db}")

    def autocheckpoint() -> int:
        raw = engine.raw_connection()
        try:
            return raw.cursor().execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        finally:
            raw.close()

    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x BLOB)"))
        checkpoint_elsewhere(engine)
        engine.dispose()
        assert autocheckpoint() == 0
        for _ in range(3):   # ~12 MB in three commits: past any automatic threshold
            with engine.begin() as conn:
                for _ in range(1000):
                    conn.execute(text("INSERT INTO t VALUES (randomblob(4000))"))
        assert db.stat().st_size < 1_000_000                 # all of it still in the WAL
        assert (tmp_path / "w.db-wal").stat().st_size > 12_000_000
        checkpoint(engine)
        assert db.stat().st_size > 12_000_000                # copied into the database
        checkpoint_elsewhere(engine, False)
        engine.dispose()
        assert autocheckpoint() > 0
    finally:
        engine.dispose()


def test_a_sender_that_ends_early_does_not_hang_the_pass(gateway_home: Path, monkeypatch):
    """The sender fails at once while the workers write more to its pipe than a pipe holds:
    the parent reads the rest itself, the pass ends, and its later rounds send every document."""
    import signal as signals

    import gateway.flow.workers as workers
    from gateway.flow.context import Gateway
    from gateway.flow.passes import run_once

    home = _home(gateway_home)
    real_work = workers._work

    def chatty_work(gw, ids, taken, produced, queue):
        for _ in range(3000):          # ~200 KB of messages nobody sends anything for
            produced.put((tuple(range(20)), ()))
        return real_work(gw, ids, taken, produced, queue)

    def failing_sender(gw, produced):
        raise RuntimeError("sender down")

    monkeypatch.setattr(workers, "_work", chatty_work)
    monkeypatch.setattr(workers, "_upload_as_rendered", failing_sender)

    def hung(*_):
        raise AssertionError("the pass hung")

    previous = signals.signal(signals.SIGALRM, hung)
    signals.alarm(120)
    gw = Gateway.open(home)
    try:
        result = run_once(gw, workers=2)
    finally:
        signals.alarm(0)
        signals.signal(signals.SIGALRM, previous)
        gw.close()
    assert any("ended with status 1" in e for e in result.errors), (result.errors, result.summary())
    assert result.summary()["orders_touched"] == FILES * PER_FILE
    state = _state(home)
    assert len(state["pos"]) == FILES * PER_FILE
    assert sum("_855_" in name for name in state["outbound"]) == FILES * PER_FILE
    assert sum("_997_" in name for name in state["outbound"]) == FILES
