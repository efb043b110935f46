"""Operations on the order aggregate that also move inventory: allocate, release, ship, cancel.
Each applies bucket moves through `OrderLine.move` (which refuses impossible quantities) and posts
the matching ledger movements, so order and inventory cannot drift apart."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from core.domain.errors import InvariantViolation
from core.domain.model import Allocation, Order, OrderLine
from core.domain.quantities import ZERO
from core.domain.transitions import Step
from core.inventory.ledger import Ledger, MovementKind


def allocate(order: Order, line: OrderLine, location: str, quantity: Decimal, rule: str,
             ledger: Ledger, at: datetime | None, command: str = "SourceOrder") -> Allocation:
    line.move(Step.ALLOCATE, quantity, command)
    alloc = line.allocation_at(location) if line.allocations else None
    if alloc is None or alloc.vendor_order_id is not None:
        alloc = Allocation(location=location, rule=rule)
        line.allocations.append(alloc)
    alloc.allocated += quantity
    alloc.dirty = True
    ledger.post(MovementKind.RESERVATION, line.sku or "", location, quantity, order=order,
                line=line, reference=f"allocate {order.po_number}/{line.line_number}", at=at)
    return alloc


def unreserve(order: Order, line: OrderLine, taken: dict[str, Decimal], ledger: Ledger,
              at: datetime | None, why: str, location: str | None = None) -> list[list[str]]:
    """Give back reservations for quantity just moved out of allocated/released (latest
    allocation first, or only `location`). Returns [location, quantity] pairs released."""
    freed: list[list[str]] = []
    for bucket in ("released", "allocated"):
        left = taken.get(bucket, ZERO)
        for alloc in reversed(line.allocations):
            if left <= 0:
                break
            if location is not None and alloc.location != location:
                continue
            part = min(left, getattr(alloc, bucket))
            if part <= 0:
                continue
            setattr(alloc, bucket, getattr(alloc, bucket) - part)
            alloc.dirty = True
            left -= part
            ledger.post(MovementKind.RELEASE, line.sku or "", alloc.location, part, order=order,
                        line=line, reference=f"{why} {order.po_number}/{line.line_number}", at=at)
            freed.append([alloc.location, str(part)])
        if left > 0:
            raise InvariantViolation(
                f"line {line.line_number}: {left} {bucket} not found in allocations"
                + (f" at {location}" if location else ""), order=order.po_number,
                line=line.line_number, numbers={"missing": left})
    return freed


def release(order: Order, line: OrderLine, command: str = "ReleaseToFulfillment") -> Decimal:
    qty = line.q["allocated"]
    if qty <= 0:
        return ZERO
    line.move(Step.RELEASE, qty, command)
    for alloc in line.allocations:
        if alloc.allocated > 0:
            alloc.released += alloc.allocated
            alloc.allocated = ZERO
            alloc.dirty = True
    return qty


def ship(order: Order, line: OrderLine, quantity: Decimal, ledger: Ledger, at: datetime | None,
         *, location: str | None = None, dropship: bool = False, command: str = "RecordShipment",
         reference: str = "") -> list[tuple[str, Decimal]]:
    """Ship `quantity` of `line` (from `location` when given). Returns (location, quantity)
    pairs. Refuses shipping more than is allocated and released (there or in total)."""
    if location is not None:
        alloc_here = sum((a.outstanding for a in line.allocations if a.location == location), ZERO)
        if quantity > alloc_here:
            raise InvariantViolation(
                f"line {line.line_number}: cannot ship {quantity} from {location}, only "
                f"{alloc_here} is allocated there", order=order.po_number, line=line.line_number,
                command=command, numbers={"requested": quantity, "allocated": alloc_here})
    taken = line.move(Step.SHIP, quantity, command)
    out: list[tuple[str, Decimal]] = []
    for bucket in ("released", "allocated"):
        left = taken.get(bucket, ZERO)
        for alloc in line.allocations:
            if left <= 0:
                break
            if location is not None and alloc.location != location:
                continue
            part = min(left, getattr(alloc, bucket))
            if part <= 0:
                continue
            setattr(alloc, bucket, getattr(alloc, bucket) - part)
            alloc.shipped += part
            alloc.dirty = True
            left -= part
            kind = MovementKind.DROPSHIP_SHIPMENT if dropship else MovementKind.SHIPMENT
            ledger.post(kind, line.sku or "", alloc.location, part, order=order, line=line,
                        reference=reference or f"ship {order.po_number}/{line.line_number}", at=at)
            out.append((alloc.location, part))
        if left > 0:  # bucket and allocations disagree: refuse rather than half-apply
            raise InvariantViolation(
                f"line {line.line_number}: {left} {bucket} is not held at "
                f"{location or 'any location'}", order=order.po_number, line=line.line_number,
                command=command, numbers={"missing": left})
    return out


def cancel(order: Order, line: OrderLine, quantity: Decimal | None, ledger: Ledger,
           at: datetime | None, command: str) -> dict[str, Any]:
    qty = line.available_for(Step.CANCEL) if quantity is None else quantity
    if quantity is None and qty == 0:
        line.move(Step.CANCEL, Decimal("1"), command)  # raises IllegalTransition naming the state
    taken = line.move(Step.CANCEL, qty, command)
    freed = unreserve(order, line, taken, ledger, at, "cancel")
    return {"line": line.line_number, "quantity": str(qty), "released": freed}
