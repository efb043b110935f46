"""Inventory levels, available-to-promise and the sourcing preview (which must change nothing)."""
from __future__ import annotations

from sqlalchemy import func, select

from core.adapters import tables as t


def test_inventory_levels_per_location_and_total(client, reader) -> None:
    response = client.get("/v1/inventory/API-1", headers=reader)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["item"] == "API-1"
    by_loc = {row["location"]: row for row in data["locations"]}
    assert by_loc["API-EAST"]["on_hand"] == "100" and by_loc["API-WEST"]["available"] == "50"
    assert data["total"]["on_hand"] == "150"


def test_unknown_item_is_404(client, reader) -> None:
    response = client.get("/v1/inventory/NOPE", headers=reader)
    assert response.status_code == 404 and response.json()["type"].endswith("/unknown-item")


def test_atp_nearest_first_and_promisable(client, reader) -> None:
    east = client.get("/v1/atp", headers=reader,
                      params={"sku": "API-1", "quantity": 60, "postal_code": "10001"}).json()
    assert [l["location"] for l in east["locations"]][:2] == ["API-EAST", "API-WEST"]
    assert east["single_location"] == "API-EAST" and east["from_stock"] is True
    west = client.get("/v1/atp", headers=reader,
                      params={"sku": "API-1", "quantity": 10, "postal_code": "90001"}).json()
    assert west["single_location"] == "API-WEST"
    short = client.get("/v1/atp", headers=reader, params={"sku": "API-2", "quantity": 6}).json()
    assert short["from_stock"] is False and short["promisable"] is False
    vendor = client.get("/v1/atp", headers=reader, params={"sku": "API-9", "quantity": 6}).json()
    assert vendor["from_stock"] is False and vendor["promisable"] is True
    assert vendor["dropship_vendors"][0]["location"] == "api-vendor"
    bad = client.get("/v1/atp", headers=reader, params={"sku": "API-1", "quantity": 0})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "quantity"


def _snapshot(engine):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return (conn.execute(select(t.inventory_levels).order_by(t.inventory_levels.c.sku,
                                                                 t.inventory_levels.c.location)).all(),
                conn.execute(select(func.count()).select_from(t.orders)).scalar(),
                conn.execute(select(func.count()).select_from(t.inventory_movements)).scalar())


def test_sourcing_preview_explains_and_changes_nothing(client, reader, engine) -> None:
    before = _snapshot(engine)
    body = {"ship_to": {"postal_code": "90001", "country": "US"},
            "lines": [{"line_number": "1", "sku": "API-1", "quantity": 70},
                      {"line_number": "2", "sku": "API-9", "quantity": 2},
                      {"line_number": "3", "sku": "GHOST", "quantity": 1}]}
    response = client.post("/v1/sourcing/preview", headers=reader, json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    lines = {l["line_number"]: l for l in data["lines"]}
    first = [(p["location"], p["quantity"]) for p in lines["1"]["placements"]]
    assert first[0] == ("API-WEST", "50")  # nearest to Los Angeles, then the rest from the east
    assert ("API-EAST", "20") in first
    assert lines["2"]["placements"][0]["dropship"] is True
    assert lines["3"]["skipped"] == "unknown item"
    assert data["rules"] and data["changed_nothing"] is True
    assert _snapshot(engine) == before
