"""Available-to-promise for an item, a quantity and a ship-to (levels themselves come from the
core's read model, `core.inventory.item`)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from core.adapters import tables as t
from gateway.api.views.convert import num

ZERO = Decimal("0")


def item_exists(conn: Connection, sku: str) -> bool:
    return conn.execute(select(t.items.c.sku).where(t.items.c.sku == sku)).first() is not None


def levels(conn: Connection, sku: str) -> list[dict[str, Any]]:
    lv, loc = t.inventory_levels.c, t.locations.c
    rows = conn.execute(select(t.inventory_levels, t.locations.c.type, t.locations.c.name)
                        .join(t.locations, loc.code == lv.location, isouter=True)
                        .where(lv.sku == sku).order_by(lv.location)).all()
    out = []
    for r in rows:
        available = max(Decimal(r.on_hand) - Decimal(r.reserved) - Decimal(r.safety_stock), ZERO)
        out.append({"location": r.location, "type": r.type, "on_hand": Decimal(r.on_hand),
                    "reserved": Decimal(r.reserved), "in_transit": Decimal(r.in_transit),
                    "available": available})
    return out


def atp_json(conn: Connection, sku: str, quantity: Decimal, postal_code: str | None,
             country: str | None) -> dict[str, Any] | None:
    """Where `quantity` of `sku` could come from, nearest first; drop-ship vendors listed apart."""
    from core.inventory.geo import centroid, haversine_km

    if not item_exists(conn, sku):
        return None
    dest = centroid(postal_code, country) if postal_code else None
    locations = {r.code: r for r in conn.execute(select(t.locations).where(t.locations.c.active.is_(True)))}
    stock = {r["location"]: r for r in levels(conn, sku)}
    candidates = []
    for code, loc in locations.items():
        if loc.type == "dropship":
            continue
        available = stock.get(code, {}).get("available", ZERO)
        if available <= 0:
            continue
        coords = _coords(loc, centroid)
        distance = round(haversine_km(dest, coords), 1) if dest and coords else None
        candidates.append({"location": code, "type": loc.type, "available": available,
                           "distance_km": distance, "can_fill": available >= quantity})
    candidates.sort(key=lambda c: (c["distance_km"] is None, c["distance_km"] or 0, c["location"]))
    vendors = [{"location": r.location, "lead_time_days": locations[r.location].lead_time_days,
                "cost": num(r.cost)}
               for r in conn.execute(select(t.vendor_items).where(t.vendor_items.c.sku == sku))
               if r.location in locations]
    total = sum((c["available"] for c in candidates), ZERO)
    return {"item": sku, "quantity": num(quantity),
            "ship_to": {"postal_code": postal_code, "country": country},
            "available": num(total), "promisable": total >= quantity or bool(vendors),
            "from_stock": total >= quantity,
            "single_location": next((c["location"] for c in candidates if c["can_fill"]), None),
            "locations": [{**c, "available": num(c["available"])} for c in candidates],
            "dropship_vendors": vendors}


def _coords(loc: Any, centroid: Any) -> tuple[float, float] | None:
    if loc.latitude is not None and loc.longitude is not None:
        return float(loc.latitude), float(loc.longitude)
    return centroid(loc.postal_code, loc.country)
