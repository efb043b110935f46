"""Order routes through httpx on a real SQLite home: place, idempotency, validation problems,
read, list with paging, and the fulfilment flow (acknowledge, release, ship, invoice, return)."""
from __future__ import annotations

from tests.unit.api.conftest import order_body


def test_place_order_records_the_key_name_in_history(client, writer) -> None:
    response = client.post("/v1/orders", headers=writer, json=order_body())
    assert response.status_code == 201, response.text
    body = response.json()
    order = body["order"]
    assert body["created"] is True
    assert response.headers["location"] == f"/v1/orders/{order['id']}"
    assert order["po_number"] == "WEB-1" and order["status"] == "allocated"
    line = order["lines"][0]
    assert line["quantities"]["allocated"] == "3"
    assert line["allocations"][0]["location"] == "API-EAST"  # nearest to New York
    assert {h["actor"] for h in order["history"]} == {"api:webshop"}
    again = client.post("/v1/orders", headers=writer, json=order_body())
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["order"]["id"] == order["id"]


def test_idempotency_key_replays_and_refuses_a_different_body(client, writer) -> None:
    headers = {**writer, "Idempotency-Key": "k-1"}
    first = client.post("/v1/orders", headers=headers, json=order_body("WEB-2"))
    replay = client.post("/v1/orders", headers=headers, json=order_body("WEB-2"))
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers.get("idempotent-replayed") == "true"
    other = client.post("/v1/orders", headers=headers, json=order_body("WEB-3"))
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"].endswith("/idempotency-key-reused")
    listed = client.get("/v1/orders", headers=writer, params={"po_number": "WEB-3"}).json()
    assert listed["items"] == []  # the refused request did nothing


def test_idempotency_keys_are_per_api_key(client, writer, admin) -> None:
    a = client.post("/v1/orders", headers={**writer, "Idempotency-Key": "same"}, json=order_body("A-1"))
    b = client.post("/v1/orders", headers={**admin, "Idempotency-Key": "same"}, json=order_body("A-2"))
    assert a.status_code == b.status_code == 201
    assert a.json()["order"]["id"] != b.json()["order"]["id"]


def test_validation_problem_names_the_field(client, writer) -> None:
    bad = order_body()
    bad["lines"][0]["quantity"] = -2
    response = client.post("/v1/orders", headers=writer, json=bad)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422 and problem["instance"] == "/v1/orders"
    fields = [e["field"] for e in problem["errors"]]
    assert "lines.0.quantity" in fields
    assert problem["errors"][0]["pointer"] == "#/lines/0/quantity"


