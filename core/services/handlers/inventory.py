"""Stock and reference data: receive, adjust, define locations and items."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, insert, select, update

from core.adapters import tables as t
from core.domain import commands as c
from core.domain.errors import InvalidCommand, UnknownItem, UnknownLocation
from core.inventory.ledger import MovementKind
from core.inventory.locations import LocationType
from core.services.flow import Context
from core.services.unit_of_work import UnitOfWork
from core.services.validation import quantity


def _check(uow: UnitOfWork, sku: str, location: str, command: str) -> None:
    loc = uow.inventory.location(location)
    if loc is None:
        raise UnknownLocation(f"unknown location {location}", command=command)
    if loc.is_dropship:
        raise InvalidCommand(f"{location} is a drop-ship vendor: we hold no stock there",
                             command=command)
    if not uow.inventory.items([sku]):
        raise UnknownItem(f"unknown item {sku}", command=command)


def _levels(uow: UnitOfWork, sku: str, location: str) -> dict[str, str]:
    level = uow.ledger.level(sku, location)  # type: ignore[union-attr]
    return {"on_hand": str(level.on_hand), "reserved": str(level.reserved),
            "available": str(level.available)}


def receive_inventory(cmd: c.ReceiveInventory, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "ReceiveInventory"
    _check(uow, cmd.sku, cmd.location, command)
    qty = quantity(cmd.quantity, line=None, command=command)
    ledger = uow.ledger_for([cmd.sku])
    ledger.post(MovementKind.RECEIPT, cmd.sku, cmd.location, qty, reference=cmd.reference,
                at=uow.now)
    ids = _levels(uow, cmd.sku, cmd.location)
    uow.commit()
    return c.Outcome(ids=ids, at=uow.now)


def adjust_inventory(cmd: c.AdjustInventory, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "AdjustInventory"
    _check(uow, cmd.sku, cmd.location, command)
    qty = quantity(cmd.quantity, line=None, command=command, allow_negative=True)
    ledger = uow.ledger_for([cmd.sku])
    ledger.post(MovementKind.ADJUSTMENT, cmd.sku, cmd.location, qty, reference=cmd.reason,
                at=uow.now)
    ids = _levels(uow, cmd.sku, cmd.location)
    uow.commit()
    return c.Outcome(ids=ids, at=uow.now)


def define_location(cmd: c.DefineLocation, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "DefineLocation"
    try:
        LocationType(cmd.type)
    except ValueError:
        raise InvalidCommand(f"location type {cmd.type!r} is not one of "
                             f"{', '.join(x.value for x in LocationType)}", command=command) from None
    values = {"name": cmd.name or cmd.code, "type": cmd.type, "postal_code": cmd.postal_code,
              "country": cmd.country, "state": cmd.state, "latitude": cmd.latitude,
              "longitude": cmd.longitude, "priority": cmd.priority,
              "lead_time_days": cmd.lead_time_days, "capacity": cmd.capacity,
              "cost": Decimal(str(cmd.cost)), "partner_id": cmd.partner_id, "active": True}
    exists = uow.conn.execute(select(t.locations.c.code).where(t.locations.c.code == cmd.code)).scalar()
    if exists:
        uow.conn.execute(update(t.locations).where(t.locations.c.code == cmd.code).values(**values))
    else:
        uow.conn.execute(insert(t.locations).values(code=cmd.code, **values))
    uow.commit()
    return c.Outcome(created=not exists, ids={"location": cmd.code}, at=uow.now)


def define_item(cmd: c.DefineItem, uow: UnitOfWork, ctx: Context) -> c.Outcome:
    command = "DefineItem"
    if not cmd.sku:
        raise InvalidCommand("an item needs a SKU", command=command)
    values = {"description": cmd.description, "upc": cmd.upc, "uom": cmd.uom,
              "unit_price": cmd.unit_price}
    exists = uow.conn.execute(select(t.items.c.sku).where(t.items.c.sku == cmd.sku)).scalar()
    if exists:
        uow.conn.execute(update(t.items).where(t.items.c.sku == cmd.sku).values(**values))
    else:
        uow.conn.execute(insert(t.items).values(sku=cmd.sku, **values))
    if cmd.vendors:
        uow.conn.execute(delete(t.vendor_items).where(t.vendor_items.c.sku == cmd.sku))
        for location, vendor_part, cost in cmd.vendors:
            loc = uow.inventory.location(location)
            if loc is None or not loc.is_dropship:
                raise UnknownLocation(f"{location} is not a drop-ship vendor location",
                                      command=command)
            uow.conn.execute(insert(t.vendor_items).values(location=location, sku=cmd.sku,
                                                           vendor_part=vendor_part, cost=cost))
    uow.commit()
    return c.Outcome(created=not exists, ids={"sku": cmd.sku}, at=uow.now)
