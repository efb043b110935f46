"""The gateway store on a real SQLite file: evidence, duplicates, control numbers, job slots,
the archive and the process lock."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway.store import counters, documents, files, jobs
from gateway.store.archive import Archive, ArchiveError, sha256_of
from gateway.store.lock import AlreadyRunning, ProcessLock
from gateway.store.states import FileState, IllegalFileTransition
from gateway.store.tables import gateway_files


def _received(name: str, data: bytes, partner: str = "acme") -> files.Received:
    return files.Received(partner_id=partner, transport="local", remote_name=name, size=len(data),
                          sha256=sha256_of(data), evidence={"path": name})


def test_same_bytes_twice_is_a_duplicate_of_the_first(store_engine):
    with store_engine.begin() as conn:
        first, state1 = files.record_received(conn, _received("a.x12", b"ISA*1"))
        files.mark_remote_done(conn, first)
        second, state2 = files.record_received(conn, _received("b.x12", b"ISA*1"))
    assert (state1, state2) == ("received", "duplicate")
    with store_engine.connect() as conn:
        row = files.get(conn, second)
    assert row["duplicate_of"] == first


def test_redownload_before_remote_move_is_the_same_delivery_not_a_duplicate(store_engine):
    with store_engine.begin() as conn:
        first, _ = files.record_received(conn, _received("a.x12", b"ISA*1"))
        again, state = files.record_received(conn, _received("a.x12", b"ISA*1"))
    assert (again, state) == (first, "same_delivery")
    with store_engine.connect() as conn:
        assert conn.execute(select(gateway_files.c.id)).all() == [(first,)]


def test_same_bytes_from_another_partner_is_not_a_duplicate(store_engine):
    with store_engine.begin() as conn:
        files.record_received(conn, _received("a.x12", b"ISA*1", "acme"))
        _, state = files.record_received(conn, _received("a.x12", b"ISA*1", "other"))
    assert state == "received"


def test_final_state_cannot_go_back_to_checked(store_engine):
    with store_engine.begin() as conn:
        fid, _ = files.record_received(conn, _received("a.x12", b"x"))
        files.set_state(conn, fid, FileState.APPLIED)
        with pytest.raises(IllegalFileTransition) as info:
            files.set_state(conn, fid, FileState.CHECKED)
    assert (info.value.current, info.value.wanted) == ("applied", "checked")


def test_control_numbers_increase_and_are_per_partner_and_direction(store_engine):
    with store_engine.begin() as conn:
        a1 = counters.allocate(conn, "acme", "out", sets=3)
        a2 = counters.allocate(conn, "acme", "out")
        b1 = counters.allocate(conn, "other", "out")
    assert (a1.isa, a1.gs, a1.st) == (1, 1, 1)
    assert (a2.isa, a2.gs, a2.st) == (2, 2, 4)
    assert (b1.isa, b1.st) == (1, 1)


def test_rolled_back_allocation_is_given_back(store_engine):
    with pytest.raises(RuntimeError):
        with store_engine.begin() as conn:
            counters.allocate(conn, "acme")
            raise RuntimeError("crash before commit")
    with store_engine.begin() as conn:
        assert counters.allocate(conn, "acme").isa == 1


def test_control_numbers_from_two_processes_never_collide(tmp_path, store_engine):
    url = str(store_engine.url)
    script = (
        "import sys\n"
        "from core.adapters.engine import create_engine_for\n"
        "from gateway.store import counters\n"
        f"e = create_engine_for({url!r})\n"
        "out = []\n"
        "for _ in range(40):\n"
        "    with e.begin() as c: out.append(counters.allocate(c, 'acme').isa)\n"
        "print(' '.join(map(str, out)))\n")
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    numbers = [int(n) for p in procs for n in p.communicate(timeout=120)[0].split()]
    assert sorted(numbers) == list(range(1, 81))


def test_job_slot_is_claimed_once(store_engine):
    assert jobs.claim_slot(store_engine, "poll:acme", "2026-01-01T10:00") is True
    assert jobs.claim_slot(store_engine, "poll:acme", "2026-01-01T10:00") is False
    assert jobs.claim_slot(store_engine, "poll:acme", "2026-01-01T10:01") is True


def test_outbound_document_keeps_its_numbers_on_resend(store_engine):
    with store_engine.begin() as conn:
        doc_id = documents.add_outbound(conn, doc_type="855", partner_id="acme", isa13="000000007",
                                        gs06="7", st02="0007", functional_id="PR", sha256="ab" * 32,
                                        filename="855_000000007.x12", outbox_id=11, expect_ack_hours=4)
    with documents.claim_ready(store_engine) as (conn, rows):
        assert [r["id"] for r in rows] == [doc_id]
        documents.mark_sent(conn, doc_id, ack_hours=4)
    with store_engine.begin() as conn:
        documents.requeue(conn, doc_id)
        row = documents.get(conn, doc_id)
    assert (row["status"], row["isa13"], row["filename"]) == ("ready", "000000007", "855_000000007.x12")
    assert row["ack_due_at"] is not None
    with pytest.raises(Exception):
        with store_engine.begin() as conn:  # one outbox row never gets a second document
            documents.add_outbound(conn, doc_type="855", partner_id="acme", isa13="000000008",
                                   gs06="8", st02="0008", functional_id="PR", sha256="cd" * 32,
                                   filename="x", outbox_id=11)


def test_archive_is_content_addressed_and_checked(tmp_path):
    archive = Archive(tmp_path / "archive")
    digest = archive.put(b"hello")
    assert digest == sha256_of(b"hello") and archive.get(digest) == b"hello"
    assert archive.put(b"hello") == digest
    archive.path(digest).write_bytes(b"tampered")
    with pytest.raises(ArchiveError) as info:
        archive.get(digest)
    assert info.value.sha256 == digest
    with pytest.raises(ArchiveError):
        archive.get("00" * 32)


def test_process_lock_refuses_a_second_holder_and_survives_kill(tmp_path):
    path = tmp_path / "gateway.lock"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys,time; from gateway.store.lock import ProcessLock;"
                               f"ProcessLock({str(path)!r}).acquire(); print('ok', flush=True);"
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ok"
    with pytest.raises(AlreadyRunning) as info:
        ProcessLock(path).acquire()
    assert info.value.pid == str(holder.pid)
    holder.kill()
    holder.wait()
    with ProcessLock(path):
        pass
