"""The batched fast paths give the same results as one-at-a-time: control numbers reserved in a
block, outbound rows inserted together, archive blobs flushed per batch, and a file's 850s applied
through one `core.handle_batch` where one refused order fails alone."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from gateway.store import counters, documents
from gateway.store.archive import Archive


def test_allocate_many_gives_what_consecutive_allocations_would(store_engine):
    with store_engine.begin() as conn:
        first = counters.allocate(conn, "acme", "out")
        block = counters.allocate_many(conn, "acme", "out", 3)
        after = counters.allocate(conn, "acme", "out")
        assert counters.allocate_many(conn, "acme", "out", 0) == []
    assert [(n.isa, n.gs, n.st) for n in block] == [(2, 2, 2), (3, 3, 3), (4, 4, 4)]
    assert (first.isa, after.isa) == (1, 5)


def test_allocate_many_near_the_wrap_restarts_at_one(store_engine):
    from sqlalchemy import update

    from gateway.store.tables import gateway_counters

    with store_engine.begin() as conn:
        counters.allocate(conn, "acme", "out")
        conn.execute(update(gateway_counters).values(isa=counters.MAX_CONTROL - 1,
                                                     gs=counters.MAX_CONTROL - 1, st=5))
        block = counters.allocate_many(conn, "acme", "out", 3)
    assert [n.isa for n in block] == [1, 2, 3]
    assert [n.st for n in block] == [6, 7, 8]


def test_add_outbound_many_returns_ids_in_order_with_the_same_fields(store_engine):
    rows = [dict(doc_type="855", partner_id="acme", isa13=f"{i:09d}", gs06=str(i), st02=f"{i:04d}",
                 functional_id="PR", sha256=f"{i:02d}" * 32, filename=f"855_{i}.x12",
                 outbox_id=100 + i, order_id=i, trace_id=None if i == 2 else f"t{i}",
                 expect_ack_hours=4 if i == 1 else None)
            for i in (1, 2, 3)]
    with store_engine.begin() as conn:
        ids = documents.add_outbound_many(conn, rows)
        got = [documents.get(conn, i) for i in ids]
        assert documents.add_outbound_many(conn, []) == []
    assert [g["outbox_id"] for g in got] == [101, 102, 103]
    assert [g["status"] for g in got] == ["ready"] * 3
    assert [g["ack_status"] for g in got] == ["pending", "not_expected", "not_expected"]
    assert got[0]["trace_id"] == "t1" and got[1]["trace_id"]  # a missing trace gets a new one
    assert all(g["direction"] == "out" for g in got)


def test_archive_flush_packs_only_what_was_put_non_durably(tmp_path: Path):
    archive = Archive(tmp_path / "archive")
    a = archive.put(b"one", durable=False)
    b = archive.put(b"two", durable=False)
    c = archive.put(b"three")                  # durable: a loose blob at once, not pending
    assert sorted(archive._pending) == sorted([a, b])
    assert archive.get(a) == b"one"            # readable before the flush
    archive.flush()
    assert archive._pending == {}
    archive.flush()                            # nothing pending: a no-op
    assert len(list((tmp_path / "archive" / "packs").glob("*.pack"))) == 1
    assert archive.path(c).is_file() and not archive.path(a).exists()
    fresh = Archive(tmp_path / "archive")      # another process reads them through the index
    assert fresh.get(a) == b"one" and fresh.get(b) == b"two" and fresh.get(c) == b"three"


def test_file_of_850s_is_applied_as_a_batch_and_one_refused_order_fails_alone(gateway_home: Path):
    from core.adapters.tables import orders
    from gateway.flow.context import Gateway
    from gateway.flow.passes import run_once
    from gateway.flow.samples import STOCK_SKUS, Line, interchange_850s, seed_world
    from gateway.partners import load_partners
    from gateway.store.tables import gateway_documents, gateway_files

    gw = Gateway.open(gateway_home)
    try:
        seed_world(gw.core)
        retailer = load_partners(gateway_home)["demo-retailer"]
        good = [Line(STOCK_SKUS[0], 2), Line(STOCK_SKUS[1], 1)]
        data = interchange_850s(retailer, [("B-1", good), ("B-2", [Line(STOCK_SKUS[2], 0)]),
                                           ("B-3", good), ("B-1", good)], isa13=77)
        inbound = gateway_home / "mailboxes" / "demo-retailer" / "inbound"
        inbound.mkdir(parents=True, exist_ok=True)
        (inbound / "batch.edi").write_bytes(data)
        run_once(gw)
        with gw.engine.connect() as conn:
            placed = sorted(conn.execute(select(orders.c.po_number)).scalars())
            sets = {r.st02: r for r in conn.execute(select(gateway_documents).where(
                gateway_documents.c.direction == "in"))}
            state = conn.execute(select(gateway_files.c.state)).scalar()
            n_855 = conn.execute(select(func.count()).select_from(gateway_documents).where(
                gateway_documents.c.doc_type == "855")).scalar()
    finally:
        gw.close()
    assert placed == ["B-1", "B-3"]
    assert [sets[st].status for st in ("0001", "0002", "0003", "0004")] == \
        ["accepted", "failed", "accepted", "accepted"]
    assert sets["0001"].order_id == sets["0004"].order_id  # the repeat names the same order
    assert sets["0002"].order_id is None
    assert state == "quarantined"           # one failed set quarantines the file, as before
    assert n_855 == 2


def test_add_outbound_many_without_outbox_ids_keeps_the_ordered_path(store_engine):
    """Rows without (or sharing) an outbox id cannot be matched by it: ids still in row order."""
    rows = [dict(doc_type="TA1", partner_id="acme", isa13=f"{i:09d}", gs06=None, st02=None,
                 functional_id=None, sha256=f"{i:02d}" * 32, filename=f"TA1_{i}.x12",
                 outbox_id=None if i != 2 else 7)
            for i in (1, 2, 3)]
    with store_engine.begin() as conn:
        ids = documents.add_outbound_many(conn, rows)
        got = [documents.get(conn, i) for i in ids]
    assert [g["filename"] for g in got] == ["TA1_1.x12", "TA1_2.x12", "TA1_3.x12"]
    assert [g["outbox_id"] for g in got] == [None, 7, None]


def test_add_outbound_many_is_one_insert_for_a_batch_of_outbox_rows(store_engine):
    from sqlalchemy import event

    seen: list[str] = []
    rows = [dict(doc_type="855", partner_id="acme", isa13=f"{i:09d}", gs06=str(i), st02=f"{i:04d}",
                 functional_id="PR", sha256=f"{i:02d}" * 32, filename=f"855_{i}.x12",
                 outbox_id=500 - i)                  # ids and outbox ids in opposite orders
            for i in range(1, 41)]

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(store_engine, "before_cursor_execute", count)
    try:
        with store_engine.begin() as conn:
            ids = documents.add_outbound_many(conn, rows)
    finally:
        event.remove(store_engine, "before_cursor_execute", count)
    assert sum(s.lstrip().upper().startswith("INSERT") for s in seen) == 1
    with store_engine.connect() as conn:
        got = [documents.get(conn, i) for i in ids]
    assert [g["outbox_id"] for g in got] == [r["outbox_id"] for r in rows]
    assert [g["filename"] for g in got] == [r["filename"] for r in rows]
    assert ids == sorted(ids)


def test_mark_sent_many_marks_only_the_named_documents(store_engine):
    rows = [dict(doc_type="855", partner_id="acme", isa13=f"{i:09d}", gs06=str(i), st02=f"{i:04d}",
                 functional_id="PR", sha256=f"{i:02d}" * 32, filename=f"855_{i}.x12", outbox_id=i)
            for i in (1, 2, 3)]
    with store_engine.begin() as conn:
        ids = documents.add_outbound_many(conn, rows)
        documents.mark_sent_many(conn, ids[:2], ack_hours=4)
        documents.mark_sent_many(conn, [], ack_hours=None)
        got = [documents.get(conn, i) for i in ids]
    assert [g["status"] for g in got] == ["sent", "sent", "ready"]
    assert got[0]["ack_due_at"] is not None and got[0]["sent_at"] is not None
    assert got[2]["sent_at"] is None


def test_batch_reader_builds_the_same_documents_as_one_query_each(gateway_home: Path):
    """The render pass reads a batch's rows up front; every document built from them equals the
    one built with a query per row (and a row outside the loaded batch is still found)."""
    from core.adapters.tables import outbox
    from gateway.flow.context import Gateway
    from gateway.flow.samples import STOCK_SKUS, Line, seed_world
    from gateway.inbound import apply_many
    from gateway.mapping import parse_inbound
    from gateway.outbound import build
    from gateway.outbound.reads import BatchReader, RowReader
    from gateway.flow.samples import interchange_850s
    from gateway.x12 import iter_transactions

    gw = Gateway.open(gateway_home)
    try:
        seed_world(gw.core)
        retailer = gw.partners["demo-retailer"]
        data = interchange_850s(retailer, [(f"R-{n}", [Line(STOCK_SKUS[(n + k) % len(STOCK_SKUS)],
                                                            1 + k) for k in range(3 + n)])
                                           for n in range(4)], isa13=5)
        docs = [parse_inbound(retailer, tx) for tx in iter_transactions(data)]
        apply_many(docs, retailer, gw.core)
        with gw.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            rows = list(conn.execute(select(outbox).where(outbox.c.document_type == "855")
                                     .order_by(outbox.c.id)).mappings())
            assert len(rows) == 4
            batch = BatchReader(conn).load(rows[:3])
            one_by_one = [build(r, retailer, gw.core) for r in rows]
            batched = [build(r, retailer, gw.core, reader=batch) for r in rows]
            by_conn = [build(r, retailer, gw.core, reader=RowReader(conn)) for r in rows]
    finally:
        gw.close()
    assert batched == one_by_one == by_conn
    assert [len(d.lines) for d in batched] == [3, 4, 5, 6]


def test_a_mailbox_being_polled_elsewhere_is_reported_busy_not_waited_for(bare_gateway):
    """PostgreSQL: while one process polls a partner (advisory lock held), another asking
    without blocking gets MailboxBusy at once; on SQLite (one process) there is no lock."""
    from sqlalchemy import text

    from gateway.flow.receive import MailboxBusy, receive_partner

    gw = bare_gateway
    partner = gw.partners["demo-retailer"]
    if gw.is_sqlite:
        assert receive_partner(gw, partner, wait=False, block=False).received == []
        return
    with gw.engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(hashtextextended(:k, 0))"),
                      {"k": f"ordergate.receive:{partner.id}"})
        try:
            try:
                receive_partner(gw, partner, wait=False, block=False)
            except MailboxBusy as busy:
                assert busy.partner_id == partner.id
            else:
                raise AssertionError("expected MailboxBusy")
        finally:
            other.execute(text("SELECT pg_advisory_unlock(hashtextextended(:k, 0))"),
                          {"k": f"ordergate.receive:{partner.id}"})
    assert receive_partner(gw, partner, wait=False, block=False).received == []


def test_archive_keeps_one_folder_level_and_still_reads_the_old_two_level_layout(tmp_path: Path):
    from gateway.store.archive import ArchiveError, sha256_of

    archive = Archive(tmp_path / "archive")
    digest = archive.put(b"new blob")
    assert archive.path(digest) == tmp_path / "archive" / digest[:2] / digest
    old = sha256_of(b"old blob")
    legacy = tmp_path / "archive" / old[:2] / old[2:4] / old
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"old blob")
    assert archive.exists(old) and archive.get(old) == b"old blob"
    legacy.write_bytes(b"tampered")
    try:
        archive.get(old)
    except ArchiveError as exc:
        assert exc.path == legacy
    else:
        raise AssertionError("a tampered legacy blob must be refused")
    assert archive.prune(-1) == 2          # both layouts are pruned
    assert not archive.exists(digest) and not archive.exists(old)
