"""Inventory as a ledger of movements (OFBiz style). Levels per (item, location) are a running
sum of the movements and are written in the same transaction, so reads are O(1) while the ledger
stays the truth (tests check that levels == sum of movements).

EFFECTS is the table of what each movement kind does to on hand, reserved and in transit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from core.domain.errors import InvariantViolation

ZERO = Decimal("0")


class MovementKind(str, Enum):
    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    RESERVATION = "reservation"
    RELEASE = "release"  # a reservation given back (cancel, reject, change)
    SHIPMENT = "shipment"
    DROPSHIP_SHIPMENT = "dropship_ship"  # a vendor shipped for us: frees its capacity only
    TRANSFER_OUT = "transfer_out"
    IN_TRANSIT = "in_transit"
    TRANSFER_IN = "transfer_in"
    RETURN = "return"


# kind -> (on_hand, reserved, in_transit) multipliers of the movement quantity
EFFECTS: dict[MovementKind, tuple[int, int, int]] = {
    MovementKind.RECEIPT: (1, 0, 0),
    MovementKind.ADJUSTMENT: (1, 0, 0),
    MovementKind.RESERVATION: (0, 1, 0),
    MovementKind.RELEASE: (0, -1, 0),
    MovementKind.SHIPMENT: (-1, -1, 0),
    MovementKind.DROPSHIP_SHIPMENT: (0, -1, 0),
    MovementKind.TRANSFER_OUT: (-1, 0, 0),
    MovementKind.IN_TRANSIT: (0, 0, 1),
    MovementKind.TRANSFER_IN: (1, 0, -1),
    MovementKind.RETURN: (1, 0, 0),
}


@dataclass(slots=True)
class Level:
    sku: str
    location: str
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    in_transit: Decimal = ZERO
    safety_stock: Decimal = ZERO
    exists: bool = True  # False: no row yet (inserted on save)

    @property
    def available(self) -> Decimal:
        """Available to promise: on hand - reserved - safety stock."""
        return self.on_hand - self.reserved - self.safety_stock


class Ledger:
    """Levels loaded for one unit of work plus the movements it posts."""

    def __init__(self, levels: dict[tuple[str, str], Level] | None = None) -> None:
        self.levels: dict[tuple[str, str], Level] = levels or {}
        self.movements: list[dict[str, Any]] = []
        self.deltas: dict[tuple[str, str], list[Decimal]] = {}

    def level(self, sku: str, location: str) -> Level:
        key = (sku, location)
        level = self.levels.get(key)
        if level is None:
            level = self.levels[key] = Level(sku, location, exists=False)
        return level

    def post(self, kind: MovementKind, sku: str, location: str, quantity: Decimal, *,
             order: Any = None, line: Any = None, reference: str = "", at: datetime | None = None,
             allow_negative: bool = False) -> None:
        """Record one movement and apply it to the level. `order`/`line` may be domain objects
        whose ids are only known after they are saved (resolved by the repository)."""
        d_hand, d_res, d_transit = EFFECTS[kind]
        key = (sku, location)
        level = self.levels.get(key)
        if level is None:
            level = self.level(sku, location)
        dh, dr, dt = quantity * d_hand, quantity * d_res, quantity * d_transit
        on_hand, reserved, in_transit = level.on_hand + dh, level.reserved + dr, level.in_transit + dt
        if not allow_negative and (on_hand < ZERO or reserved < ZERO or in_transit < ZERO):
            raise InvariantViolation(
                f"item {sku} at {location}: {kind.value} of {quantity} would leave on hand "
                f"{on_hand}, reserved {reserved}, in transit {in_transit}", command=kind.value,
                numbers={"quantity": quantity, "on_hand": level.on_hand,
                         "reserved": level.reserved, "in_transit": level.in_transit})
        level.on_hand, level.reserved, level.in_transit = on_hand, reserved, in_transit
        delta = self.deltas.get(key)
        if delta is None:
            self.deltas[key] = [dh, dr, dt]
        else:
            delta[0] += dh
            delta[1] += dr
            delta[2] += dt
        self.movements.append({"sku": sku, "location": location, "kind": kind._value_,
                               "on_hand_delta": dh, "reserved_delta": dr, "in_transit_delta": dt,
                               "order": order, "line": line, "reference": reference, "at": at})

    def replay(self, movements: list[dict[str, Any]], at: datetime | None) -> None:
        """Post again, stamped `at`, movements posted on another ledger over the same levels (an
        order built ahead from a snapshot, see core.services.placing): summed per level first,
        so a level is updated (and checked) once, not once per movement."""
        sums: dict[tuple[str, str], list[Decimal]] = {}
        for m in movements:
            m["at"] = at
            key = (m["sku"], m["location"])
            total = sums.get(key)
            if total is None:
                sums[key] = [m["on_hand_delta"], m["reserved_delta"], m["in_transit_delta"]]
            else:
                total[0] += m["on_hand_delta"]
                total[1] += m["reserved_delta"]
                total[2] += m["in_transit_delta"]
        for (sku, location), (dh, dr, dt) in sums.items():   # all checked before any applies
            level = self.level(sku, location)
            if (level.on_hand + dh < ZERO or level.reserved + dr < ZERO
                    or level.in_transit + dt < ZERO):
                raise InvariantViolation(
                    f"item {sku} at {location}: replaying {dh}/{dr}/{dt} would leave a level "
                    f"below zero (on hand {level.on_hand}, reserved {level.reserved}, in transit "
                    f"{level.in_transit})", command="replay",
                    numbers={"on_hand": level.on_hand, "reserved": level.reserved,
                             "in_transit": level.in_transit})
        for (sku, location), (dh, dr, dt) in sums.items():
            level = self.levels[(sku, location)]
            level.on_hand += dh
            level.reserved += dr
            level.in_transit += dt
            delta = self.deltas.get((sku, location))
            if delta is None:
                self.deltas[(sku, location)] = [dh, dr, dt]
            else:
                delta[0] += dh
                delta[1] += dr
                delta[2] += dt
        self.movements.extend(movements)

    def mark(self) -> int:
        """A point to roll back to when one order of a batch is refused after posting."""
        return len(self.movements)

    def rollback(self, mark: int) -> None:
        for m in reversed(self.movements[mark:]):
            key = (m["sku"], m["location"])
            level = self.levels[key]
            level.on_hand -= m["on_hand_delta"]
            level.reserved -= m["reserved_delta"]
            level.in_transit -= m["in_transit_delta"]
            delta = self.deltas[key]
            delta[0] -= m["on_hand_delta"]
            delta[1] -= m["reserved_delta"]
            delta[2] -= m["in_transit_delta"]
        del self.movements[mark:]
