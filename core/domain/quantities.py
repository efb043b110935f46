"""Quantity buckets and the statuses derived from them (IBM Sterling style: status per quantity).

A line's buckets always add up to its ordered quantity. `returned` is not a bucket: it is
counted against what was shipped. Status is never stored as truth; it is derived from the buckets
by the first matching row of STATUS_RULES, for a line and (summed) for the order alike.
"""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Callable, Mapping

ZERO = Decimal("0")


class Bucket(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    BACKORDERED = "backordered"
    REJECTED = "rejected"
    ALLOCATED = "allocated"
    RELEASED = "released"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    CANCELLED = "cancelled"


BUCKETS: tuple[str, ...] = tuple(b.value for b in Bucket)
UNFILLED = ("open", "accepted", "backordered")  # waiting for a source
COMMITTED = ("allocated", "released")  # reserved somewhere, not yet shipped
DONE = ("shipped", "invoiced")  # left our hands
CLOSED = ("rejected", "cancelled")


class Status(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    BACKORDERED = "backordered"
    PARTIALLY_ALLOCATED = "partially_allocated"
    ALLOCATED = "allocated"
    RELEASED = "released"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


Q = Mapping[str, Decimal]


def _sum(q: Q, names: tuple[str, ...]) -> Decimal:
    return sum((q[n] for n in names), ZERO)


# First match wins. Each predicate reads the bucket mapping only.
STATUS_RULES: tuple[tuple[Status, Callable[[Q], bool]], ...] = (
    (Status.CANCELLED, lambda q: q["cancelled"] > 0 and _sum(q, BUCKETS) == q["cancelled"]),
    (Status.REJECTED, lambda q: q["rejected"] > 0 and _sum(q, BUCKETS) == _sum(q, CLOSED)),
    (Status.INVOICED, lambda q: q["invoiced"] > 0
        and _sum(q, UNFILLED + COMMITTED) == 0 and q["shipped"] == 0),
    (Status.SHIPPED, lambda q: _sum(q, DONE) > 0 and _sum(q, UNFILLED + COMMITTED) == 0),
    (Status.PARTIALLY_SHIPPED, lambda q: _sum(q, DONE) > 0),
    (Status.RELEASED, lambda q: q["released"] > 0 and q["allocated"] == 0 and _sum(q, UNFILLED) == 0),
    (Status.ALLOCATED, lambda q: _sum(q, COMMITTED) > 0 and _sum(q, UNFILLED) == 0),
    (Status.PARTIALLY_ALLOCATED, lambda q: _sum(q, COMMITTED) > 0),
    (Status.BACKORDERED, lambda q: q["backordered"] > 0),
    (Status.ACCEPTED, lambda q: q["accepted"] > 0),
    (Status.OPEN, lambda q: True),
)


def derive_status(q: Q) -> Status:
    for status, test in STATUS_RULES:
        if test(q):
            return status
    return Status.OPEN  # pragma: no cover - the last rule always matches
