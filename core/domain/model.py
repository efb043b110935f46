"""The order aggregate: plain classes, no ORM. Quantities move between buckets only through
`OrderLine.move`, which keeps the buckets summing to the ordered quantity and names the line and
the numbers when a move is impossible."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from core.domain.errors import IllegalTransition, InvariantViolation, UnknownOrder
from core.domain.holds import Hold
from core.domain.quantities import BUCKETS, ZERO, Status, derive_status
from core.domain.transitions import STEP_MOVES, Step, check_order_step
from core.domain.errors import HoldBlocks


@dataclass
class Allocation:
    """Quantity of one line committed at one location (allocated -> released -> shipped)."""
    location: str
    allocated: Decimal = ZERO
    released: Decimal = ZERO
    shipped: Decimal = ZERO
    rule: str = ""
    vendor_order_id: int | None = None
    id: int | None = None
    dirty: bool = True

    @property
    def outstanding(self) -> Decimal:
        return self.allocated + self.released


_FMT: dict[Decimal, str] = {}  # sourcing explains every candidate's stock: few distinct values


def fmt(value: Decimal) -> str:
    """A quantity for messages: 115, 2.5 (no trailing zeros from NUMERIC(18,4))."""
    if not isinstance(value, Decimal):
        return str(value)
    try:
        return _FMT[value]
    except (KeyError, TypeError):  # TypeError: a signalling NaN has no hash
        text = format(value.normalize(), "f")
        if value and value.is_finite() and len(_FMT) < 20_000:  # not -0/0: equal, printed apart
            _FMT[value] = text
        return text


class OrderLine:
    __slots__ = ("id", "line_number", "sku", "upc", "buyer_part", "vendor_part", "description",
                 "uom", "unit_price", "requested_ship_date", "ordered", "q", "returned",
                 "reject_reason", "item_known", "allocations", "dirty", "order_ref",
                 "excluded")

    def __init__(self, line_number: str, ordered: Decimal, *, sku: str | None = None,
                 upc: str | None = None, buyer_part: str | None = None,
                 vendor_part: str | None = None, description: str = "", uom: str = "EA",
                 unit_price: Decimal | None = None, requested_ship_date: date | None = None,
                 item_known: bool = True, order_ref: str | int | None = None) -> None:
        self.id: int | None = None
        self.line_number = line_number
        self.sku = sku
        self.upc = upc
        self.buyer_part = buyer_part
        self.vendor_part = vendor_part
        self.description = description
        self.uom = uom
        self.unit_price = unit_price
        self.requested_ship_date = requested_ship_date
        self.ordered = ordered
        self.q: dict[str, Decimal] = {  # BUCKETS, in that order
            "open": ordered, "accepted": ZERO, "backordered": ZERO, "rejected": ZERO,
            "allocated": ZERO, "released": ZERO, "shipped": ZERO, "invoiced": ZERO,
            "cancelled": ZERO}
        self.returned = ZERO
        self.reject_reason: str | None = None
        self.item_known = item_known
        self.allocations: list[Allocation] = []
        self.dirty = True
        self.order_ref = order_ref
        self.excluded: list[str] = []

    @property
    def status(self) -> Status:
        return derive_status(self.q)

    def available_for(self, step: Step) -> Decimal:
        sources, _ = STEP_MOVES[step]
        return sum((self.q[b] for b in sources), ZERO)

    def move(self, step: Step, quantity: Decimal, command: str) -> dict[str, Decimal]:
        """Move `quantity` from the step's source buckets (in table order) to its target.
        Returns how much came from each bucket so callers can adjust allocations/reservations."""
        if quantity < ZERO:  # (comparisons with the Decimal ZERO: no int to convert)
            raise InvariantViolation(
                f"line {self.line_number}: quantity {fmt(quantity)} is negative",
                order=self.order_ref, line=self.line_number, command=command,
                numbers={"quantity": quantity})
        sources, target = STEP_MOVES[step]
        q = self.q
        available = ZERO  # the sum over the sources in table order (as sum() would add them)
        for bucket in sources:
            available += q[bucket]
        if quantity > available:
            if available == 0:
                raise IllegalTransition(
                    f"line {self.line_number}: cannot {step.value} when the line is "
                    f"{self.status.value}", order=self.order_ref, line=self.line_number,
                    state=self.status.value, command=command,
                    numbers={"requested": quantity, "available": available})
            raise InvariantViolation(
                f"line {self.line_number}: cannot {step.value} {fmt(quantity)}, only {fmt(available)} is "
                f"{'/'.join(sources)}", order=self.order_ref, line=self.line_number,
                state=self.status.value, command=command,
                numbers={"requested": quantity, "available": available})
        taken: dict[str, Decimal] = {}
        left = quantity
        for bucket in sources:
            if left == ZERO:
                break
            have = q[bucket]
            part = have if have < left else left  # min(left, have), ties to left as min() does
            if part:
                q[bucket] -= part
                taken[bucket] = part
                left -= part
        q[target] += quantity
        self.dirty = True
        return taken

    def check_invariant(self) -> None:
        total = sum(self.q.values(), ZERO)
        if total != self.ordered or min(self.q.values()) < ZERO:
            raise InvariantViolation(
                f"line {self.line_number}: buckets add up to {total}, ordered {self.ordered}",
                order=self.order_ref, line=self.line_number,
                numbers={"total": total, "ordered": self.ordered})
        committed = ZERO  # sum of a.outstanding, added in the same order
        for a in self.allocations:
            committed += a.allocated + a.released
        if committed != self.q["allocated"] + self.q["released"]:
            raise InvariantViolation(
                f"line {self.line_number}: allocations hold {committed}, buckets "
                f"{self.q['allocated'] + self.q['released']}", order=self.order_ref,
                line=self.line_number, numbers={"allocations": committed})

    def allocation_at(self, location: str) -> Allocation | None:
        for a in self.allocations:
            if a.location == location:
                return a
        return None


@dataclass
class Order:
    po_number: str
    channel: str
    partner_id: str | None = None
    order_date: date | None = None
    requested_ship_date: date | None = None
    requested_delivery_date: date | None = None
    cancel_after: date | None = None
    currency: str = "USD"
    terms: str = ""
    carrier: str = ""
    service: str = ""
    parties: list[dict[str, Any]] = field(default_factory=list)
    references: list[list[str]] = field(default_factory=list)
    source_document: str | None = None
    lines: list[OrderLine] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    acknowledged_at: datetime | None = None
    id: int | None = None
    version: int = 0
    created_at: datetime | None = None
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    dirty: bool = True

    @property
    def key(self) -> str:
        return self.partner_id or self.channel

    @property
    def label(self) -> str:
        return self.po_number

    @property
    def quantities(self) -> dict[str, Decimal]:
        total = dict.fromkeys(BUCKETS, ZERO)
        for line in self.lines:
            q = line.q
            # most buckets of most lines are 0: only the non-zero (bucket, value) pairs, picked
            # in C, are added (the same additions in the same order as testing each)
            for bucket, value in compress(q.items(), q.values()):
                total[bucket] += value
        return total

    @property
    def status(self) -> Status:
        return derive_status(self.quantities)

    def party(self, role: str) -> dict[str, Any] | None:
        for p in self.parties:
            if p.get("role") == role:
                return p
        return None

    def line(self, line_number: str, command: str = "") -> OrderLine:
        for line in self.lines:
            if line.line_number == line_number:
                return line
        raise UnknownOrder(f"order {self.po_number} has no line {line_number}",
                           order=self.po_number, line=line_number, command=command)

    def lines_named(self, numbers: Iterable[str], command: str) -> list[OrderLine]:
        numbers = list(numbers)
        return [self.line(n, command) for n in numbers] if numbers else list(self.lines)

    def record(self, event: str, **detail: Any) -> None:
        self.events.append((event, detail))

    def require(self, step: Step, command: str, line_number: str | None = None) -> None:
        """Refuse `step` if the order status does not allow it or an active hold blocks it."""
        check_order_step(self.status, step, order=self.po_number, command=command)
        hold = self.blocking_hold(step, line_number)
        if hold is not None:
            where = f"line {hold.line_number}" if hold.line_number else "the order"
            raise HoldBlocks(
                f"order {self.po_number}: a {hold.type.value} hold on {where} blocks {step.value}"
                f" ({hold.reason or 'no reason given'})", hold_type=hold.type.value,
                order=self.po_number, line=hold.line_number, state=self.status.value,
                command=command)

    def blocking_hold(self, step: Step, line_number: str | None = None) -> Hold | None:
        for hold in self.holds:
            if hold.blocks(step, line_number):
                return hold
        return None

    def check_invariants(self) -> None:
        for line in self.lines:
            line.check_invariant()
