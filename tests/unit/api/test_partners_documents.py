"""Partner status and document routes on the home's real tables."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert

from gateway.store.archive import Archive
from gateway.store.tables import gateway_documents, gateway_errors, gateway_files


def _profiles(home: Path) -> list[str]:
    return sorted(p.stem for p in (home / "partners").glob("*.yaml")) if (home / "partners").is_dir() else []


def _file(engine, home: Path, partner: str, data: bytes, state: str = "applied") -> tuple[int, int]:  # type: ignore[no-untyped-def]
    now = datetime.now(timezone.utc)
    sha = Archive.for_home(home).put(data)
    with engine.begin() as conn:
        fid = conn.execute(insert(gateway_files).values(
            partner_id=partner, transport="local", evidence={}, remote_name="in-850.x12", size=len(data),
            sha256=sha, received_at=now, state=state, format="x12", trace_id="t1", updated_at=now,
        )).inserted_primary_key[0]
        did = conn.execute(insert(gateway_documents).values(
            direction="in", doc_type="850", partner_id=partner, file_id=fid, st02="0001",
            reference="PO-9", status="accepted", trace_id="t1", created_at=now, updated_at=now,
        )).inserted_primary_key[0]
        conn.execute(insert(gateway_documents).values(
            direction="out", doc_type="855", partner_id=partner, isa13="000000007", status="sent",
            trace_id="t2", ack_status="pending", ack_due_at=now - timedelta(hours=1), sent_at=now,
            filename="out-855.x12", created_at=now, updated_at=now))
        conn.execute(insert(gateway_errors).values(file_id=fid, partner_id=partner, stage="check",
                                                   code="E1", message="bad", created_at=now))
    return fid, did


def test_documents_list_trace_and_original_bytes(client, reader, engine, home) -> None:
    data = b"ISA*00*          *00*          *ZZ*X*ZZ*Y~"
    _, did = _file(engine, home, "acme", data)
    listed = client.get("/v1/documents", headers=reader, params={"direction": "in"}).json()
    assert [d["id"] for d in listed] == [did]
    trace = client.get(f"/v1/documents/{did}", headers=reader).json()
    assert trace["document"]["reference"] == "PO-9" and trace["errors"][0]["code"] == "E1"
    content = client.get(f"/v1/documents/{did}/content", headers=reader)
    assert content.status_code == 200 and content.content == data
    assert "in-850.x12" in content.headers["content-disposition"]
    assert client.get("/v1/documents/999/content", headers=reader).status_code == 404
    assert client.get("/v1/documents/999", headers=reader).status_code == 404


def test_resend_of_an_inbound_document_is_refused_with_a_hint(client, writer, engine, home) -> None:
    _, did = _file(engine, home, "acme", b"x")
    response = client.post(f"/v1/documents/{did}/resend", headers=writer)
    assert response.status_code == 409, response.text
    assert "retry" in response.json()["hint"]
    assert client.post("/v1/documents/999/retry", headers=writer).status_code == 404


def test_partner_status(client, reader, engine, home) -> None:
    partners = _profiles(home)
    if not partners:
        pytest.skip("this home has no partner profiles (ordergate init not available)")
    pid = partners[0]
    _file(engine, home, pid, b"y", state="quarantined")
    listed = {p["id"]: p for p in client.get("/v1/partners", headers=reader).json()}
    assert set(listed) == set(partners)
    status = client.get(f"/v1/partners/{pid}", headers=reader).json()["status"]
    assert status["last_file_in"] and status["last_file_out"]
    assert (status["acks_pending"], status["acks_overdue"]) == (1, 1)
    assert status["errors_7d"] == 1 and status["files_quarantined"] == 1
    assert client.get("/v1/partners/nobody", headers=reader).status_code == 404
