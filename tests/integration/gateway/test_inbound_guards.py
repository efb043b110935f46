"""Receive and process guards on real folders and a real SQLite file: a file under another
partner's identity is refused, redeliveries are duplicates, junk is quarantined, a crash between
commit and remote move does not make a file its own duplicate, and partners' 997s mark ours."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from gateway.flow.process import process_pending
from gateway.flow.receive import receive_partner
from gateway.flow.samples import Line, functional_ack_997, interchange_850s
from gateway.flow.upload import upload_ready
from gateway.store import documents, files
from gateway.store.archive import sha256_of
from gateway.store.tables import gateway_documents, gateway_errors, gateway_files

RETAILER = "demo-retailer"
VENDOR = "demo-vendor"


def _drop(gw, partner_id: str, name: str, data: bytes) -> Path:
    folder = gw.home.path / "mailboxes" / partner_id / "inbound"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def _outbound(gw, partner_id: str) -> list[str]:
    folder = gw.home.path / "mailboxes" / partner_id / "outbound"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _poll(gw, partner_id: str):
    result = receive_partner(gw, gw.partners[partner_id])
    return result, process_pending(gw)


def test_file_under_another_partners_isa_id_is_refused_and_answered(bare_gateway):
    gw = bare_gateway
    forged = interchange_850s(gw.partners[RETAILER], [("PO-X", [Line("SKU-1", 1)])], isa13=77,
                              sender=gw.partners[VENDOR])
    _drop(gw, RETAILER, "forged.edi", forged)
    received, outcomes = _poll(gw, RETAILER)
    assert len(received.received) == 1
    assert [o.state.value for o in outcomes] == ["refused"]
    with gw.engine.connect() as conn:
        row = files.get(conn, outcomes[0].file_id)
        errors = conn.execute(select(gateway_errors).where(gateway_errors.c.file_id == row["id"])).mappings().all()
        inbound = conn.execute(select(func.count()).select_from(gateway_documents)
                               .where(gateway_documents.c.direction == "in")).scalar()
    assert row["state"] == "refused" and "DEMOVENDOR" in row["reason"]
    assert {(e["code"], e["segment_id"], e["element_position"]) for e in errors} == {
        ("wrong_sender", "ISA", 6), ("wrong_sender", "GS", 2)}
    assert inbound == 0  # never applied, not even recorded as a set
    sent = upload_ready(gw)
    assert len(sent.sent) == 1
    [name] = _outbound(gw, RETAILER)
    ta1 = (gw.home.path / "mailboxes" / RETAILER / "outbound" / name).read_bytes()
    assert b"TA1*000000077*" in ta1 and b"*R*006" in ta1


def test_same_file_delivered_twice_is_recorded_once_as_duplicate(bare_gateway):
    gw = bare_gateway
    data = functional_ack_997(gw.partners[RETAILER], [("PR", "1", "0001", "A")], isa13=5)
    _drop(gw, RETAILER, "a.edi", data)
    _poll(gw, RETAILER)
    _drop(gw, RETAILER, "a-again.edi", data)
    received, outcomes = _poll(gw, RETAILER)
    assert received.duplicates and not received.received and outcomes == []
    with gw.engine.connect() as conn:
        states = conn.execute(select(gateway_files.c.remote_name, gateway_files.c.state,
                                     gateway_files.c.duplicate_of).order_by(gateway_files.c.id)).all()
    assert [(s[0], s[1]) for s in states] == [("a.edi", "applied"), ("a-again.edi", "duplicate")]
    assert states[1][2] is not None


def test_same_isa13_in_different_bytes_is_a_duplicate_interchange(bare_gateway):
    gw = bare_gateway
    partner = gw.partners[RETAILER]
    _drop(gw, RETAILER, "one.edi", functional_ack_997(partner, [("PR", "1", "0001", "A")], isa13=9))
    _poll(gw, RETAILER)
    _drop(gw, RETAILER, "two.edi", functional_ack_997(partner, [("PR", "2", "0002", "A")], isa13=9))
    _, outcomes = _poll(gw, RETAILER)
    assert [o.state.value for o in outcomes] == ["duplicate"]
    assert "000000009" in outcomes[0].reason


def test_junk_is_quarantined_with_its_reason(bare_gateway):
    gw = bare_gateway
    _drop(gw, RETAILER, "junk.edi", b"#!/bin/sh\nrm -rf /\n")
    _, outcomes = _poll(gw, RETAILER)
    assert [o.state.value for o in outcomes] == ["quarantined"]
    assert "neither X12" in outcomes[0].reason
    _drop(gw, RETAILER, "cut.edi", b"ISA*00*  broken")
    _, outcomes = _poll(gw, RETAILER)
    assert [o.state.value for o in outcomes] == ["quarantined"]


def test_crash_between_commit_and_remote_move_is_not_a_duplicate(bare_gateway):
    gw = bare_gateway
    data = functional_ack_997(gw.partners[RETAILER], [("PR", "1", "0001", "A")], isa13=11)
    path = _drop(gw, RETAILER, "c.edi", data)
    # what receive does up to the crash: archived and recorded, remote file not moved yet
    gw.archive.put(data)
    with gw.engine.begin() as conn:
        files.record_received(conn, files.Received(RETAILER, "local", "c.edi", len(data),
                                                   sha256_of(data), {}))
    received, outcomes = _poll(gw, RETAILER)
    assert received.received == [] and received.duplicates == []
    assert not path.exists()
    assert [o.state.value for o in outcomes] == ["applied"]
    with gw.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(gateway_files)).scalar() == 1


def test_partner_997_marks_our_documents_accepted_or_rejected(bare_gateway):
    gw = bare_gateway
    with gw.engine.begin() as conn:
        ids = [documents.add_outbound(conn, doc_type="855", partner_id=RETAILER, isa13=f"{n:09d}",
                                      gs06=str(n), st02=f"{n:04d}", functional_id="PR",
                                      sha256=gw.archive.put(b"x%d" % n), filename=f"855_{n}.edi",
                                      expect_ack_hours=24) for n in (3, 4)]
    upload_ready(gw)
    partner = gw.partners[RETAILER]
    _drop(gw, RETAILER, "997.edi", functional_ack_997(partner, [("PR", "3", "0003", "A"),
                                                                ("PR", "4", "0004", "R")], isa13=21))
    _, outcomes = _poll(gw, RETAILER)
    assert [o.state.value for o in outcomes] == ["applied"]
    with gw.engine.connect() as conn:
        accepted, rejected = (documents.get(conn, i) for i in ids)
    assert accepted["ack_status"] == "accepted" and accepted["ack_document_id"] is not None
    assert rejected["ack_status"] == "rejected" and "AK5 R" in rejected["ack_detail"]
    # a 997 is never acknowledged
    assert not [n for n in _outbound(gw, RETAILER) if "997" in n]


def test_failed_upload_backs_off_keeps_its_numbers_and_resend_delivers(bare_gateway):
    from gateway.flow.retry import resend

    gw = bare_gateway
    with gw.engine.begin() as conn:
        doc_id = documents.add_outbound(conn, doc_type="855", partner_id=RETAILER, isa13="000000031",
                                        gs06="31", st02="0031", functional_id="PR",
                                        sha256=gw.archive.put(b"ISA*payload"), filename="855_31.edi",
                                        expect_ack_hours=24)
    outbound = gw.home.path / "mailboxes" / RETAILER / "outbound"
    outbound.parent.mkdir(parents=True, exist_ok=True)
    outbound.write_bytes(b"")                      # a file where the folder should be: uploads fail
    first = upload_ready(gw)
    assert first.sent == [] and [d for d, _ in first.failed] == [doc_id]
    with gw.engine.connect() as conn:
        row = documents.get(conn, doc_id)
    assert (row["status"], row["attempts"], row["isa13"]) == ("ready", 1, "000000031")
    assert row["next_attempt_at"] is not None and row["last_error"]
    outbound.unlink()
    assert upload_ready(gw).sent == []            # backing off: not yet
    assert resend(gw, doc_id).ok                  # the operator's resend goes now
    assert (outbound / "855_31.edi").read_bytes() == b"ISA*payload"
    with gw.engine.connect() as conn:
        row = documents.get(conn, doc_id)
    assert (row["status"], row["isa13"], row["ack_status"]) == ("sent", "000000031", "pending")
    assert row["ack_due_at"] is not None


def test_bytes_handed_over_directly_take_the_same_path(bare_gateway):
    from gateway.flow.receive import receive_bytes

    gw = bare_gateway
    data = functional_ack_997(gw.partners[RETAILER], [("PR", "1", "0001", "A")], isa13=91)
    first = receive_bytes(gw, RETAILER, "upload.edi", data)
    again = receive_bytes(gw, RETAILER, "upload-again.edi", data)
    assert (first[1], again[1]) == ("received", "duplicate")
    assert [o.state.value for o in process_pending(gw)] == ["applied"]
    assert gw.archive.get(sha256_of(data)) == data