def test_duplicate_line_numbers_and_unknown_keys_are_422(client, writer) -> None:
    body = order_body()
    body["lines"].append(dict(body["lines"][0]))
    response = client.post("/v1/orders", headers=writer, json=body)
    assert response.status_code == 422 and "appears twice" in response.json()["detail"]
    response = client.post("/v1/orders", headers=writer, json={**order_body(), "colour": "red"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


def test_malformed_json_is_a_problem(client, writer) -> None:
    response = client.post("/v1/orders", headers={**writer, "Content-Type": "application/json"},
                           content=b"{not json")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_item_is_a_rejected_line_not_an_error(client, writer) -> None:
    body = order_body("WEB-U")
    body["lines"][0]["sku"] = "NO-SUCH"
    response = client.post("/v1/orders", headers=writer, json=body)
    assert response.status_code == 201
    line = response.json()["order"]["lines"][0]
    assert line["status"] == "rejected" and "unknown item" in (line["reject_reason"] or "")


def test_get_unknown_order_is_404_problem(client, reader) -> None:
    response = client.get("/v1/orders/999999", headers=reader)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/unknown-order")
    assert client.get("/v1/orders/abc", headers=reader).status_code == 422


def test_list_filters_and_pages_with_next_links(client, writer, reader) -> None:
    ids = [client.post("/v1/orders", headers=writer, json=order_body(f"PAGE-{n}")).json()["order"]["id"]
           for n in range(5)]
    seen: list[int] = []
    url = "/v1/orders?limit=2&channel=webshop"
    pages = 0
    while url:
        page = client.get(url, headers=reader).json()
        seen += [o["id"] for o in page["items"]]
        url = page["next"]
        pages += 1
    assert seen == sorted(ids, reverse=True) and pages == 3
    by_page = client.get("/v1/orders", headers=reader, params={"page": 2, "size": 2}).json()
    assert [o["id"] for o in by_page["items"]] == sorted(ids, reverse=True)[2:4]
    assert "page=3" in by_page["next"]
    one = client.get("/v1/orders", headers=reader, params={"po_number": "PAGE-3"}).json()
    assert [o["po_number"] for o in one["items"]] == ["PAGE-3"] and one["next"] is None
    assert client.get("/v1/orders", headers=reader, params={"status": "shipped"}).json()["items"] == []
    bad = client.get("/v1/orders", headers=reader, params={"cursor": "garbage!"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "cursor"


def test_fulfilment_flow_ship_invoice_return(client, writer, reader) -> None:
    order = client.post("/v1/orders", headers=writer, json=order_body("FLOW-1")).json()["order"]
    oid = order["id"]
    ack = client.post(f"/v1/orders/{oid}/acknowledge", headers=writer, json={})
    assert ack.status_code == 200, ack.text
    released = client.post(f"/v1/orders/{oid}/release", headers=writer, json={})
    assert released.status_code == 200, released.text
    shipped = client.post(f"/v1/orders/{oid}/shipments", headers=writer,
                          json={"lines": [{"line_number": "1", "quantity": 2}], "carrier": "UPS",
                                "tracking": "1Z999"})
    assert shipped.status_code == 201, shipped.text
    state = shipped.json()["order"]
    assert state["lines"][0]["quantities"]["shipped"] == "2"
    assert state["shipments"][0]["tracking"] == "1Z999"
    too_much = client.post(f"/v1/orders/{oid}/invoices", headers=writer,
                           json={"lines": [{"line_number": "1", "quantity": 3}]})
    assert too_much.status_code in (409, 422)
    problem = too_much.json()
    assert problem["line"] == "1" and problem["numbers"]  # the core's attributes, not only text
    invoiced = client.post(f"/v1/orders/{oid}/invoices", headers=writer,
                           json={"lines": [{"line_number": "1", "quantity": 2}]})
    assert invoiced.status_code == 201, invoiced.text
    assert invoiced.json()["order"]["invoices"][0]["total"] == "19"
    returned = client.post(f"/v1/orders/{oid}/returns", headers=writer,
                           json={"lines": [{"line_number": "1", "quantity": 1, "reason": "damaged"}],
                                 "rma_number": "RMA-1"})
    assert returned.status_code == 201, returned.text
    received = client.post("/v1/returns/RMA-1/receive", headers=writer, json={"location": "API-EAST"})
    assert received.status_code == 200, received.text
    final = client.get(f"/v1/orders/{oid}", headers=reader).json()
    assert final["lines"][0]["quantities"]["returned"] == "1"
    assert final["returns"][0]["number"] == "RMA-1"
    events = [h["event"] for h in final["history"]]
    assert {"placed", "shipped", "invoiced"} <= set(events)


def test_cancel_and_change(client, writer) -> None:
    oid = client.post("/v1/orders", headers=writer, json=order_body("CHG-1")).json()["order"]["id"]
    changed = client.post(f"/v1/orders/{oid}/change", headers=writer,
                          json={"changes": [{"line_number": "1", "quantity": 5}]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["order"]["lines"][0]["ordered"] == "5"
    empty = client.post(f"/v1/orders/{oid}/change", headers=writer, json={})
    assert empty.status_code == 422
    cancelled = client.post(f"/v1/orders/{oid}/cancel", headers=writer, json={"reason": "customer"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["order"]["status"] == "cancelled"
    again = client.post(f"/v1/orders/{oid}/cancel", headers=writer, json={"reason": "again"})
    assert again.status_code in (409, 422)
    assert again.json()["title"]
    missing = client.post("/v1/orders/424242/cancel", headers=writer, json={})
    assert missing.status_code == 404


def test_reader_cannot_write(client, reader) -> None:
    assert client.post("/v1/orders", headers=reader, json=order_body()).status_code == 403


def test_ids_beyond_bigint_are_422_not_a_driver_error(client, writer) -> None:
    """Found by schemathesis: SQLite cannot bind an int above 2**63-1."""
    for method, url in (("GET", "/v1/orders/9227875636482146304"),
                        ("POST", "/v1/orders/9227875636482146304/invoices"),
                        ("GET", "/v1/documents/99999999999999999999"),
                        ("GET", "/v1/webhook-deliveries?subscription_id=99999999999999999999")):
        response = client.request(method, url, headers=writer, json={} if method == "POST" else None)
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == "application/problem+json"
